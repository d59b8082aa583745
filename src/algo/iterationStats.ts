// One iteration's statistics as the API, the CLI's --json lines and the bench report them.
import { ReinforceError } from '../errors.js';
import type { ResolvedOptions } from './options.js';
import type { RawStats } from './statsReader.js';

export interface IterationStats {
  iter: number;
  envSteps: number;
  meanReturn: number;
  minReturn: number;
  maxReturn: number;
  meanLength: number;
  gradNorm: number;
  entropy: number;
  /** The pseudo-loss (1/N) sum_i sum_t log pi(a_it|s_it) A_it whose gradient the update follows (the fresh batch's). */
  pseudoLoss: number;
  /** Seconds since the trainer was created. */
  seconds: number;
  /** Environment steps of this iteration over the time the GPU spent on it. */
  stepsPerSecond: number;
  /** Off-policy only, for the iteration's last gradient step: (sum w_i)^2 / sum w_i^2 with one weight per replayed
   *  trajectory (its last step's, the whole trajectory's weight for per-decision and trajectory weights). */
  ess?: number;
  /** ess over the number of replayed trajectories (1: all weights equal). */
  essFraction?: number;
  /** The same over every weighted sample (i, t), pooled: a trajectory's weights count once per step. */
  essPerSample?: number;
  maxWeight?: number;
  /** Share of weights truncated at importanceClip (or at the e^20 overflow cap). */
  truncatedFraction?: number;
}

/** The statistics block the GPU wrote, with the host's clock; the importance fields only when off-policy. */
export function iterationStats(
  raw: RawStats,
  clock: { seconds: number; stepsPerSecond: number },
  offPolicy: boolean,
): IterationStats {
  return {
    iter: raw.iteration + 1,
    envSteps: raw.envSteps,
    meanReturn: raw.meanReturn,
    minReturn: raw.minReturn,
    maxReturn: raw.maxReturn,
    meanLength: raw.meanLength,
    gradNorm: raw.gradNorm,
    entropy: raw.entropy,
    pseudoLoss: raw.pseudoLoss,
    seconds: clock.seconds,
    stepsPerSecond: clock.stepsPerSecond,
    ...(offPolicy && raw.weightedSamples > 0
      ? {
          ess: raw.trajectoryEss,
          essFraction: raw.trajectoryEss / Math.max(raw.weightedTrajectories, 1),
          essPerSample: raw.effectiveSampleSize,
          maxWeight: raw.maxWeight,
          truncatedFraction: raw.truncatedFraction,
        }
      : {}),
  };
}

/** One line for an iteration whose numbers left float32's range: what did, and what usually causes it. */
export function nonFiniteError(iter: number, bits: number, o: ResolvedOptions): ReinforceError {
  const what = bits & 1 ? 'the policy gradient is' : "an episode's return is";
  return new ReinforceError(
    'NON_FINITE',
    `iteration ${iter}: ${what} NaN or infinite, so training stopped there and the parameters are the last finite ones; ` +
      `likely causes: a learning rate too large (lr ${o.lr}), rewards too large for float32 (reward scale)` +
      `${o.gamma < 1 ? '' : ', or an undiscounted return growing without bound (gamma 1)'}`,
  );
}
