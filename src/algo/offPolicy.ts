// Off-policy gradient steps: the last `reuse` batches stay on the GPU in a replay ring, and each iteration takes
// `epochs` gradient steps over all of them, every sample's term weighted by its importance weight for the
// current parameters against the ones that sampled it (shaders/importance.wgsl), then Adam as usual.
//
// Replay layout: slot k holds one batch as trajectories [k N, (k + 1) N) of each replay buffer, so the weights
// and the backward pass run over f N trajectories at once when f slots are filled (one config buffer per f,
// written once). Nothing is read back and the host writes nothing per iteration.
import type { Kernel } from '../gpu/kernel.js';
import { ownedBuffer, releaseBuffer } from '../gpu/ownedBuffers.js';
import type { Dispatch } from './iteration.js';
import type { CompiledKernels, KernelName } from './kernels.js';
import type { OffPolicyOptions } from './options.js';
import { CONFIG_BYTES, EPISODE_BYTES, type TrainerBuffers } from './trainerBuffers.js';

/** Bytes of each replay buffer (named as importance.wgsl and backward.wgsl bind them, prefixed "replay"). */
export function replayBufferSizes(s: {
  numEnvs: number;
  horizon: number;
  obs4: number;
  actionWords: number;
  param4: number;
  partialCount: number;
  reuse: number;
}): Record<string, number> {
  const trajectories = s.reuse * s.numEnvs;
  const samples = trajectories * s.horizon;
  return {
    replayObservations: samples * s.obs4 * 16,
    replayActions: samples * s.actionWords * 4,
    replayLogProbs: samples * 4,
    replayAdvantages: samples * 4,
    replayEpisodes: trajectories * EPISODE_BYTES,
    replayRewards: samples * 4,
    replayMoments: s.reuse * 16,
    logWeights: samples * 4,
    weightedAdvantages: samples * 4,
    truncations: trajectories * 4,
    trajectoryImportance: trajectories * 32,
    replayPartialGradients: s.reuse * s.partialCount * s.param4 * 16,
  };
}

/** (copied from, into): the fresh batch's buffers and the replay slot they go to. */
const SLOT_COPIES: [string, string][] = [
  ['observations', 'replayObservations'],
  ['actions', 'replayActions'],
  ['logProbs', 'replayLogProbs'],
  ['advantages', 'replayAdvantages'],
  ['episodes', 'replayEpisodes'],
  ['rewards', 'replayRewards'],
  ['advantageMoments', 'replayMoments'],
];

export class Replay {
  readonly configs: GPUBuffer[];
  /** Per number of filled slots f (index f - 1): the bind groups of the replay kernels. */
  private readonly groups: Partial<Record<KernelName | 'replayBackward', GPUBindGroup>>[];

  constructor(
    private readonly device: GPUDevice,
    kernels: CompiledKernels,
    private readonly buffers: TrainerBuffers,
    private readonly options: OffPolicyOptions,
    private readonly numEnvs: number,
    /** Bytes of one batch in each fresh buffer (their logical sizes, before rounding up to 16). */
    private readonly slotBytes: Record<string, number>,
  ) {
    this.configs = Array.from({ length: options.reuse }, (_, f) =>
      ownedBuffer(device, {
        label: `replayConfig${f + 1}`,
        size: CONFIG_BYTES,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      }),
    );
    this.groups = this.configs.map((config) => {
      const replay = {
        ...buffers,
        config,
        observations: buffers.replayObservations as GPUBuffer,
        actions: buffers.replayActions as GPUBuffer,
        logProbs: buffers.replayLogProbs as GPUBuffer,
        advantages: buffers.replayAdvantages as GPUBuffer,
        episodes: buffers.replayEpisodes as GPUBuffer,
        rewards: buffers.replayRewards as GPUBuffer,
        batchMoments: buffers.replayMoments as GPUBuffer,
      };
      const groups: Partial<Record<KernelName | 'replayBackward', GPUBindGroup>> = {};
      for (const name of [
        'importanceLogWeights',
        'importanceSelfNormalize',
        'importanceWeightedAdvantage',
        'importanceStats',
      ] as const) {
        const kernel = kernels[name];
        if (kernel) groups[name] = kernel.bind(replay);
      }
      groups.replayBackward = (kernels.backwardGradient as Kernel).bind({
        ...replay,
        advantages: buffers.weightedAdvantages as GPUBuffer,
        partialGradients: buffers.replayPartialGradients as GPUBuffer,
      });
      groups.replayReduceGradient = (kernels.replayReduceGradient as Kernel).bind({
        ...buffers,
        partialGradients: buffers.replayPartialGradients as GPUBuffer,
      });
      return groups;
    });
  }

  /** Copies the batch just sampled into replay slot `slot` (outside any pass). */
  encodeCopy(encoder: GPUCommandEncoder, slot: number): void {
    for (const [from, to] of SLOT_COPIES) {
      const bytes = this.slotBytes[from] as number;
      encoder.copyBufferToBuffer(this.buffers[from] as GPUBuffer, 0, this.buffers[to] as GPUBuffer, slot * bytes, bytes);
    }
  }

  /**
   * The iteration's gradient steps over `filled` slots: per epoch, weights for the current parameters, A w, the
   * backward pass over every replayed trajectory, the fixed-order sum, the norm and Adam.
   */
  encodeEpochs(
    dispatch: Dispatch,
    filled: number,
    shape: { horizon: number; envsPerGroup: number; param4: number; groupsFor: (n: number) => number },
  ): void {
    const g = this.groups[filled - 1] as (typeof this.groups)[number];
    const trajectories = filled * this.numEnvs;
    for (let epoch = 0; epoch < this.options.epochs; epoch++) {
      dispatch('importanceLogWeights', shape.groupsFor(trajectories), g.importanceLogWeights);
      if (this.options.importanceSelfNormalize)
        dispatch('importanceSelfNormalize', shape.groupsFor(shape.horizon), g.importanceSelfNormalize);
      dispatch('importanceWeightedAdvantage', shape.groupsFor(trajectories), g.importanceWeightedAdvantage);
      dispatch('importanceStats', 1, g.importanceStats);
      dispatch('backwardGradient', Math.ceil(trajectories / shape.envsPerGroup), g.replayBackward);
      dispatch('replayReduceGradient', shape.groupsFor(shape.param4), g.replayReduceGradient);
      dispatch('gradientNorm', 1);
      dispatch('adam', shape.groupsFor(shape.param4));
    }
  }

  destroy(): void {
    for (const config of this.configs) releaseBuffer(this.device, config);
  }
}
