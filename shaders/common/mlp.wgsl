// Forward pass of the policy MLP for one sample, with activations kept in a private array of vec4s.
//
// Layout (src/policy/layout.ts writes the constants): every layer's widths are padded to whole vec4s with
// zero weights, which leaves the function unchanged. Layer l's weights are rows of LAYER_IN4[l] vec4s
// (row o = output unit o), starting at LAYER_WEIGHT4[l]; its bias is LAYER_OUT4[l] vec4s at LAYER_BIAS4[l].
// activations[LAYER_ACT4[l] ..] holds layer l's input; activations[LAYER_ACT4[LAYER_COUNT] ..] the logits.
// The kernel that includes this file declares `policyParams: array<vec4f>`.

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

fn mlpForward(observation: array<vec4f, OBS4>) {
  for (var k = 0u; k < OBS4; k++) {
    activations[k] = observation[k];
  }
  for (var layer = 0u; layer < LAYER_COUNT; layer++) {
    let in4 = LAYER_IN4[layer];
    let inOffset = LAYER_ACT4[layer];
    let outOffset = LAYER_ACT4[layer + 1u];
    let isOutput = layer + 1u == LAYER_COUNT;
    var row = LAYER_WEIGHT4[layer];
    for (var o4 = 0u; o4 < LAYER_OUT4[layer]; o4++) {
      var z = policyParams[LAYER_BIAS4[layer] + o4];
      for (var lane = 0u; lane < 4u; lane++) {
        var sum = vec4f(0.0);
        for (var i = 0u; i < in4; i++) {
          sum += policyParams[row + i] * activations[inOffset + i];
        }
        z[lane] += sum.x + sum.y + sum.z + sum.w;
        row += in4;
      }
      activations[outOffset + o4] = select(activate(z), z, isOutput);
    }
  }
}

fn mlpLogits() -> array<f32, ACTION_COUNT> {
  var logits: array<f32, ACTION_COUNT>;
  let offset = LAYER_ACT4[LAYER_COUNT];
  for (var a = 0u; a < ACTION_COUNT; a++) {
    logits[a] = activations[offset + a / 4u][a % 4u];
  }
  return logits;
}
