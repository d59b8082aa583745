// `webgpu-reinforce train`: the main job, a thin layer over createTrainer().
import { createTrainer } from '../algo/createTrainer.js';
import { describeAction } from '../policy/head.js';
import { type TrainArgs, UsageError } from './args.js';
import { environmentFromFlags } from './environmentFlags.js';
import { checkWritable, readPolicyFlag, writeJsonAtomically } from './files.js';
import { humanProgress, jsonProgress } from './progress.js';

export async function train(args: TrainArgs): Promise<number> {
  const start = performance.now();
  const env = environmentFromFlags(args);
  const policy = args.load ? readPolicyFlag('load', args.load) : undefined;
  if (policy && policy.env !== env.name) {
    throw new UsageError(`--load: the policy was trained on "${policy.env}", not on ${env.name}`);
  }
  if (args.save) checkWritable('save', args.save);
  if (args.dumpBatch) checkWritable('dump-batch', args.dumpBatch);

  const trainer = await createTrainer({
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
  });
  const progress = args.json ? jsonProgress() : humanProgress(args.iters);
  const o = trainer.options;
  progress.log(`adapter: ${trainer.adapterName}${trainer.plan.softwareAdapter ? ' (software fallback: expect CPU speed)' : ''}`);
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
  try {
    let solved = false;
    let seconds = 0;
    let last = undefined as Awaited<ReturnType<typeof trainer.step>> | undefined;
    let current = trainer.step({ captureBatch: args.dumpBatch !== undefined });
    for (let i = 1; i <= args.iters; i++) {
      // Queue the next iteration before waiting for this one's statistics (not while a batch is to be dumped:
      // the next iteration would overwrite it).
      const dumpNow = args.dumpBatch !== undefined && i === 1;
      let next = i < args.iters && !dumpNow ? trainer.step() : undefined;
      const stats = await current;
      if (dumpNow && args.dumpBatch) {
        writeJsonAtomically(args.dumpBatch, await trainer.readBatch());
        progress.log(`batch of iteration 1 written to ${args.dumpBatch}`);
        if (i < args.iters) next = trainer.step();
      }
      progress.iteration(stats);
      last = stats;
      if (args.target !== undefined && stats.meanReturn >= args.target) {
        solved = true;
        seconds = (performance.now() - start) / 1000;
        // The next iteration is already queued. Its update stands, so the saved policy waits for it; without
        // --save nothing needs it and the run ends now (destroy() releases it in flight).
        if (next && args.save) await next;
        else next?.catch(() => {}); // abandoned: its statistics are not wanted
        break;
      }
      if (!next) break;
      current = next;
    }
    progress.stop();
    if (!solved) seconds = (performance.now() - start) / 1000;
    if (args.save) {
      writeJsonAtomically(args.save, await trainer.readPolicy());
      progress.log(`policy written to ${args.save}`);
    }
    const iters = last?.iter ?? 0;
    const meanReturn = last?.meanReturn ?? 0;
    // Where the optimum is known (LQR): the greedy policy's return next to it.
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
    } else if (args.target === undefined) {
      console.log(`done: ${iters} iterations in ${seconds.toFixed(1)} s, mean return ${meanReturn.toFixed(1)}`);
    } else if (solved) {
      console.log(
        `solved: mean return ${meanReturn.toFixed(1)} >= ${args.target} after ${iters} iterations in ${seconds.toFixed(1)} s`,
      );
    } else {
      console.log(
        `not solved: mean return ${meanReturn.toFixed(1)} < ${args.target} after ${iters} iterations in ${seconds.toFixed(1)} s`,
      );
    }
    return solved || args.target === undefined ? 0 : 1;
  } finally {
    trainer.destroy();
  }
}
