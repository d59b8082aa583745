// Every GPU buffer one trainer owns, named as the WGSL bindings that read them, and their sizes.

import { ownedBuffer } from '../gpu/ownedBuffers.js';
import type { PolicyLayout } from '../policy/layout.js';
import { IMPORTANCE_CODES, type ResolvedOptions } from './options.js';

export const CONFIG_BYTES = 64;
export const STATS_BYTES = 64;
export const EPISODE_BYTES = 16;

export interface BufferSizes {
  numEnvs: number;
  horizon: number;
  obs4: number;
  /** u32 words per stored action (1 for categorical, the action dimension for Gaussian). */
  actionWords: number;
  param4: number;
  partialCount: number;
  /** Activation rows kept per sample for the backward pass (0: none kept; the binding gets 16 bytes). */
  stored4: number;
}

/** Bytes of each buffer: the biggest ones grow with numEnvs * horizon. */
/** Bytes of the kept activation rows (storeActivations): stored4 vec4s per sample. */
export const storedActivationBytes = (s: Pick<BufferSizes, 'numEnvs' | 'horizon' | 'stored4'>) =>
  s.numEnvs * s.horizon * s.stored4 * 16;

export function bufferSizes(s: BufferSizes): Record<string, number> {
  const samples = s.numEnvs * s.horizon;
  return {
    config: CONFIG_BYTES,
    trainState: 16,
    policyParams: s.param4 * 16,
    policySnapshot: s.param4 * 16,
    adamMoments: 2 * s.param4 * 16,
    observations: samples * s.obs4 * 16,
    storedActivations: storedActivationBytes(s),
    actions: samples * s.actionWords * 4,
    rewards: samples * 4,
    logProbs: samples * 4,
    returns: samples * 4,
    advantages: samples * 4,
    episodes: s.numEnvs * EPISODE_BYTES,
    pseudoLossTerms: s.numEnvs * 4,
    trajectoryGradSq: 3 * s.numEnvs * 4, // ||G_i||^2, ||G_i + H_i||^2, ||G_i - H_i||^2 (advantage.wgsl)
    // b_t, the counts n_t, the batch's sum S and count M of the returns, each trajectory's sum (advantage.wgsl).
    baseline: (2 * s.horizon + 2 + s.numEnvs) * 4,
    advantageMoments: 16,
    partialGradients: s.partialCount * s.param4 * 16,
    gradient: s.param4 * 16,
    estimateMoments: 2 * s.param4 * 16, // the variance lab's running mean and M2 (gradient.wgsl)
    stats: STATS_BYTES,
  };
}

/** The largest storage buffer the device lets one binding see. */
export const maxStorageBytes = (device: GPUDevice) =>
  Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize);

/** The largest numEnvs whose buffers fit the device's per-buffer limits. */
export function maxEnvsFor(device: GPUDevice, layout: PolicyLayout, horizon: number): number {
  const limit = maxStorageBytes(device);
  const obs4 = Math.ceil(layout.obsDim / 4);
  return Math.max(0, Math.floor(limit / (horizon * obs4 * 16)));
}

export type TrainerBuffers = Record<string, GPUBuffer>;

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export function createTrainerBuffers(device: GPUDevice, sizes: Record<string, number>): TrainerBuffers {
  const buffers: TrainerBuffers = {};
  for (const [name, size] of Object.entries(sizes)) {
    const usage = name === 'config' ? GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST : USAGE();
    buffers[name] = ownedBuffer(device, { label: name, size: Math.max(16, Math.ceil(size / 16) * 16), usage });
  }
  return buffers;
}

const BASELINE_CODES = { none: 0, mean: 1, perTimestep: 2, optimal: 3, meanLeaveOneOut: 4, perTimestepLeaveOneOut: 5 } as const;

/** The config block's values for these options (common/config.wgsl's Config). */
export function configValues(o: ResolvedOptions, mode: { deterministic: boolean; evaluating: boolean }) {
  return {
    numEnvs: o.numEnvs,
    seed: o.seed,
    gamma: o.gamma,
    rewardToGo: o.rewardToGo,
    lr: o.lr,
    beta1: o.beta1,
    beta2: o.beta2,
    epsilon: o.epsilon,
    maxGradNorm: o.maxGradNorm,
    normalizeAdvantages: o.normalizeAdvantages,
    baseline: BASELINE_CODES[o.baseline],
    deterministic: mode.deterministic,
    evaluating: mode.evaluating,
    importanceKind: IMPORTANCE_CODES[o.offPolicy.importance],
    importanceClip: o.offPolicy.importanceClip,
    importanceSelfNormalize: o.offPolicy.importanceSelfNormalize,
  };
}

export function writeConfig(
  device: GPUDevice,
  buffer: GPUBuffer,
  values: {
    numEnvs: number;
    seed: number;
    gamma: number;
    rewardToGo: boolean;
    lr: number;
    beta1: number;
    beta2: number;
    epsilon: number;
    maxGradNorm: number;
    normalizeAdvantages: boolean;
    baseline: number;
    deterministic: boolean;
    importanceKind?: number;
    importanceClip?: number;
    importanceSelfNormalize?: boolean;
    /** An evaluation rollout: the rollout keeps no activations (no backward pass reads them). */
    evaluating?: boolean;
  },
): void {
  const data = new ArrayBuffer(CONFIG_BYTES);
  const u32 = new Uint32Array(data);
  const f32 = new Float32Array(data);
  u32[0] = values.numEnvs;
  u32[1] = values.seed >>> 0;
  f32[2] = values.gamma;
  u32[3] = values.rewardToGo ? 1 : 0;
  f32[4] = values.lr;
  f32[5] = values.beta1;
  f32[6] = values.beta2;
  f32[7] = values.epsilon;
  f32[8] = values.maxGradNorm;
  u32[9] = values.normalizeAdvantages ? 1 : 0;
  u32[10] = values.baseline;
  u32[11] = values.deterministic ? 1 : 0;
  u32[12] = values.importanceKind ?? 0;
  f32[13] = values.importanceClip ?? 0;
  u32[14] = values.importanceSelfNormalize ? 1 : 0;
  u32[15] = values.evaluating ? 1 : 0;
  device.queue.writeBuffer(buffer, 0, data);
}
