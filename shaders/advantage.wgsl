// Baselines and advantages: A_it = R_it - b_t, with R_it the reward-to-go (or the full return r(tau_i)).
// Any b that does not depend on the action leaves the gradient unbiased and can lower its variance.
//   none         b = 0 (the host clears the baseline buffer)
//   mean         b = (1/N) sum_i r(tau_i); with reward-to-go, the mean of R_it over all valid samples
//   perTimestep  b_t = mean over trajectories still running at t of R_it
//   optimal      the constant b minimising the total variance (the trace of the covariance) of the estimator in use:
//                whole return: b* = sum_i ||G_i||^2 r(tau_i) / sum_i ||G_i||^2, G_i = sum_t grad log pi(a_it|s_it);
//                reward-to-go: b* = sum_i <G_i, H_i> / sum_i ||G_i||^2, H_i = sum_t grad log pi(a_it|s_it) R_it
//                (sum_t g_t (R_t - b) = H - b G); <G, H> = (||G + H||^2 - ||G - H||^2) / 4, the squares per
//                trajectory from backward.wgsl's trajectory passes
//   meanLeaveOneOut         b_i = (S - S_i) / (M - L_i): the mean over the other trajectories' returns (S, M: the
//                           batch's sum and count; S_i, L_i: trajectory i's, one term each without reward-to-go)
//   perTimestepLeaveOneOut  b_it = (S_t - R_it) / (n_t - 1), n_t trajectories running at t; 0 when n_t = 1
// The leave-one-out forms depend only on the other trajectories, independent of trajectory i: exactly unbiased.
// The same-batch means include R_it itself, which shrinks step t's term by (1 - 1/n_t) in expectation.
// The baseline buffer: b_t at [0, HORIZON) (for leave-one-out per time step: the sum S_t), n_t at
// [HORIZON, 2 HORIZON), S and M at 2 HORIZON and 2 HORIZON + 1, S_i at 2 HORIZON + 2 + i (meanLeaveOneOut).
// Entry points, in the order the trainer dispatches them: one baseline, then advantage, then (optionally)
// advantageMoments and normalizeAdvantage. Sample (i, t) at index i * HORIZON + t; masked samples get A = 0.

#include "common/config.wgsl"
#include "common/workgroupReduce.wgsl"

override WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> episodes: array<Episode>;
@group(0) @binding(2) var<storage, read> returns: array<f32>;
@group(0) @binding(3) var<storage, read> trajectoryGradSq: array<f32>;
@group(0) @binding(4) var<storage, read_write> baseline: array<f32>;
@group(0) @binding(5) var<storage, read_write> advantages: array<f32>;
@group(0) @binding(6) var<storage, read_write> advantageMoments: vec4f;
@group(0) @binding(7) var<storage, read> logProbs: array<f32>;
@group(0) @binding(8) var<storage, read_write> pseudoLossTerms: array<f32>;

const BATCH_SUM: u32 = 2u * HORIZON;
const BATCH_COUNT: u32 = 2u * HORIZON + 1u;
const TRAJECTORY_SUMS: u32 = 2u * HORIZON + 2u;

fn fillBaseline(value: f32, lid: u32) {
  for (var t = lid; t < HORIZON; t += REDUCE_SIZE) {
    baseline[t] = value;
  }
}

@compute @workgroup_size(REDUCE_SIZE)
fn meanBaseline(@builtin(local_invocation_index) lid: u32) {
  var sums = vec4f(0.0);
  for (var i = lid; i < config.numEnvs; i += REDUCE_SIZE) {
    var own = 0.0;
    if (config.rewardToGo == 0u) {
      own = episodes[i].discountedReturn;
      sums += vec4f(own, 1.0, 0.0, 0.0);
    } else {
      let length = episodes[i].length;
      for (var t = 0u; t < length; t++) {
        own += returns[i * HORIZON + t];
      }
      sums += vec4f(own, f32(length), 0.0, 0.0);
    }
    if (config.baseline == BASELINE_MEAN_LEAVE_ONE_OUT) {
      baseline[TRAJECTORY_SUMS + i] = own;
    }
  }
  let total = workgroupSum4(sums, lid);
  fillBaseline(select(0.0, total.x / total.y, total.y > 0.0), lid);
  if (lid == 0u) {
    baseline[BATCH_SUM] = total.x;
    baseline[BATCH_COUNT] = total.y;
  }
}

// b_t, or for leave-one-out the sum S_t, and n_t.
fn storeTimestep(t: u32, sum: f32, count: f32) {
  let leaveOneOut = config.baseline == BASELINE_PER_TIMESTEP_LEAVE_ONE_OUT;
  baseline[t] = select(select(0.0, sum / count, count > 0.0), sum, leaveOneOut);
  baseline[HORIZON + t] = count;
}

@compute @workgroup_size(REDUCE_SIZE)
fn optimalBaseline(@builtin(local_invocation_index) lid: u32) {
  var sums = vec4f(0.0);
  for (var i = lid; i < config.numEnvs; i += REDUCE_SIZE) {
    let gradSq = trajectoryGradSq[i];
    var cross = gradSq * episodes[i].discountedReturn;
    if (config.rewardToGo == 1u) {
      cross = 0.25 * (trajectoryGradSq[config.numEnvs + i] - trajectoryGradSq[2u * config.numEnvs + i]);
    }
    sums += vec4f(cross, gradSq, 0.0, 0.0);
  }
  let total = workgroupSum4(sums, lid);
  fillBaseline(select(0.0, total.x / total.y, total.y > 0.0), lid);
}

// Two shapes of the same per-timestep mean (the trainer picks one by N: the kernel plan's perTimestepWorkgroups,
// src/algo/kernelPlan.ts): with few environments a thread per time step looping over them (cheapest on CPU
// backends, where barriers are costly); with many, a workgroup per time step splitting them (N-way parallel on a
// GPU). Both stride over time steps, so any grid covers the horizon.
@compute @workgroup_size(WORKGROUP_SIZE)
fn perTimestepBaselineByStep(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var t = id.x; t < HORIZON; t += groups.x * WORKGROUP_SIZE) {
    var sum = 0.0;
    var count = 0.0;
    for (var i = 0u; i < config.numEnvs; i++) {
      if (t < episodes[i].length) {
        sum += returns[i * HORIZON + t];
        count += 1.0;
      }
    }
    storeTimestep(t, sum, count);
  }
}

@compute @workgroup_size(REDUCE_SIZE)
fn perTimestepBaseline(
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) group: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  for (var t = group.x; t < HORIZON; t += groups.x) {
    var sums = vec4f(0.0);
    for (var i = lid; i < config.numEnvs; i += REDUCE_SIZE) {
      if (t < episodes[i].length) {
        sums += vec4f(returns[i * HORIZON + t], 1.0, 0.0, 0.0);
      }
    }
    let total = workgroupSum4(sums, lid);
    if (lid == 0u) {
      storeTimestep(t, total.x, total.y);
    }
  }
}

// The returns as the backward pass's sample weights, for the optimal baseline's trajectory passes (reward-to-go).
@compute @workgroup_size(WORKGROUP_SIZE)
fn returnsAsAdvantages(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var sample = id.x; sample < config.numEnvs * HORIZON; sample += groups.x * WORKGROUP_SIZE) {
    advantages[sample] = select(0.0, returns[sample], sample % HORIZON < episodes[sample / HORIZON].length);
  }
}

// Per-sample kernels stride over the grid, so N * HORIZON may exceed the dispatch limit.
@compute @workgroup_size(WORKGROUP_SIZE)
fn advantage(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var sample = id.x; sample < config.numEnvs * HORIZON; sample += groups.x * WORKGROUP_SIZE) {
    let t = sample % HORIZON;
    let i = sample / HORIZON;
    let length = episodes[i].length;
    var b = baseline[t];
    if (config.baseline == BASELINE_PER_TIMESTEP_LEAVE_ONE_OUT) {
      let others = baseline[HORIZON + t] - 1.0;
      b = select(0.0, (b - returns[sample]) / others, others > 0.0);
    } else if (config.baseline == BASELINE_MEAN_LEAVE_ONE_OUT) {
      let others = baseline[BATCH_COUNT] - select(1.0, f32(length), config.rewardToGo == 1u);
      b = select(0.0, (baseline[BATCH_SUM] - baseline[TRAJECTORY_SUMS + i]) / others, others > 0.0);
    }
    advantages[sample] = select(0.0, returns[sample] - b, t < length);
  }
}

// Mean and standard deviation of A over the valid samples, for normalisation.
@compute @workgroup_size(REDUCE_SIZE)
fn reduceAdvantageMoments(@builtin(local_invocation_index) lid: u32) {
  var sums = vec4f(0.0);
  for (var i = lid; i < config.numEnvs; i += REDUCE_SIZE) {
    let length = episodes[i].length;
    for (var t = 0u; t < length; t++) {
      let a = advantages[i * HORIZON + t];
      sums += vec4f(a, a * a, 1.0, 0.0);
    }
  }
  let total = workgroupSum4(sums, lid);
  if (lid == 0u) {
    let mean = total.x / max(total.z, 1.0);
    let variance = max(total.y / max(total.z, 1.0) - mean * mean, 0.0);
    advantageMoments = vec4f(mean, sqrt(variance), total.z, 0.0);
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn normalizeAdvantage(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let moments = advantageMoments;
  for (var sample = id.x; sample < config.numEnvs * HORIZON; sample += groups.x * WORKGROUP_SIZE) {
    let valid = sample % HORIZON < episodes[sample / HORIZON].length;
    advantages[sample] = select(0.0, (advantages[sample] - moments.x) / (moments.y + 1e-8), valid);
  }
}

// Each trajectory's term of the pseudo-loss, sum_t log pi(a_it|s_it) A_it with the advantages as the gradient uses
// them (after any normalisation); reduceStats (stats.wgsl) sums them over the batch and divides by N.
@compute @workgroup_size(WORKGROUP_SIZE)
fn computePseudoLossTerms(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= config.numEnvs) {
    return;
  }
  var sum = 0.0;
  for (var t = 0u; t < episodes[i].length; t++) {
    sum += logProbs[i * HORIZON + t] * advantages[i * HORIZON + t];
  }
  pseudoLossTerms[i] = sum;
}
