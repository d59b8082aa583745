// Test kernel: draws from the categorical head for given logits rows, as the rollout draws them.
#include "common/philox.wgsl"
#include "common/categorical.wgsl"

const DRAWS: u32 = 20000u;

@group(0) @binding(0) var<storage, read> logitRows: array<array<f32, ACTION_COUNT>>;
@group(0) @binding(1) var<storage, read_write> draws: array<vec4f>; // (action, logProb, entropy, 0)

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let row = id.x / DRAWS;
  let draw = id.x % DRAWS;
  if (row >= arrayLength(&logitRows)) {
    return;
  }
  let u = randomUniform4(SEED, row, draw, 0u, STREAM_STEP);
  let sample = categoricalSample(logitRows[row], u.x, false);
  draws[id.x] = vec4f(f32(sample.action), sample.logProb, sample.entropy, 0.0);
}
