// Two samples per invocation (the rollout's environment pairs, the backward pass's sample pairs): the forward pass
// of both at once, each 4x4 weight block loaded once for both (pairWeightBlock).
// Needs: policyWeight (the kernel, or common/backwardSamples.wgsl), OBS4, OUTPUT4, LAYER_COUNT, LAYER_IN4,
//   LAYER_OUT4, LAYER_WEIGHT4, LAYER_BIAS4, LAYER_ACT4, ACT4_TOTAL (host prelude, src/policy/layout.ts), the
//   "pairWeights" splice (src/algo/kernels.ts); includes common/mlp.wgsl and "pairWeights" itself
// Provides: activationsB (private), mlpForwardPair, mlpForwardPairTo, mlpLayersPair, headSeesSecondSample; and,
//   through its includes, the names of common/mlp.wgsl and of "pairWeights" (startPairWeights, pairWeightBlock,
//   wholeSubgroup)
//
// How an invocation gets a weight block is spliced in by the host as "pairWeights" (src/algo/kernels.ts, by the
// kernel plan's subgroupWeightSharing (src/algo/kernelPlan.ts)): every invocation loads it for itself
// (common/pairWeightsPerLane.wgsl), or each loads one row slice (its index in the subgroup, mod 4) and the
// subgroup shares them (cpu/pairWeightsSubgroup.wgsl). The subgroup one needs every call made by whole subgroups:
// the kernels call startPairWeights() first, run pairs in lockstep and leave loops with wholeSubgroup(done), so it
// holds there.
#include "common/mlp.wgsl"
#include "pairWeights"

// Two samples' forward passes at once: the first into `activations`, the second into `activationsB`, each 4x4
// weight block loaded once for both. On SwiftShader every load here is a per-lane gather (each invocation is a SIMD
// lane) and the weight loads dominate; sharing them took a forward-only 4-64-64-4 loop from 1.41 to 2.16 GFLOP/s
// (four samples: 2.22). A GPU keeps one sample per invocation (see the kernel plan's samplesPerInvocation
// (src/algo/kernelPlan.ts)).
var<private> activationsB: array<vec4f, ACT4_TOTAL>;

fn mlpForwardPair(observation: array<vec4f, OBS4>, observationB: array<vec4f, OBS4>) {
  mlpForwardPairTo(observation, observationB, LAYER_COUNT);
}

// mlpForwardTo (mlp.wgsl) for both samples: from the observations through layers 0..end-1.
fn mlpForwardPairTo(observation: array<vec4f, OBS4>, observationB: array<vec4f, OBS4>, end: u32) {
  for (var k = 0u; k < OBS4; k++) {
    activations[k] = observation[k];
    activationsB[k] = observationB[k];
  }
  mlpLayersPair(0u, end);
}

// mlpLayers (mlp.wgsl) for both samples: layers first..end-1, each weight block loaded once for both.
fn mlpLayersPair(first: u32, end: u32) {
  for (var layer = first; layer < end; layer++) {
    let in4 = LAYER_IN4[layer];
    let out4 = LAYER_OUT4[layer];
    let bias4 = LAYER_BIAS4[layer];
    let inOffset = LAYER_ACT4[layer];
    let outOffset = LAYER_ACT4[layer + 1u];
    let isOutput = layer + 1u == LAYER_COUNT;
    var row = LAYER_WEIGHT4[layer];
    for (var o4 = 0u; o4 < out4; o4++) {
      var z = policyWeight(bias4 + o4);
      var zB = z;
      for (var i = 0u; i < in4; i++) {
        let w4x4 = pairWeightBlock(row + i, in4);
        z += activations[inOffset + i] * w4x4;
        zB += activationsB[inOffset + i] * w4x4;
      }
      row += 4u * in4;
      activations[outOffset + o4] = select(activate(z), z, isOutput);
      activationsB[outOffset + o4] = select(activate(zB), zB, isOutput);
    }
  }
}

// The policy head reads "the sample whose forward pass just ran" from `activations`: after mlpForwardPair, this
// hands it the second sample (overwriting the first one's outputs; its hidden layers stay).
fn headSeesSecondSample() {
  let offset = LAYER_ACT4[LAYER_COUNT];
  for (var k = 0u; k < OUTPUT4; k++) {
    activations[offset + k] = activationsB[offset + k];
  }
}
