// Timing the engine and the peers on one workload; runs unchanged in Node and in the browser page.
// Warm-up excluded; each figure is the median of `reps` wall-clock measurements of whole calls (GPU work
// finished): env-steps of live episodes divided by seconds.
import { createTrainerWithPlan } from '../src/algo/createTrainer.js';
import { type PolicyFile, peakBufferBytes } from '../src/index.js';
import type { ReinforcePeer } from './peers/peer.js';
import { type EngineMeasure, type KernelOptions, median, type PeerMeasure, type Workload } from './workload.js';

const timed = async <T extends { envSteps: number }>(call: () => Promise<T>) => {
  const start = performance.now();
  const result = await call();
  return { result, stepsPerSecond: result.envSteps / ((performance.now() - start) / 1000) };
};

/** The engine on its own device (so the peak buffer memory is the trainer's alone); a near-zero lr keeps the
 *  policy, and so the episode lengths, the same across repetitions. `kernelOptions` (an A/B's variant) may change
 *  how the kernels are shaped, not what they compute. */
export async function measureEngine(
  w: Workload,
  policy: PolicyFile,
  reps: number,
  kernelOptions: KernelOptions = {},
): Promise<EngineMeasure> {
  const trainer = await createTrainerWithPlan(
    {
      numEnvs: w.numEnvs,
      hidden: w.hidden,
      horizon: w.horizon,
      policy,
      lr: 1e-7,
      seed: 1,
    },
    kernelOptions,
  );
  try {
    await trainer.evaluate();
    await trainer.step();
    const rollout: number[] = [];
    const train: number[] = [];
    let meanLength = 0;
    for (let r = 0; r < reps; r++) {
      rollout.push((await timed(() => trainer.evaluate())).stepsPerSecond);
      const step = await timed(() => trainer.step());
      train.push(step.stepsPerSecond);
      meanLength = step.result.meanLength;
    }
    const profile = await trainer.profileStep();
    const peakBytes = peakBufferBytes(trainer.device);
    return {
      adapter: trainer.adapterName,
      kernelShape: {
        samplesPerInvocation: trainer.plan.samplesPerInvocation,
        subgroupWeightSharing: trainer.plan.subgroupWeightSharing,
        laneGradients: trainer.plan.laneGradients,
        privateWeights: trainer.plan.privateWeights,
        storeActivations: trainer.plan.storeActivations,
      },
      rolloutStepsPerSecond: median(rollout),
      trainStepsPerSecond: median(train),
      meanLength,
      profile: {
        clock: profile.clock,
        kernels: profile.kernels.map(({ kernel, milliseconds }) => ({ kernel, milliseconds })),
        envSteps: profile.stats.envSteps,
      },
      peakBytes,
      bytesPerEnv: peakBytes / w.numEnvs,
    };
  } finally {
    trainer.destroy();
  }
}

/** A peer: one warm-up iteration, then `reps` rollouts and iterations. */
export async function measurePeer(peer: ReinforcePeer, reps: number): Promise<PeerMeasure> {
  try {
    await peer.rollout();
    await peer.iteration();
    const rollout: number[] = [];
    const train: number[] = [];
    let meanReturn = 0;
    for (let r = 0; r < reps; r++) {
      rollout.push((await timed(() => peer.rollout())).stepsPerSecond);
      const step = await timed(() => peer.iteration());
      train.push(step.stepsPerSecond);
      meanReturn = step.result.meanReturn;
    }
    return { rolloutStepsPerSecond: median(rollout), trainStepsPerSecond: median(train), meanReturn };
  } finally {
    peer.dispose();
  }
}

export interface LearningCurve {
  /** Batch mean return per iteration. */
  returns: number[];
  /** First iteration whose batch mean return reached the target, or null. */
  solvedAt: number | null;
  seconds: number;
}

/** A peer's learning check: iterations from its starting policy until the batch mean return reaches `target`. */
export async function learnPeer(peer: ReinforcePeer, maxIterations: number, target: number): Promise<LearningCurve> {
  const start = performance.now();
  const returns: number[] = [];
  try {
    for (let i = 1; i <= maxIterations; i++) {
      const { meanReturn } = await peer.iteration();
      returns.push(meanReturn);
      if (meanReturn >= target) return { returns, solvedAt: i, seconds: (performance.now() - start) / 1000 };
    }
    return { returns, solvedAt: null, seconds: (performance.now() - start) / 1000 };
  } finally {
    peer.dispose();
  }
}
