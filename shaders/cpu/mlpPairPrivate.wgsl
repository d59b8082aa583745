// The forward pass of two samples from a private copy of the weights, every loop unrolled: the kernel plan's
// privateWeights (src/algo/kernelPlan.ts), which rollout.wgsl uses on CPU adapters.
// Needs: binding policyParams (rollout.wgsl; read directly, not through policyWeight), activations, activate
//   (common/mlp.wgsl) and activationsB (common/mlpPair.wgsl), both included by the kernel, PRIVATE_WEIGHT_LAYERS
//   (host prelude, src/algo/kernels.ts), OBS4, PARAM4, LAYER_COUNT, LAYER_IN4, LAYER_OUT4, LAYER_WEIGHT4,
//   LAYER_BIAS4, LAYER_ACT4 (host prelude, src/policy/layout.ts)
// Provides: weightCopy (private), copyWeights, mlpForwardPairPrivate
//
// On SwiftShader each invocation is a SIMD lane and a buffer load at an index that is not a compile-time constant is a
// per-lane gather: mlpForwardPair (mlpPair.wgsl) pays one for every weight block and, through its rolled loops, for
// every activation it reads. Here each invocation first copies the weights into private memory (copyWeights, once per
// episode) and the layers run unrolled (#unroll, src/gpu/unrollLoops.ts), so every weight and activation read is one
// vector load at a constant index: the copy holds the same weights in every lane, so a lane-wide load of it is the
// broadcast the pair needs. Same sums in the same order as mlpForwardPair, so the same episodes. The host constant
// PRIVATE_WEIGHT_LAYERS (src/algo/kernels.ts) is LAYER_COUNT with privateWeights and 0 without (the unrolled
// layers are then empty).

var<private> weightCopy: array<vec4f, select(1u, PARAM4, PRIVATE_WEIGHT_LAYERS > 0u)>;

fn copyWeights() {
  for (var k = 0u; k < PARAM4; k++) {
    weightCopy[k] = policyParams[k];
  }
}

// mlpForwardPair (mlpPair.wgsl) from weightCopy.
fn mlpForwardPairPrivate(observation: array<vec4f, OBS4>, observationB: array<vec4f, OBS4>) {
  #unroll
  for (var k = 0u; k < OBS4; k++) {
    activations[k] = observation[k];
    activationsB[k] = observationB[k];
  }
  #unroll
  for (var layer = 0u; layer < PRIVATE_WEIGHT_LAYERS; layer++) {
    const in4 = LAYER_IN4[layer];
    const isOutput = layer + 1u == LAYER_COUNT;
    #unroll
    for (var o4 = 0u; o4 < LAYER_OUT4[layer]; o4++) {
      var z = weightCopy[LAYER_BIAS4[layer] + o4];
      var zB = z;
      #unroll
      for (var i = 0u; i < LAYER_IN4[layer]; i++) {
        // The 4x4 block of rows o4 * 4.. and input vec4 i, as weightBlock (mlp.wgsl) makes it.
        const first = LAYER_WEIGHT4[layer] + o4 * 4u * in4 + i;
        let w4x4 = mat4x4f(weightCopy[first], weightCopy[first + in4], weightCopy[first + 2u * in4],
                           weightCopy[first + 3u * in4]);
        z += activations[LAYER_ACT4[layer] + i] * w4x4;
        zB += activationsB[LAYER_ACT4[layer] + i] * w4x4;
      }
      activations[LAYER_ACT4[layer + 1u] + o4] = select(activate(z), z, isOutput);
      activationsB[LAYER_ACT4[layer + 1u] + o4] = select(activate(zB), zB, isOutput);
    }
  }
}
