// Sums the backward pass's per-workgroup partial gradients in a fixed order (deterministic, no atomics),
// then measures the gradient's L2 norm for the statistics and for optional clipping in adam.wgsl, and counts the
// optimizer step.

#include "common/config.wgsl"
#include "common/workgroupReduce.wgsl"

override WORKGROUP_SIZE: u32 = 64u;
override PARTIAL_COUNT: u32 = 1u;

@group(0) @binding(0) var<storage, read> partialGradients: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> gradient: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> stats: IterationStats;
@group(0) @binding(3) var<storage, read_write> trainState: TrainState;
// The variance lab's running moments of the gradient estimate over batches: mean at q, M2 (sum of squared
// deviations) at PARAM4 + q (Welford's update: no cancellation between large sums).
@group(0) @binding(4) var<storage, read_write> estimateMoments: array<vec4f>;

fn sumPartialGradients(q: u32) {
  if (q >= PARAM4) {
    return;
  }
  var sum = vec4f(0.0);
  for (var g = 0u; g < PARTIAL_COUNT; g++) {
    sum += partialGradients[g * PARAM4 + q];
  }
  gradient[q] = sum;
}

// The fresh batch's partials (PARTIAL_COUNT: its backward workgroups).
@compute @workgroup_size(WORKGROUP_SIZE)
fn reduceGradient(@builtin(global_invocation_id) id: vec3u) {
  sumPartialGradients(id.x);
}

// The off-policy replay's partials: the same sum over every kept batch's workgroups (PARTIAL_COUNT set to match).
@compute @workgroup_size(WORKGROUP_SIZE)
fn replayReduceGradient(@builtin(global_invocation_id) id: vec3u) {
  sumPartialGradients(id.x);
}

@compute @workgroup_size(REDUCE_SIZE)
fn gradientNorm(@builtin(local_invocation_index) lid: u32) {
  var sq = 0.0;
  for (var q = lid; q < PARAM4; q += REDUCE_SIZE) {
    sq += dot(gradient[q], gradient[q]);
  }
  let total = workgroupSum4(vec4f(sq, 0.0, 0.0, 0.0), lid);
  if (lid == 0u) {
    let norm = sqrt(total.x);
    stats.gradNorm = norm;
    if (isFiniteValue(norm)) {
      trainState.optimizerSteps += 1u; // this iteration's Adam step (adam runs next)
    } else {
      stats.nonFinite |= NON_FINITE_GRADIENT; // adam skips this step
    }
  }
}

// The variance lab (src/algo/varianceLab.ts): this batch's gradient into the running mean and M2. Batch k of a fresh
// trainer is its rollout k (trainState.iteration, advanced by reduceStats after this kernel).
@compute @workgroup_size(WORKGROUP_SIZE)
fn accumulateEstimate(@builtin(global_invocation_id) id: vec3u) {
  let q = id.x;
  if (q >= PARAM4) {
    return;
  }
  let g = gradient[q];
  let count = f32(trainState.iteration + 1u);
  let mean = estimateMoments[q];
  let delta = g - mean;
  let updated = mean + delta / count;
  estimateMoments[q] = updated;
  estimateMoments[PARAM4 + q] += delta * (g - updated);
}
