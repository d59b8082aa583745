// Building a trainer: options resolved, a device acquired, the kernel plan chosen, the kernels compiled and the
// buffers allocated, each failure reported with the option it concerns and nothing left behind.

import type { EnvironmentDescriptor } from '../envs/environment.js';
import { invalidOption, ReinforceError } from '../errors.js';
import { type AcquiredDevice, describeAdapter, requestDevice } from '../gpu/device.js';
import { releaseBuffer } from '../gpu/ownedBuffers.js';
import { actionWords, headParameterCount, outputDim } from '../policy/head.js';
import { packParameters, policyLayout } from '../policy/layout.js';
import { initialPolicy } from '../policy/policyFile.js';
import { restoreCheckpoint, resumedOptions, validateCheckpoint } from './checkpoint.js';
import { chooseKernelPlan, type PlanOverrides } from './kernelPlan.js';
import { createTrainerKernels, kernelsNeeded } from './kernels.js';
import { Replay, replayBufferSizes } from './offPolicy.js';
import { isOffPolicy, type ResolvedOptions, resolveOptions, type TrainerOptions } from './options.js';
import { Trainer } from './trainer.js';
import { bufferSizes, createTrainerBuffers, maxEnvsFor, type TrainerBuffers } from './trainerBuffers.js';
import { internalsOf } from './trainerInternals.js';

/** A trainer for these options, on the caller's device or one it acquires (and then destroys with itself). */
export function createTrainer(options: TrainerOptions = {}): Promise<Trainer> {
  return createTrainerWithPlan(options, {});
}

/**
 * A trainer that continues a checkpoint's run (trainer.readCheckpoint()): the checkpoint's options, on the
 * caller's device or one acquired, for `env` (a built-in name is found by itself; a user's environment must be
 * given again). Its next step is the step the checkpointed run would have taken next, bit for bit.
 */
export async function resumeTrainer(
  checkpoint: unknown,
  place: { device?: GPUDevice; env?: string | EnvironmentDescriptor } = {},
): Promise<Trainer> {
  const valid = validateCheckpoint(checkpoint);
  const trainer = await createTrainer({ ...resumedOptions(valid), env: place.env ?? valid.env.name, device: place.device });
  try {
    restoreCheckpoint(internalsOf(trainer), valid);
  } catch (error) {
    trainer.destroy();
    throw error;
  }
  return trainer;
}

/** createTrainer with some kernel-plan fields forced: for tests and the bench, not exported by the package. */
export async function createTrainerWithPlan(
  userOptions: TrainerOptions,
  overrides: PlanOverrides,
  purpose: { estimating?: boolean } = {},
): Promise<Trainer> {
  const startTime = performance.now();
  const options = resolveOptions(userOptions);
  const acquired = userOptions.device
    ? { device: userOptions.device, ...deviceDescription(userOptions.device) }
    : await requestDevice();
  const device = acquired.device;
  const ownsDevice = !userOptions.device;
  let buffers: TrainerBuffers | undefined;
  let replay: Replay | undefined;
  let trainer: Trainer | undefined;
  try {
    const { env } = options;
    const layout = policyLayout(
      env.obsDim,
      outputDim(env.action),
      options.hidden,
      options.activation,
      headParameterCount(env.action),
    );
    const offPolicy = isOffPolicy(options.offPolicy) ? options.offPolicy : undefined;
    const replayBatches = offPolicy?.reuse ?? 1;
    const maxEnvs = Math.floor(maxEnvsFor(device, layout, options.horizon) / replayBatches);
    if (options.numEnvs > maxEnvs) {
      throw invalidOption(
        'numEnvs',
        `must be an integer from 1 to ${maxEnvs} on this device (horizon ${options.horizon}${offPolicy ? `, ${offPolicy.reuse} batches kept` : ''}), got ${options.numEnvs}`,
      );
    }
    const plan = chooseKernelPlan(
      {
        device,
        adapter: { softwareAdapter: acquired.softwareAdapter, subgroupSizes: acquired.subgroupSizes },
        layout,
        numEnvs: options.numEnvs,
        horizon: options.horizon,
        replayBatches,
        offPolicy: offPolicy !== undefined,
      },
      overrides,
    );
    const partialCount = Math.ceil(options.numEnvs / plan.envsPerGroup);
    const needed = kernelsNeeded(
      {
        baseline: options.baseline,
        rewardToGo: options.rewardToGo,
        normalizeAdvantages: options.normalizeAdvantages,
        offPolicy: offPolicy ? { selfNormalize: offPolicy.importanceSelfNormalize } : undefined,
        estimating: purpose.estimating,
      },
      plan,
    );
    const run = { horizon: options.horizon, learnLogStd: options.learnLogStd, numEnvs: options.numEnvs, partialCount };
    const kernels = await createTrainerKernels(device, layout, env, plan, { ...run, replayBatches }, needed);
    const sizing = {
      numEnvs: options.numEnvs,
      horizon: options.horizon,
      obs4: Math.ceil(env.obsDim / 4),
      actionWords: actionWords(env.action),
      param4: layout.param4,
      partialCount,
      stored4: plan.storeActivations ? layout.stored4 : 0,
    };
    const sizes = bufferSizes(sizing);
    const replaySizes = offPolicy ? replayBufferSizes({ ...sizing, reuse: offPolicy.reuse }) : {};
    const allSizes = { ...sizes, ...replaySizes };
    const initial =
      options.policy ??
      initialPolicy({
        env: env.name,
        obsDim: env.obsDim,
        action: env.action,
        hidden: options.hidden,
        activation: options.activation,
        seed: options.seed,
        logStd: options.logStd,
      });
    // Everything the trainer allocates is made inside an out-of-memory scope and a validation scope, so that a
    // device that cannot hold it, or refuses it, fails here with an error of the library's, not at the first
    // step or in the caller's uncaptured-error handler.
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let validation: GPUError | null;
    let outOfMemory: GPUError | null;
    try {
      buffers = createTrainerBuffers(device, allSizes);
      replay = offPolicy ? new Replay(device, kernels, buffers, offPolicy, options.numEnvs, sizes) : undefined;
      trainer = new Trainer({
        device,
        ownsDevice,
        adapterName: acquired.adapterName,
        options,
        plan,
        layout,
        partialCount,
        buffers,
        kernels,
        replay,
        replayBytes: Object.values(replaySizes).reduce((a, b) => a + b, 0),
        initial,
        startTime,
      });
      device.queue.writeBuffer(
        buffers.policyParams as GPUBuffer,
        0,
        packParameters(layout, initial.layers, initial.logStd) as Float32Array<ArrayBuffer>,
      );
    } finally {
      validation = await device.popErrorScope();
      outOfMemory = await device.popErrorScope();
    }
    if (outOfMemory) throw outOfMemoryError(outOfMemory, allSizes, options);
    if (validation) throw new ReinforceError('GPU_VALIDATION', `creating the trainer: ${validation.message}`);
    return trainer;
  } catch (error) {
    // Nothing made here outlives a failure, on the caller's device too.
    if (trainer) trainer.destroy();
    else {
      replay?.destroy();
      for (const buffer of Object.values(buffers ?? {})) releaseBuffer(device, buffer);
    }
    if (ownsDevice) device.destroy();
    throw error;
  }
}

function deviceDescription(device: GPUDevice): Omit<AcquiredDevice, 'device'> {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info ? describeAdapter(info) : { adapterName: 'caller-provided device', softwareAdapter: false };
}

/** A device that could not hold the trainer: what was asked for, in terms of the options that size it. */
function outOfMemoryError(
  error: GPUError,
  sizes: Record<string, number>,
  options: Pick<ResolvedOptions, 'numEnvs' | 'horizon'>,
): ReinforceError {
  const mib = (Object.values(sizes).reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1);
  return new ReinforceError(
    'OUT_OF_MEMORY',
    `numEnvs: the trainer's buffers for ${options.numEnvs} environments x horizon ${options.horizon} (${mib} MiB) do not fit in this device's memory (${error.message}); use fewer environments or a shorter horizon`,
    'numEnvs',
  );
}
