// Forward pass of the policy MLP for one sample, with activations kept in a private array of vec4s.
// Needs: policyWeight(q) -> vec4f, parameter vec4 q (the kernel, or common/backwardSamples.wgsl), OBS4, OUTPUT_DIM,
//   LAYER_COUNT, HIDDEN_ACTIVATION, LAYER_IN4, LAYER_OUT4, LAYER_WEIGHT4, LAYER_BIAS4, LAYER_ACT4, ACT4_TOTAL (host
//   prelude, src/policy/layout.ts)
// Provides: ACTIVATION_TANH, ACTIVATION_RELU, activations (private), activate, activationSlope, weightBlock,
//   mlpForward, mlpForwardTo, mlpLayers, mlpOutputs
//
// Layout (src/policy/layout.ts writes the constants): every layer's widths are padded to whole vec4s with
// zero weights, which leaves the function unchanged. Layer l's weights are rows of LAYER_IN4[l] vec4s
// (row o = output unit o), starting at LAYER_WEIGHT4[l]; its bias is LAYER_OUT4[l] vec4s at LAYER_BIAS4[l].
// activations[LAYER_ACT4[l] ..] holds layer l's input; activations[LAYER_ACT4[LAYER_COUNT] ..] the outputs.

const ACTIVATION_TANH: u32 = 0u;
const ACTIVATION_RELU: u32 = 1u;

var<private> activations: array<vec4f, ACT4_TOTAL>;

fn activate(z: vec4f) -> vec4f {
  if (HIDDEN_ACTIVATION == ACTIVATION_TANH) {
    return tanh(z);
  }
  return max(z, vec4f(0.0));
}

// d activation / d z, written in terms of the activation's output h.
fn activationSlope(h: vec4f) -> vec4f {
  if (HIDDEN_ACTIVATION == ACTIVATION_TANH) {
    return 1.0 - h * h;
  }
  return select(vec4f(0.0), vec4f(1.0), h > vec4f(0.0));
}

// The 4x4 block of a layer's weights at rows o..o+3 of input vec4 i: the row slices first, first + in4, .. (first is
// the row-o slice, LAYER_WEIGHT4[l] + o * in4 + i), one per column, so `a * block` gives the four units' sums.
fn weightBlock(first: u32, in4: u32) -> mat4x4f {
  return mat4x4f(policyWeight(first), policyWeight(first + in4), policyWeight(first + 2u * in4),
                 policyWeight(first + 3u * in4));
}

fn mlpForward(observation: array<vec4f, OBS4>) {
  mlpForwardTo(observation, LAYER_COUNT);
}

// The forward pass from the observation through layers 0..end-1.
fn mlpForwardTo(observation: array<vec4f, OBS4>, end: u32) {
  for (var k = 0u; k < OBS4; k++) {
    activations[k] = observation[k];
  }
  mlpLayers(0u, end);
}

// Layers first..end-1 of the forward pass, from the input of layer `first` already in `activations`.
fn mlpLayers(first: u32, end: u32) {
  for (var layer = first; layer < end; layer++) {
    // Look the layout up once per layer: indexing a const array is not free on every backend.
    let in4 = LAYER_IN4[layer];
    let out4 = LAYER_OUT4[layer];
    let bias4 = LAYER_BIAS4[layer];
    let inOffset = LAYER_ACT4[layer];
    let outOffset = LAYER_ACT4[layer + 1u];
    let isOutput = layer + 1u == LAYER_COUNT;
    // Four output units per pass over the input: each 4x4 block of W (four row slices) times the activation vec4
    // as one vector-times-matrix product. On SwiftShader this single product ran the rollout 15-20% faster than
    // four vec4 accumulators summed by dot() at the end (N 1024, 64x64). The same sums in another order (rounding
    // differs); on a GPU it was not timed.
    var row = LAYER_WEIGHT4[layer];
    for (var o4 = 0u; o4 < out4; o4++) {
      var z = policyWeight(bias4 + o4);
      for (var i = 0u; i < in4; i++) {
        z += activations[inOffset + i] * weightBlock(row + i, in4);
      }
      row += 4u * in4;
      activations[outOffset + o4] = select(activate(z), z, isOutput);
    }
  }
}

// The network's OUTPUT_DIM outputs from the last mlpForward (after mlpForwardPair, mlpPair.wgsl: the first sample's,
// or the second's once headSeesSecondSample ran): logits (categorical) or means (Gaussian).
fn mlpOutputs() -> array<f32, OUTPUT_DIM> {
  var outputs: array<f32, OUTPUT_DIM>;
  let offset = LAYER_ACT4[LAYER_COUNT];
  for (var k = 0u; k < OUTPUT_DIM; k++) {
    outputs[k] = activations[offset + k / 4u][k % 4u];
  }
  return outputs;
}
