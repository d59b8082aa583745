// The trainer's settings, written once by the host (src/algo/configBuffer.ts) and read by every kernel.
// Needs: nothing (each kernel declares its own `config` binding, or common/backwardSamples.wgsl does)
// Provides: Config, IMPORTANCE_* and BASELINE_* constants, Episode, TrainState, IterationStats, NON_FINITE_*,
//   isFiniteValue
struct Config {
  numEnvs: u32,
  seed: u32,
  gamma: f32,
  rewardToGo: u32,          // 1: A_t built from the reward-to-go; 0: from the full return r(tau)
  learningRate: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  maxGradNorm: f32,         // 0: no clipping
  normalizeAdvantages: u32,
  baseline: u32,            // BASELINE_* below
  deterministic: u32,       // 1: act greedily (evaluation); 0: sample
  importanceKind: u32,      // IMPORTANCE_* below (off-policy gradient steps, shaders/importance.wgsl)
  importanceClip: f32,      // c > 0: weights truncated at c; 0: no truncation
  importanceSelfNormalize: u32, // 1: weights divided by their mean over the trajectories alive at each step
  evaluating: u32,          // 1: an evaluation rollout, no backward pass follows (nothing kept for one)
}

// Off-policy estimators (shaders/importance.wgsl has the formulas).
const IMPORTANCE_PER_DECISION: u32 = 0u; // each reward weighted by the ratios up to its own step: unbiased
const IMPORTANCE_TRAJECTORY: u32 = 1u;   // one weight, the whole trajectory's ratio product: unbiased
const IMPORTANCE_RATIO: u32 = 2u;        // the step's own ratio only (the PPO-style first-order surrogate)
const IMPORTANCE_PREFIX: u32 = 3u;       // the ratios up to t times A_t, future ratios dropped (approximation)

const BASELINE_NONE: u32 = 0u;
const BASELINE_MEAN: u32 = 1u;
const BASELINE_PER_TIMESTEP: u32 = 2u;
const BASELINE_OPTIMAL: u32 = 3u;
const BASELINE_MEAN_LEAVE_ONE_OUT: u32 = 4u;
const BASELINE_PER_TIMESTEP_LEAVE_ONE_OUT: u32 = 5u;

// What the rollout leaves per environment (one episode each).
struct Episode {
  length: u32,              // valid steps; steps t >= length are masked everywhere downstream
  totalReward: f32,         // undiscounted sum of rewards (the "return" statistics report)
  entropySum: f32,          // sum over valid steps of the policy's entropy
  discountedReturn: f32,    // r(tau) = sum_t gamma^t r_t (written by the returns kernel)
}

// The GPU-side training state: survives between iterations, so a whole iteration needs no host writes.
struct TrainState {
  iteration: u32,           // rollouts so far (training and evaluation): keys the random streams
  optimizerSteps: u32,      // Adam steps so far (bias correction); advanced by gradient.wgsl
}

// Per-iteration statistics, reduced on the GPU and read back asynchronously (src/algo/statsReader.ts).
struct IterationStats {
  iteration: u32,
  envSteps: u32,
  meanReturn: f32,
  minReturn: f32,
  maxReturn: f32,
  meanLength: f32,
  gradNorm: f32,
  entropy: f32,
  // Importance-sampling diagnostics of the iteration's last off-policy gradient step (0 when on-policy):
  effectiveSampleSize: f32, // (sum w)^2 / sum w^2 over the weighted samples (i, t), pooled
  weightedSamples: f32,     // how many samples were weighted
  maxWeight: f32,
  truncatedFraction: f32,   // share of weights cut at importanceClip (or at the overflow cap)
  nonFinite: u32,           // NON_FINITE_* bits seen this iteration (the host clears the block before it)
  pseudoLoss: f32,          // (1/N) sum_i sum_t log pi(a_it|s_it) A_it of the fresh batch (0 for an evaluation)
  trajectoryEss: f32,       // (sum w_i)^2 / sum w_i^2 with one weight per trajectory: its last step's
  weightedTrajectories: f32,
}

// What went non-finite (NaN or infinite) in an iteration; with a non-finite gradient Adam skips its step, so the
// parameters stay those before it.
const NON_FINITE_GRADIENT: u32 = 1u;
const NON_FINITE_RETURN: u32 = 2u;

// True for a finite float: NaN and the infinities have every exponent bit set (a bit test, which a compiler's
// fast-math assumptions cannot fold away the way they may fold x != x).
fn isFiniteValue(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}
