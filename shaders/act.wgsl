// Acting: the policy applied to observations in a caller's buffer, actions written to a caller's buffer
// (src/policy/policyRunner.ts, the embedding API's encodeAct). One invocation per row:
//   observations  count x OBS_DIM float32, tightly packed (row r at r * OBS_DIM)
//   actions       count x ACTION_WORDS words: a u32 action index (categorical) or ACTION_DIM float32 (Gaussian)
// Deterministic: the most probable action (categorical) or the mean (Gaussian); otherwise a sample, drawn from
// Philox keyed by the runner's seed, the row and a call counter that `advance` steps after every call.

#include "common/philox.wgsl"
#include "common/mlp.wgsl"
#include "head"

override WORKGROUP_SIZE: u32 = 64u;

struct ActParams {
  count: u32,
  deterministic: u32,
  seed: u32,
  padding: u32,
}

@group(0) @binding(0) var<uniform> act: ActParams;
@group(0) @binding(1) var<storage, read> policyParams: array<vec4f>;
@group(0) @binding(2) var<storage, read> observations: array<f32>;
@group(0) @binding(3) var<storage, read_write> actions: array<u32>;
@group(0) @binding(4) var<storage, read_write> calls: array<u32>; // [0]: calls so far

fn policyWeight(q: u32) -> vec4f {
  return policyParams[q];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let row = id.x;
  if (row >= act.count) {
    return;
  }
  var observation: array<vec4f, OBS4>;
  for (var k = 0u; k < OBS_DIM; k++) {
    observation[k / 4u][k % 4u] = observations[row * OBS_DIM + k];
  }
  mlpForward(observation);
  let choice = policySample(randomUniform4(act.seed, row, 0u, calls[0], STREAM_STEP), act.deterministic == 1u);
  for (var k = 0u; k < ACTION_WORDS; k++) {
    actions[row * ACTION_WORDS + k] = actionWord(choice.action, k);
  }
}

@compute @workgroup_size(1)
fn advance() {
  calls[0] += 1u;
}
