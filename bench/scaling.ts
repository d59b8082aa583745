// scaling: the engine's time per iteration against N (hidden 64x64) and against hidden width (N fixed), each with
// per-kernel GPU time, the rollout's and the backward pass's GFLOP/s, and peak buffer bytes per environment.
import { measureEngine } from './measure.js';
import type { BenchOptions } from './options.js';
import { benchPolicy } from './policies.js';
import { backwardFlops, type EngineMeasure, forwardFlops, hiddenName, type KernelShape, type Workload } from './workload.js';

export interface ScalingRow {
  numEnvs: number;
  hidden: number[];
  horizon: number;
  policy: string;
  rolloutStepsPerSecond: number;
  trainStepsPerSecond: number;
  rolloutMsPerIteration: number;
  trainMsPerIteration: number;
  meanLength: number;
  clock: string;
  kernels: { kernel: string; milliseconds: number; share: number }[];
  rolloutGflops: number;
  backwardGflops: number;
  /** The ceiling re-measured right after this row (this machine drifts within a run); undefined without one. */
  ceilingGflops: number | undefined;
  bytesPerEnv: number;
  /** How the trainer shaped its kernels for this row (storeActivations' default depends on N and the horizon). */
  kernelShape: KernelShape;
}

export interface ScalingResult {
  envs: ScalingRow[];
  widths: ScalingRow[];
  failed: { numEnvs: number; hidden: number[]; error: string }[];
}

function scalingRow(w: Workload, origin: string, m: EngineMeasure, ceilingGflops: number | undefined): ScalingRow {
  const steps = m.profile.envSteps;
  const total = m.profile.kernels.reduce((a, k) => a + k.milliseconds, 0);
  const ms = (name: string) => m.profile.kernels.find((k) => k.kernel === name)?.milliseconds ?? Number.NaN;
  const f = forwardFlops(w.hidden);
  return {
    numEnvs: w.numEnvs,
    hidden: w.hidden,
    horizon: w.horizon,
    policy: origin,
    rolloutStepsPerSecond: m.rolloutStepsPerSecond,
    trainStepsPerSecond: m.trainStepsPerSecond,
    rolloutMsPerIteration: (1000 * steps) / m.rolloutStepsPerSecond,
    trainMsPerIteration: (1000 * steps) / m.trainStepsPerSecond,
    meanLength: m.meanLength,
    clock: m.profile.clock,
    kernels: m.profile.kernels.map((k) => ({ ...k, share: k.milliseconds / total })),
    rolloutGflops: (steps * f) / (ms('rollout') / 1000) / 1e9,
    backwardGflops: (steps * backwardFlops(w.hidden, m.kernelShape.storeActivations)) / (ms('backwardGradient') / 1000) / 1e9,
    ceilingGflops,
    bytesPerEnv: m.bytesPerEnv,
    kernelShape: m.kernelShape,
  };
}

/** `nearCeiling` (when the ceiling section runs) re-measures the ceiling after each row, so that each row's % of the
 *  ceiling compares figures taken within a minute of each other. */
export async function runScaling(
  o: BenchOptions,
  hidden: number[],
  progress: (message: string) => void,
  nearCeiling?: () => Promise<number | undefined>,
): Promise<ScalingResult> {
  const result: ScalingResult = { envs: [], widths: [], failed: [] };
  // One measurement; a failure (e.g. a driver refusing a kernel) is reported and the run goes on.
  const measure = async (rows: ScalingRow[], w: Workload) => {
    progress(`scaling: N=${w.numEnvs} hidden ${hiddenName(w.hidden)} horizon ${w.horizon}`);
    const { policy, origin } = benchPolicy(w.hidden);
    try {
      const measured = await measureEngine(w, policy, o.reps);
      rows.push(scalingRow(w, origin, measured, await nearCeiling?.().catch(() => undefined)));
    } catch (error) {
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      console.error(`  failed: ${message}`);
      result.failed.push({ numEnvs: w.numEnvs, hidden: w.hidden, error: message });
    }
  };
  for (const numEnvs of o.scalingEnvs) {
    await measure(result.envs, { env: 'cartpole', numEnvs, hidden, horizon: o.scalingHorizon });
  }
  for (const width of o.widths) {
    await measure(result.widths, { env: 'cartpole', numEnvs: o.widthEnvs, hidden: [width, width], horizon: o.scalingHorizon });
  }
  return result;
}
