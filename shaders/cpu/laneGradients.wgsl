// Backward pass for CPU adapters: the same policy gradient as shaders/backward.wgsl,
//     grad J = (1/N) sum_i sum_t grad log pi(a_it|s_it) * A_it,
// with every invocation adding its own samples into its own copy of the whole gradient, in private memory.
//
// Why: on a CPU adapter (SwiftShader) each invocation is a lane of a SIMD group. backward.wgsl's accumulation reads
// a tile's rows from workgroup memory at indices that are not compile-time constants, and each such float is a
// per-lane gather (a bounds check, then a branch and a scalar load per lane): two of them per 4 multiply-adds, and
// most of the kernel's time. Here an invocation runs a pair of samples (common/sampleDeltas.wgsl) and adds
// delta (x) h straight from its private `deltas` and `activations` into `gradient`, with every loop unrolled
// (#unroll, src/gpu/unrollLoops.ts) so that every index is a constant: each access is one vector load or store.
// At the end (once per workgroup, in a rolled loop) the workgroup's invocations add their copies together and write
// one partial gradient, which
// gradient.wgsl sums with the other workgroups' in a fixed order (deterministic, as with backward.wgsl).
//
// The price: private memory for the whole gradient per invocation (PARAM4 vec4s) and code that grows with the
// parameter count, so the host uses this kernel on CPU adapters for small policies only (the kernel plan's
// laneGradients (src/algo/kernelPlan.ts)), and backward.wgsl for ||g(tau_i)||^2 (TRAJECTORY_GRAD_SQ), which this
// kernel does not compute.

#include "common/config.wgsl"
#include "common/mlpPair.wgsl"
#include "head"
#include "common/loadAction.wgsl"
#include "common/backwardSamples.wgsl"
#include "common/sampleDeltas.wgsl"

// Invocations per workgroup: one SIMD group on SwiftShader (4 lanes). With the kernel plan's subgroupWeightSharing
// (src/algo/kernelPlan.ts) the pairs' weight loads assume these four invocations are subgroup invocations 0..3
// (cpu/pairWeightsSubgroup.wgsl), which holds wherever the host allows the sharing (subgroups of at least 4).
override LANE_THREADS: u32 = 4u;

var<private> gradient: array<vec4f, PARAM4>;
var<workgroup> gradientSum: array<vec4f, PARAM4>;

// Adds the samples whose deltas just ran (one, or a pair: with SAMPLES_PER_INVOCATION 1 `deltasB` stays zero) to
// `gradient`: each layer's bias rows (and the head's own parameters after the last layer's), then its weights,
// row o of W_l at LAYER_WEIGHT4[l] + o * LAYER_IN4[l].
fn accumulateSamples() {
  #unroll
  for (var layer = 0u; layer < LAYER_COUNT; layer++) {
    #unroll
    for (var r4 = 0u; r4 < LAYER_GRAD_OUT4[layer]; r4++) {
      gradient[LAYER_BIAS4[layer] + r4] += deltas[LAYER_DELTA4[layer] + r4] + deltasB[LAYER_DELTA4[layer] + r4];
    }
    #unroll
    for (var o = 0u; o < 4u * LAYER_OUT4[layer]; o++) {
      let d = deltas[LAYER_DELTA4[layer] + o / 4u][o % 4u];
      let dB = deltasB[LAYER_DELTA4[layer] + o / 4u][o % 4u];
      #unroll
      for (var c = 0u; c < LAYER_IN4[layer]; c++) {
        let h = activations[LAYER_ACT4[layer] + c];
        let hB = activationsB[LAYER_ACT4[layer] + c];
        gradient[LAYER_WEIGHT4[layer] + o * LAYER_IN4[layer] + c] += d * h + dB * hB;
      }
    }
  }
}

// The workgroup's partial gradient: its invocations' copies added in workgroup memory one invocation after another
// (a fixed order), then written out.
fn writePartialGradient(lid: u32, group: u32) {
  for (var turn = 0u; turn < LANE_THREADS; turn++) {
    if (lid == turn) {
      for (var k = 0u; k < PARAM4; k++) {
        gradientSum[k] = select(gradientSum[k], vec4f(0.0), turn == 0u) + gradient[k];
      }
    }
    workgroupBarrier();
  }
  for (var k = lid; k < PARAM4; k += LANE_THREADS) {
    partialGradients[group * PARAM4 + k] = gradientSum[k];
  }
}

@compute @workgroup_size(LANE_THREADS)
fn backwardGradient(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  if (SAMPLES_PER_INVOCATION == 2u) {
    startPairWeights();
  }
  let firstEnv = group.x * ENVS_PER_GROUP;
  loadLengthPrefix(lid, firstEnv);
  let end = workgroupUniformLoad(&lengthPrefix[ENVS_PER_GROUP]);
  // The whole workgroup steps together (pairs keep their subgroups whole); past `end` a slot repeats the last sample
  // with weight 0, whose deltas are zero.
  for (var first = 0u; first < end; first += SAMPLES_PER_INVOCATION * LANE_THREADS) {
    let flat = first + lid * SAMPLES_PER_INVOCATION;
    let a = tileSlot(firstEnv, flat, end);
    if (SAMPLES_PER_INVOCATION == 2u) {
      let b = tileSlot(firstEnv, flat + 1u, end);
      samplePairBackward(a.sample, a.weight, b.sample, b.weight);
    } else {
      sampleBackward(a.sample, a.weight);
    }
    accumulateSamples();
  }
  writePartialGradient(lid, group.x);
}
