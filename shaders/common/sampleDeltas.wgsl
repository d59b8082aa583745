// One sample's (or a pair's) deltas in an invocation's private arrays: its forward pass, then
//     delta_L = w * d log pi(a|s) / d z_L (the head's policyGradient),
//     delta_{l-1} = (W_l^T delta_l) * f'(h_{l-1}),   w = A_it / N
// into `deltas` (and `deltasB`), the layer inputs left in `activations` (and `activationsB`). Included by
// shaders/backward.wgsl and shaders/cpu/laneGradients.wgsl, after common/mlpPair.wgsl, the head,
// common/loadAction.wgsl and common/backwardSamples.wgsl.
// Needs: activations, activationSlope, weightBlock, mlpForwardTo, mlpLayers (common/mlp.wgsl), activationsB,
//   pairWeightBlock, mlpForwardPairTo, mlpLayersPair, headSeesSecondSample (common/mlpPair.wgsl), policyGradient
//   (the "head" splice), loadAction (common/loadAction.wgsl), bindings observations and storedActivations
//   (common/backwardSamples.wgsl), OBS4, LAYER_COUNT, LAYER_IN4, LAYER_OUT4, LAYER_WEIGHT4, LAYER_ACT4,
//   LAYER_DELTA4, ACT4_TOTAL, DELTA4_TOTAL, HEAD_DELTA4, STORED_FIRST4, STORED4 (host prelude, src/policy/layout.ts)
// Provides: overrides SAMPLES_PER_INVOCATION, USE_STORED_ACTIVATIONS; deltas, deltasB (private); loadStoredRows,
//   forward, forwardPair, loadObservation, sampleBackward, samplePairBackward

// Samples an invocation runs through the forward and delta passes at once: 1, or 2 (sharing every weight load:
// mlpForwardPair; the kernel plan's samplesPerInvocation (src/algo/kernelPlan.ts) picks 2 on CPU adapters).
override SAMPLES_PER_INVOCATION: u32 = 1u;

var<private> deltas: array<vec4f, DELTA4_TOTAL>;
var<private> deltasB: array<vec4f, DELTA4_TOTAL>; // the second sample's, with SAMPLES_PER_INVOCATION 2

// The forward pass reads the hidden rows the rollout kept (STORED_FIRST4.., rollout.wgsl STORE_ACTIVATIONS) and
// computes only the first layer and the output layer: the kernel plan's storeActivations (src/algo/kernelPlan.ts).
override USE_STORED_ACTIVATIONS: bool = false;

fn loadStoredRows(sample: u32, rows: ptr<private, array<vec4f, ACT4_TOTAL>>) {
  for (var k = 0u; k < STORED4; k++) {
    (*rows)[STORED_FIRST4 + k] = storedActivations[sample * STORED4 + k];
  }
}

// The forward pass of one sample into `activations`: whole, or with the kept rows, the first layer, the rows read
// and the output layer.
fn forward(sample: u32) {
  mlpForwardTo(loadObservation(sample), select(LAYER_COUNT, 1u, USE_STORED_ACTIVATIONS));
  if (USE_STORED_ACTIVATIONS) {
    loadStoredRows(sample, &activations);
    mlpLayers(LAYER_COUNT - 1u, LAYER_COUNT);
  }
}

// forward for two samples, into `activations` and `activationsB`.
fn forwardPair(sample: u32, sampleB: u32) {
  mlpForwardPairTo(loadObservation(sample), loadObservation(sampleB), select(LAYER_COUNT, 1u, USE_STORED_ACTIVATIONS));
  if (USE_STORED_ACTIVATIONS) {
    loadStoredRows(sample, &activations);
    loadStoredRows(sampleB, &activationsB);
    mlpLayersPair(LAYER_COUNT - 1u, LAYER_COUNT);
  }
}

fn loadObservation(sample: u32) -> array<vec4f, OBS4> {
  var observation: array<vec4f, OBS4>;
  for (var k = 0u; k < OBS4; k++) {
    observation[k] = observations[sample * OBS4 + k];
  }
  return observation;
}

// Forward, then weight * d log pi(a|s) / d(pre-activations) for every layer, into `deltas`.
fn sampleBackward(sample: u32, weight: f32) {
  forward(sample);
  let headGradient = policyGradient(loadAction(sample));
  let outputDelta = LAYER_DELTA4[LAYER_COUNT - 1u];
  for (var k = 0u; k < HEAD_DELTA4; k++) {
    deltas[outputDelta + k] = weight * headGradient[k];
  }
  for (var layer = LAYER_COUNT - 1u; layer > 0u; layer--) {
    let in4 = LAYER_IN4[layer];
    let below = LAYER_DELTA4[layer - 1u];
    let above = LAYER_DELTA4[layer];
    // delta_{l-1}[i] = sum over o4 of W_l[o..o+3][i]^T delta_l[o..o+3], one 4x4 block times a vec4 at a time, summed in
    // a register (input-major: each delta_{l-1} vec4 is written once, not read and written per block).
    let out4 = LAYER_OUT4[layer];
    let act = LAYER_ACT4[layer];
    for (var i = 0u; i < in4; i++) {
      var sum = vec4f(0.0);
      var row = LAYER_WEIGHT4[layer] + i;
      for (var o4 = 0u; o4 < out4; o4++) {
        sum += weightBlock(row, in4) * deltas[above + o4];
        row += 4u * in4;
      }
      deltas[below + i] = sum * activationSlope(activations[act + i]);
    }
  }
}

// sampleBackward for two samples at once (into deltas and deltasB), every weight block loaded once for both.
fn samplePairBackward(sample: u32, weight: f32, sampleB: u32, weightB: f32) {
  forwardPair(sample, sampleB);
  let headGradient = policyGradient(loadAction(sample));
  headSeesSecondSample();
  let headGradientB = policyGradient(loadAction(sampleB));
  let outputDelta = LAYER_DELTA4[LAYER_COUNT - 1u];
  for (var k = 0u; k < HEAD_DELTA4; k++) {
    deltas[outputDelta + k] = weight * headGradient[k];
    deltasB[outputDelta + k] = weightB * headGradientB[k];
  }
  for (var layer = LAYER_COUNT - 1u; layer > 0u; layer--) {
    let in4 = LAYER_IN4[layer];
    let below = LAYER_DELTA4[layer - 1u];
    let above = LAYER_DELTA4[layer];
    let out4 = LAYER_OUT4[layer];
    let act = LAYER_ACT4[layer];
    for (var i = 0u; i < in4; i++) {
      var sum = vec4f(0.0);
      var sumB = vec4f(0.0);
      var row = LAYER_WEIGHT4[layer] + i;
      for (var o4 = 0u; o4 < out4; o4++) {
        let w4x4 = pairWeightBlock(row, in4);
        sum += w4x4 * deltas[above + o4];
        sumB += w4x4 * deltasB[above + o4];
        row += 4u * in4;
      }
      deltas[below + i] = sum * activationSlope(activations[act + i]);
      deltasB[below + i] = sumB * activationSlope(activationsB[act + i]);
    }
  }
}
