// What stays behind a trainer's API: its buffers, kernels and the host's count of recorded iterations. The test
// probe (trainerProbe.ts) and checkpoints (checkpoint.ts) reach them here; the package does not export it.
import type { PolicyLayout } from '../policy/layout.js';
import type { IterationShape } from './iteration.js';
import type { CompiledKernels, TrainerBindGroups } from './kernels.js';
import type { ResolvedOptions } from './options.js';
import type { TrainerBuffers } from './trainerBuffers.js';

export interface TrainerInternals {
  device: GPUDevice;
  options: ResolvedOptions;
  layout: PolicyLayout;
  buffers: TrainerBuffers;
  kernels: CompiledKernels;
  bindGroups: TrainerBindGroups;
  /** Training iterations recorded so far (the off-policy replay's next slot is this modulo reuse). */
  counters: { iterationsEncoded: number };
  /** What encodeIteration and its parts need to record an iteration of this trainer. */
  shape: IterationShape;
}

export const trainerInternals = new WeakMap<object, TrainerInternals>();

export function internalsOf(trainer: object): TrainerInternals {
  const found = trainerInternals.get(trainer);
  if (!found) throw new Error('not a trainer made by createTrainer');
  return found;
}
