// `webgpu-reinforce train`: the main job, a thin layer over createTrainer() and resumeTrainer(). A run ends at
// --iters or --target; at SIGINT / SIGTERM (the iteration in flight finished, --checkpoint and --save written, exit
// 130 / 143); at a non-finite gradient (the last finite parameters written, exit 1); or when the GPU device is lost
// (nothing can be read back any more: the line names the last checkpoint written, exit 4).
import type { Checkpoint } from '../algo/checkpoint.js';
import { createTrainer, resumeTrainer } from '../algo/createTrainer.js';
import type { IterationStats } from '../algo/iterationStats.js';
import type { Trainer } from '../algo/trainer.js';
import type { EnvironmentDescriptor } from '../envs/environment.js';
import { builtInEnvironments } from '../envs/registry.js';
import { ReinforceError } from '../errors.js';
import { describeAction } from '../policy/head.js';
import type { PolicyFile } from '../policy/policyFile.js';
import { UsageError } from './args.js';
import { environmentFromFlags } from './environmentFlags.js';
import { checkWritable, readCheckpointFlag, readPolicyFlag, writeJsonAtomically, writePolicyFile } from './files.js';
import { humanProgress, jsonProgress } from './progress.js';
import { catchStopSignals, SIGNAL_EXIT_CODES } from './signals.js';
import type { TrainArgs } from './trainArgs.js';

export const EXIT_DEVICE_LOST = 4;

/** For tests: called after each iteration's statistics are reported. */
export interface TrainHooks {
  afterIteration?(trainer: Trainer, stats: IterationStats): void;
}

export async function train(args: TrainArgs, hooks: TrainHooks = {}): Promise<number> {
  const start = performance.now();
  const checkpoint = args.resume ? readCheckpointFlag('resume', args.resume) : undefined;
  const env =
    checkpoint && args.env === '' ? checkpointEnvironment(args.resume as string, checkpoint) : environmentFromFlags(args);
  const policy = args.load ? loadPolicy(args.load, env) : undefined;
  // Resumed with no environment flag: the target defaults to the checkpoint's environment's threshold.
  const target = args.target ?? (args.env === '' ? builtInEnvironments[env.name]?.rewardThreshold : undefined);
  if (args.save) checkWritable('save', args.save);
  if (args.checkpoint) checkWritable('checkpoint', args.checkpoint);
  if (args.dumpBatch) checkWritable('dump-batch', args.dumpBatch);

  const signals = catchStopSignals();
  try {
    const trainer = await (checkpoint
      ? refusingAs(`--resume ${args.resume}`, ['INVALID_CHECKPOINT', 'INVALID_OPTION'], () => resumeTrainer(checkpoint, { env }))
      : refusingAs(
          `--load ${args.load}`,
          ['INVALID_OPTION', 'INVALID_POLICY'],
          () => createTrainer(trainerOptions(args, env, policy)),
          'policy',
        ));
    try {
      return await run(trainer);
    } finally {
      trainer.destroy();
    }
  } finally {
    signals.dispose();
  }

  async function run(trainer: Trainer): Promise<number> {
    const progress = args.json ? jsonProgress() : humanProgress(args.iters);
    const o = trainer.options;
    progress.log(
      `adapter: ${trainer.adapterName}${trainer.plan.softwareAdapter ? ' (software fallback: expect CPU speed)' : ''}`,
    );
    progress.log(
      `training ${o.env.name} (${describeAction(o.env.action)}${o.env.action.kind === 'gaussian' ? `, log-std ${o.learnLogStd ? 'learned' : 'fixed'}` : ''}): ` +
        `${o.numEnvs} environments, hidden ${o.hidden.join(',') || 'none (linear)'} ${o.activation}, ` +
        `${trainer.layout.parameterCount} parameters, lr ${o.lr}, baseline ${o.baseline}, reward-to-go ${o.rewardToGo ? 'on' : 'off'}, gamma ${o.gamma}, seed ${o.seed}`,
    );
    const off = o.offPolicy;
    if (off.epochs > 1 || off.reuse > 1) {
      progress.log(
        `off-policy: ${off.epochs} gradient steps per batch over the last ${off.reuse} batches, ${off.importance} weights` +
          `${off.importanceClip > 0 ? ` truncated at ${off.importanceClip}` : ''}${off.importanceSelfNormalize ? ', self-normalised' : ''}; ` +
          `replay ${(trainer.replayBytes / 2 ** 20).toFixed(1)} MiB of GPU memory`,
      );
    }
    // --iters counts the run's iterations, those before the checkpoint included.
    const before = checkpoint?.iterations ?? 0;
    const remaining = Math.max(0, args.iters - before);
    if (checkpoint)
      progress.log(`resumed from ${args.resume}: ${before} iterations done, ${remaining} more to --iters ${args.iters}`);

    let lastCheckpoint: string | undefined;
    const writeCheckpoint = async (path: string) => {
      const state = await trainer.readCheckpoint();
      writeJsonAtomically(path, state);
      lastCheckpoint = `${path} (iteration ${state.iterations})`;
    };
    const queue = (captureBatch = false) => {
      const step = trainer.step({ captureBatch });
      step.catch(() => {}); // handled where it is awaited; once the run stops, a queued step's failure is moot
      return step;
    };
    const reached = (s: IterationStats) => target !== undefined && s.meanReturn >= target;
    let solved = false;
    let seconds = 0;
    let last: IterationStats | undefined;
    const report = (stats: IterationStats) => {
      progress.iteration(stats);
      last = stats;
      hooks.afterIteration?.(trainer, stats);
    };

    let fault: ReinforceError | undefined;
    let next: Promise<IterationStats> | undefined;
    try {
      let current = remaining > 0 && !signals.received ? queue(args.dumpBatch !== undefined) : undefined;
      for (let i = 1; current; i++) {
        // Queue the next iteration before waiting for this one's statistics, except when a batch is to be dumped
        // or a checkpoint is due after this one (the next iteration would overwrite the batch, or be in it).
        const dumpNow = args.dumpBatch !== undefined && i === 1;
        const checkpointNow = args.checkpointEvery > 0 && (before + i) % args.checkpointEvery === 0 && i < remaining;
        next = i < remaining && !dumpNow && !checkpointNow ? queue() : undefined;
        const stats = await current;
        if (dumpNow && args.dumpBatch) {
          writeJsonAtomically(args.dumpBatch, await trainer.readBatch());
          progress.log(`batch of iteration 1 written to ${args.dumpBatch}`);
        }
        report(stats);
        if (reached(stats)) {
          solved = true;
          seconds = (performance.now() - start) / 1000;
          // The next iteration is already queued. Its update stands, so the saved policy and checkpoint wait for
          // it; without them nothing needs it and the run ends now (destroy() releases it in flight).
          if (next && (args.save || args.checkpoint)) await next;
          break;
        }
        if (checkpointNow && args.checkpoint) await writeCheckpoint(args.checkpoint);
        if (signals.received) {
          // The iteration in flight was queued before the signal: finish it, so that what is written includes it.
          if (next) {
            const stats = await next;
            report(stats);
            solved = reached(stats);
          }
          break;
        }
        if (!next && i < remaining) next = queue();
        current = next;
      }
    } catch (error) {
      fault = await asRunFault(trainer, error);
      await next?.catch(() => {}); // the parameters are read after the queued iteration settled
    }
    progress.stop();
    if (!solved) seconds = (performance.now() - start) / 1000;

    const deviceLost = (error: ReinforceError) => {
      console.error(
        `webgpu-reinforce: ${error.message}; ${lastCheckpoint ? `the last checkpoint written is ${lastCheckpoint}` : 'no checkpoint was written'}`,
      );
      return EXIT_DEVICE_LOST;
    };
    if (fault?.code === 'DEVICE_LOST') return deviceLost(fault);

    // --checkpoint and --save, at the end as on every early stop (never a NaN: both are checked before writing).
    const written: string[] = [];
    let writeFault: ReinforceError | undefined;
    try {
      if (args.checkpoint) {
        await writeCheckpoint(args.checkpoint);
        written.push(`checkpoint written to ${args.checkpoint}`);
      }
      if (args.save) {
        writePolicyFile('save', args.save, await trainer.readPolicy());
        written.push(`policy written to ${args.save}`);
      }
    } catch (error) {
      writeFault = await asRunFault(trainer, error);
      if (writeFault.code === 'DEVICE_LOST') return deviceLost(writeFault);
    }
    const faults = [fault, writeFault].filter((f) => f !== undefined).map((f) => f.message);
    if (faults.length > 0) {
      console.error(`webgpu-reinforce: ${[...faults, ...written].join('; ')}`);
      return 1;
    }
    if (signals.received) {
      const resume = args.checkpoint ? ` (continue with --resume ${args.checkpoint})` : '';
      console.error(
        `webgpu-reinforce: ${signals.received}: stopped after iteration ${last?.iter ?? before}; ` +
          `${written.length > 0 ? written.join(', ') + resume : 'nothing written (no --checkpoint or --save)'}`,
      );
      return SIGNAL_EXIT_CODES[signals.received];
    }
    for (const line of written) progress.log(line);

    const iters = last?.iter ?? before;
    const meanReturn = last?.meanReturn ?? null;
    // Where the optimum is known (LQR): the greedy policy's return next to it (after the checkpoint: the evaluation
    // draws from the random streams, and a resumed run must draw what the uninterrupted run draws).
    const optimum = o.env.optimalReturn
      ? {
          optimalReturn: o.env.optimalReturn(o.horizon),
          deterministicReturn: (await trainer.evaluate({ deterministic: true })).meanReturn,
        }
      : {};
    if (optimum.optimalReturn !== undefined) {
      const gap = (optimum.deterministicReturn - optimum.optimalReturn) / Math.abs(optimum.optimalReturn);
      progress.log(
        `optimal return ${optimum.optimalReturn.toFixed(3)} (Riccati); the trained policy's mean action earns ` +
          `${optimum.deterministicReturn.toFixed(3)} over ${o.numEnvs} episodes (${(100 * -gap).toFixed(2)}% more cost)`,
      );
    }
    if (args.json) {
      console.log(JSON.stringify({ done: true, solved, iters, seconds, meanReturn, ...optimum, adapter: trainer.adapterName }));
    } else if (meanReturn === null) {
      console.log(`done: the checkpoint has ${before} iterations, --iters ${args.iters}: nothing more to train`);
    } else if (target === undefined) {
      console.log(`done: ${iters} iterations in ${seconds.toFixed(1)} s, mean return ${meanReturn.toFixed(1)}`);
    } else if (solved) {
      console.log(
        `solved: mean return ${meanReturn.toFixed(1)} >= ${target} after ${iters} iterations in ${seconds.toFixed(1)} s`,
      );
    } else {
      console.log(
        `not solved: mean return ${meanReturn.toFixed(1)} < ${target} after ${iters} iterations in ${seconds.toFixed(1)} s`,
      );
    }
    return solved || target === undefined || meanReturn === null ? 0 : 1;
  }
}

function trainerOptions(args: TrainArgs, env: EnvironmentDescriptor, policy: PolicyFile | undefined) {
  return {
    env,
    numEnvs: args.envs,
    hidden: args.hidden,
    activation: args.activation,
    lr: args.lr,
    seed: args.seed,
    baseline: args.baseline,
    rewardToGo: args.rewardToGo,
    gamma: args.gamma,
    normalizeAdvantages: args.normalizeAdvantages,
    maxGradNorm: args.maxGradNorm,
    logStd: args.logStd,
    learnLogStd: !args.fixedStd,
    epochs: args.epochs,
    reuse: args.reuse,
    importance: args.importance,
    importanceClip: args.importanceClip,
    importanceSelfNormalize: args.importanceSelfNormalize,
    policy,
  };
}

/** A resumed run with no environment flag: the checkpoint's environment, when it is a built-in one. */
function checkpointEnvironment(path: string, checkpoint: Checkpoint): EnvironmentDescriptor {
  const env = builtInEnvironments[checkpoint.env.name];
  if (!env)
    throw new UsageError(
      `--resume ${path}: environment "${checkpoint.env.name}" is not built in; give its --env-file and --env-spec again`,
    );
  return env;
}

/** A policy file for --load, checked against the environment with the flag and the file named. */
function loadPolicy(path: string, env: EnvironmentDescriptor): PolicyFile {
  const policy = readPolicyFlag('load', path);
  const where = `--load ${path}`;
  if (policy.env !== env.name) throw new UsageError(`${where}: trained on "${policy.env}", not on ${env.name}`);
  if (policy.obsDim !== env.obsDim) throw new UsageError(`${where}: obsDim is ${policy.obsDim}, ${env.name} needs ${env.obsDim}`);
  const a = policy.action;
  const e = env.action;
  const sameAction =
    a.kind === 'categorical' ? e.kind === 'categorical' && a.n === e.n : e.kind === 'gaussian' && a.dim === e.dim;
  if (!sameAction) throw new UsageError(`${where}: its action is ${describeAction(a)}, ${env.name} needs ${describeAction(e)}`);
  return policy;
}

/**
 * The engine's refusals of what a flag brought in (a checkpoint's, a policy's field) as bad input naming the flag
 * and the file; with `field`, only the errors about that option.
 */
async function refusingAs<T>(where: string, codes: string[], make: () => Promise<T>, field?: string): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof ReinforceError && codes.includes(error.code) && (field === undefined || error.field === field))
      throw new UsageError(`${where}: ${field === undefined ? error.message : error.message.replace(`${field}: `, '')}`);
    throw error;
  }
}

/**
 * What stops a run early without being a bug: a non-finite gradient, or a lost device (which can also surface as a
 * failed readback a moment before device.lost resolves). Anything else is rethrown.
 */
async function asRunFault(trainer: Trainer, error: unknown): Promise<ReinforceError> {
  if (error instanceof ReinforceError && (error.code === 'NON_FINITE' || error.code === 'DEVICE_LOST')) return error;
  const lost = await Promise.race([trainer.device.lost, new Promise<undefined>((resolve) => setTimeout(resolve, 1000))]);
  if (lost) return new ReinforceError('DEVICE_LOST', `the GPU device was lost: ${lost.message || lost.reason}`);
  throw error;
}
