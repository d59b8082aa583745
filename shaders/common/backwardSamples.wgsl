// What every backward kernel shares: its bindings (the host binds each kernel alike) and which samples a workgroup
// walks. Included by shaders/common/weightGradient.wgsl (for backward.wgsl) and shaders/cpu/laneGradients.wgsl.
// Needs: Config, Episode (common/config.wgsl, included by the kernel), HORIZON (host prelude, src/algo/kernels.ts)
// Provides: bindings config, policyParams, observations, actions, advantages, episodes, partialGradients,
//   trajectoryGradSq, storedActivations (group 0, bindings 0..8); policyWeight; overrides ENVS_PER_GROUP,
//   TRAJECTORY_GRAD_SQ; trajectoryPass (private); lengthPrefix (workgroup); loadLengthPrefix, sampleWeightOf,
//   packedSample, TileSlot, tileSlot
//
// Each workgroup owns ENVS_PER_GROUP consecutive trajectories and walks their valid samples packed end to end
// (packedSample), so masked steps cost nothing.

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> policyParams: array<vec4f>;
@group(0) @binding(2) var<storage, read> observations: array<vec4f>;
@group(0) @binding(3) var<storage, read> actions: array<u32>;
@group(0) @binding(4) var<storage, read> advantages: array<f32>;
@group(0) @binding(5) var<storage, read> episodes: array<Episode>;
@group(0) @binding(6) var<storage, read_write> partialGradients: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> trajectoryGradSq: array<f32>;
// The rollout's kept hidden rows (STORED4 per sample), read by common/sampleDeltas.wgsl with USE_STORED_ACTIVATIONS.
@group(0) @binding(8) var<storage, read> storedActivations: array<vec4f>;

fn policyWeight(q: u32) -> vec4f { return policyParams[q]; }

override ENVS_PER_GROUP: u32 = 16u;
override TRAJECTORY_GRAD_SQ: bool = false;

var<workgroup> lengthPrefix: array<u32, ENVS_PER_GROUP + 1u>;

// lengthPrefix[e] = the number of valid samples in the workgroup's trajectories before its e-th (invocation 0 writes
// it; readers take it with workgroupUniformLoad, which waits for the write).
fn loadLengthPrefix(lid: u32, firstEnv: u32) {
  if (lid == 0u) {
    lengthPrefix[0] = 0u;
    for (var e = 0u; e < ENVS_PER_GROUP; e++) {
      let env = firstEnv + e;
      let length = select(0u, episodes[min(env, config.numEnvs - 1u)].length, env < config.numEnvs);
      lengthPrefix[e + 1u] = lengthPrefix[e] + length;
    }
  }
}

// With TRAJECTORY_GRAD_SQ, which per-trajectory square the pass takes (set by the entry point): 0 ||G_i||^2 with
// G_i = sum_t grad log pi(a_it|s_it); 1 ||G_i + H_i||^2 and 2 ||G_i - H_i||^2 with H_i = sum_t grad log pi R_it,
// where `advantages` holds R_it (the optimal baseline for reward-to-go needs <G_i, H_i>, their difference / 4).
var<private> trajectoryPass: u32;

// A sample's weight in the sum: A_it / N for the gradient; 1, 1 + R_it or 1 - R_it for the trajectory passes.
fn sampleWeightOf(sample: u32) -> f32 {
  if (!TRAJECTORY_GRAD_SQ) {
    return advantages[sample] * (1.0 / f32(config.numEnvs));
  }
  if (trajectoryPass == 0u) {
    return 1.0;
  }
  return 1.0 + select(-1.0, 1.0, trajectoryPass == 1u) * advantages[sample];
}

// The sample at position `flat` (< lengthPrefix[ENVS_PER_GROUP]) of the workgroup's valid samples packed end to end.
fn packedSample(firstEnv: u32, flat: u32) -> u32 {
  // Its trajectory e: the last one that starts at or before `flat` (a binary search, the same number of steps for
  // every invocation; empty trajectories start where the next one does and are skipped).
  var e = 0u;
  for (var step = 1u << firstLeadingBit(ENVS_PER_GROUP); step > 0u; step >>= 1u) {
    let next = min(e + step, ENVS_PER_GROUP);
    e = select(e, next, next < ENVS_PER_GROUP && lengthPrefix[next] <= flat);
  }
  return (firstEnv + e) * HORIZON + (flat - lengthPrefix[e]);
}

struct TileSlot {
  sample: u32,
  weight: f32,
}

// Slot `flat` of a tile: its sample and weight, or past the segment's end (which is > 0) the segment's last sample
// with weight 0, whose deltas are zero.
fn tileSlot(firstEnv: u32, flat: u32, segmentEnd: u32) -> TileSlot {
  let sample = packedSample(firstEnv, min(flat, segmentEnd - 1u));
  return TileSlot(sample, select(0.0, sampleWeightOf(sample), flat < segmentEnd));
}
