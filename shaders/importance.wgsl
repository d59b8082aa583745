// Importance weights for off-policy gradient steps: the replayed batches were sampled by earlier parameters phi
// (their log pi_phi(a|s) stored at sampling time); the gradient is taken at the current parameters phi'.
// Everything is computed in log space, so long horizons and far-apart policies cannot overflow:
//   log r_t = log pi_phi'(a_t|s_t) - log pi_phi(a_t|s_t),   w_t = prod_{t' <= t} r_t' (a prefix scan)
// and the gradient term of step t, grad log pi_phi'(a_t|s_t) times:
//   per-decision  w_t A_t + sum_{t' > t} d(t, t') (w_t' - w_t) r_t'   each reward weighted by the ratios up to its
//                 own step (Precup et al. 2000): unbiased. Equivalently: the reward-to-go with each r_t' weighted by
//                 w_t', minus w_t times the baseline. d(t, t') = gamma^(t' - t) (reward-to-go) or gamma^t'.
//   prefix        w_t A_t: the future ratios dropped (the lecture's approximation; it uses Q of the old policy for
//                 the new one: biased unless the policies are close)
//   trajectory    w_T A_t, w_T = prod over the whole trajectory: unbiased, high variance
//   ratio         r_t A_t: the first-order approximation behind the PPO-style surrogate (biased)
// Weights are optionally self-normalised (divided by their mean at each step; biased, consistent), then truncated
// at c (biased, lower variance) and capped at e^20 (LOG_WEIGHT_CAP, below), so the gradient stays finite in float32:
// truncation comes last, so no weight used exceeds c, and truncatedFraction counts the weights used that were cut
// (capped ones included).
// Entry points, in dispatch order: importanceLogWeights (one invocation per trajectory), importanceSelfNormalize
// (optional, one per time step), importanceWeightedAdvantage (one per trajectory: the terms above, for backward.wgsl), importanceStats
// (one workgroup: ESS, max weight, truncated share into IterationStats).
// The host binds the replay under the names below; config.numEnvs counts the replayed trajectories, BATCH_ENVS
// those of one batch (trajectory i belongs to replay slot i / BATCH_ENVS).

#include "common/config.wgsl"
#include "common/mlp.wgsl"
#include "head"
#include "common/loadAction.wgsl"
#include "common/workgroupReduce.wgsl"

override WORKGROUP_SIZE: u32 = 64u;
override BATCH_ENVS: u32 = 1u;

// e^20 ~ 4.9e8: beyond it a weight is degenerate anyway (one trajectory carries the batch), and below it
// weight x advantage x gradient, its square in the gradient norm and in Adam's second moment stay finite in float32.
const LOG_WEIGHT_CAP: f32 = 20.0;

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> policyParams: array<vec4f>;
@group(0) @binding(2) var<storage, read> observations: array<vec4f>;
@group(0) @binding(3) var<storage, read> actions: array<u32>;
@group(0) @binding(4) var<storage, read> logProbs: array<f32>;          // behaviour: log pi_phi(a|s)
@group(0) @binding(5) var<storage, read> episodes: array<Episode>;
@group(0) @binding(6) var<storage, read_write> logWeights: array<f32>;
@group(0) @binding(7) var<storage, read_write> truncations: array<u32>; // per trajectory
@group(0) @binding(8) var<storage, read> advantages: array<f32>;
@group(0) @binding(9) var<storage, read_write> weightedAdvantages: array<f32>;
// Per trajectory: (max log w, sum w / max w, sum (w / max w)^2, samples): scaled, so no sum can overflow.
// Per trajectory i: [2 i] = (largest log weight, sum and sum of squares of its weights scaled by it, length),
// [2 i + 1].x = the log weight of its last step (the whole trajectory's weight for per-decision and trajectory).
@group(0) @binding(10) var<storage, read_write> trajectoryImportance: array<vec4f>;
@group(0) @binding(11) var<storage, read_write> stats: IterationStats;
@group(0) @binding(12) var<storage, read> rewards: array<f32>;
@group(0) @binding(13) var<storage, read> batchMoments: array<vec4f>; // per slot: (mean, std, ..) if normalised

fn policyWeight(q: u32) -> vec4f {
  return policyParams[q];
}

// log c, or the overflow cap: weights above it are cut to it (last, after any self-normalisation).
fn logClip() -> f32 {
  return select(LOG_WEIGHT_CAP, min(log(config.importanceClip), LOG_WEIGHT_CAP), config.importanceClip > 0.0);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn importanceLogWeights(@builtin(global_invocation_id) id: vec3u) {
  let env = id.x;
  if (env >= config.numEnvs) {
    return;
  }
  let length = episodes[env].length;
  // Pass 1: log r_t for every step (one forward pass each), and their sum.
  var total = 0.0;
  for (var t = 0u; t < length; t++) {
    let sample = env * HORIZON + t;
    var observation: array<vec4f, OBS4>;
    for (var k = 0u; k < OBS4; k++) {
      observation[k] = observations[sample * OBS4 + k];
    }
    mlpForward(observation);
    let logRatio = policyLogProb(loadAction(sample)) - logProbs[sample];
    logWeights[sample] = logRatio;
    total += logRatio;
  }
  // Pass 2: the weight each step's gradient term gets (cut at c later, in importanceWeightedAdvantage).
  var cumulative = 0.0;
  var lastLogWeight = 0.0;
  for (var t = 0u; t < length; t++) {
    let sample = env * HORIZON + t;
    let logRatio = logWeights[sample];
    cumulative += logRatio;
    var logWeight = cumulative;
    if (config.importanceKind == IMPORTANCE_TRAJECTORY) {
      logWeight = total;
    } else if (config.importanceKind == IMPORTANCE_RATIO) {
      logWeight = logRatio;
    }
    lastLogWeight = logWeight;
    logWeights[sample] = logWeight;
  }
  // The trajectory's last weight before any normaliser or cut: what it counts with at the steps after it ended.
  trajectoryImportance[2u * env + 1u].y = lastLogWeight;
}

// Self-normalised weights: at each step t, w_it / mean_j w_jt (the cut at c comes after). The mean runs over every
// trajectory, an ended one counting at its last weight: for cumulative weights (per-decision, prefix, trajectory)
// that is a martingale with expectation 1 under the old policy, so the normaliser tends to 1 and the estimate to
// the unbiased one (consistent); a mean over the trajectories still running at t would tend to
// P_new(alive at t) / P_old(alive at t) instead. A single step's ratio (ratio) has expectation 1 given the step is
// reached, so its mean runs over the running trajectories. Computed with the maximum factored out (no overflow).
fn normalisingLogWeight(env: u32, t: u32) -> f32 {
  let length = episodes[env].length;
  if (t < length) {
    return logWeights[env * HORIZON + t];
  }
  if (length == 0u || config.importanceKind == IMPORTANCE_RATIO) {
    return -3.0e38; // not counted
  }
  return trajectoryImportance[2u * env + 1u].y;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn importanceSelfNormalize(@builtin(global_invocation_id) id: vec3u) {
  let t = id.x;
  if (t >= HORIZON) {
    return;
  }
  var largest = -3.0e38;
  var count = 0u;
  for (var env = 0u; env < config.numEnvs; env++) {
    let logWeight = normalisingLogWeight(env, t);
    if (logWeight > -3.0e38) {
      largest = max(largest, logWeight);
      count += 1u;
    }
  }
  if (count == 0u) {
    return;
  }
  var sum = 0.0;
  for (var env = 0u; env < config.numEnvs; env++) {
    let logWeight = normalisingLogWeight(env, t);
    if (logWeight > -3.0e38) {
      sum += exp(logWeight - largest);
    }
  }
  let logMean = largest + log(sum / f32(count));
  for (var env = 0u; env < config.numEnvs; env++) {
    if (t < episodes[env].length) {
      logWeights[env * HORIZON + t] -= logMean;
    }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn importanceWeightedAdvantage(@builtin(global_invocation_id) id: vec3u) {
  let env = id.x;
  if (env >= config.numEnvs) {
    return;
  }
  let length = episodes[env].length;
  // The cut at c (after any self-normalisation): the weights used, counted where cut.
  let clip = logClip();
  var truncated = 0u;
  for (var t = 0u; t < length; t++) {
    let sample = env * HORIZON + t;
    if (logWeights[sample] > clip) {
      logWeights[sample] = clip;
      truncated += 1u;
    }
  }
  truncations[env] = truncated;
  // Advantages normalised at sampling time were divided by their batch's std: the reward terms are too.
  let scale = select(1.0, 1.0 / (batchMoments[env / BATCH_ENVS].y + 1e-8), config.normalizeAdvantages == 1u);
  var largest = -3.0e38;
  // Reverse scan for per-decision: later = sum_{t' > t} d(t, t') w_t' r_t', plain = sum_{t' > t} d(t, t') r_t'.
  var later = 0.0;
  var plain = 0.0;
  var nextWeight = 0.0;
  var nextReward = 0.0;
  for (var step = 0u; step < length; step++) {
    let t = length - 1u - step;
    let sample = env * HORIZON + t;
    let weight = exp(logWeights[sample]);
    var term = weight * advantages[sample];
    if (config.importanceKind == IMPORTANCE_PER_DECISION) {
      if (step > 0u) {
        // d(t, t + 1) r_{t+1}: gamma with reward-to-go; gamma^(t+1) from the start for the full return.
        let discount = select(pow(config.gamma, f32(t + 1u)), config.gamma, config.rewardToGo == 1u);
        let laterDiscount = select(1.0, config.gamma, config.rewardToGo == 1u);
        later = laterDiscount * later + discount * nextWeight * nextReward;
        plain = laterDiscount * plain + discount * nextReward;
      }
      term += (later - weight * plain) * scale;
    }
    weightedAdvantages[sample] = term;
    largest = max(largest, logWeights[sample]);
    nextWeight = weight;
    nextReward = rewards[sample];
  }
  var sums = vec2f(0.0);
  for (var t = 0u; t < length; t++) {
    let scaled = exp(logWeights[env * HORIZON + t] - largest);
    sums += vec2f(scaled, scaled * scaled);
  }
  trajectoryImportance[2u * env] = vec4f(select(-3.0e38, largest, length > 0u), sums, f32(length));
  let last = select(-3.0e38, logWeights[env * HORIZON + max(length, 1u) - 1u], length > 0u);
  trajectoryImportance[2u * env + 1u].x = last;
}

// ESS = (sum w)^2 / sum w^2: per trajectory (one weight each, its last step's: a trajectory's weight counts once,
// however long it is) and pooled over every weighted sample (i, t), from the scaled per-trajectory sums.
@compute @workgroup_size(REDUCE_SIZE)
fn importanceStats(@builtin(local_invocation_index) lid: u32) {
  var largest = vec2f(-3.0e38, -3.0e38);
  for (var env = lid; env < config.numEnvs; env += REDUCE_SIZE) {
    largest = max(largest, vec2f(trajectoryImportance[2u * env].x, trajectoryImportance[2u * env + 1u].x));
  }
  // workgroupMinMax reduces .x by min and .y by max: the largest last-step log weight goes in as -x.
  let extremes = workgroupMinMax(vec2f(-largest.y, largest.x), lid);
  let logMax = extremes.y;
  let logMaxLast = -extremes.x;
  var sums = vec4f(0.0);
  var lastSums = vec4f(0.0);
  for (var env = lid; env < config.numEnvs; env += REDUCE_SIZE) {
    let s = trajectoryImportance[2u * env];
    if (s.w > 0.0) {
      let scale = exp(s.x - logMax);
      sums += vec4f(s.y * scale, s.z * scale * scale, s.w, f32(truncations[env]));
      let last = exp(trajectoryImportance[2u * env + 1u].x - logMaxLast);
      lastSums += vec4f(last, last * last, 1.0, 0.0);
    }
  }
  let total = workgroupSum4(sums, lid);
  let lastTotal = workgroupSum4(lastSums, lid);
  if (lid == 0u) {
    stats.trajectoryEss = select(0.0, lastTotal.x * lastTotal.x / lastTotal.y, lastTotal.y > 0.0);
    stats.weightedTrajectories = lastTotal.z;
    stats.effectiveSampleSize = select(0.0, total.x * total.x / total.y, total.y > 0.0);
    stats.weightedSamples = total.z;
    stats.maxWeight = select(0.0, exp(logMax), total.z > 0.0);
    stats.truncatedFraction = total.w / max(total.z, 1.0);
  }
}
