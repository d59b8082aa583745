// Environment conformance: one step (entry point main) or one reset (entry point reset) per case, from states
// in the environment's state-vector layout (envFromVector/envToVector: Gymnasium's layout for the built-in
// environments). Used by `webgpu-reinforce check-env` against reference transitions, and by the tests against
// the float64 references in src/envs/. The action head ("action") and environment ("env") are spliced in.

#include "common/philox.wgsl"
#include "action"
#include "common/loadAction.wgsl"
#include "env"

override WORKGROUP_SIZE: u32 = 64u;
override CASE_COUNT: u32 = 0u;

@group(0) @binding(0) var<storage, read> states: array<f32>;                  // CASE_COUNT x STATE_DIM
@group(0) @binding(1) var<storage, read> actions: array<u32>;                 // CASE_COUNT x ACTION_WORDS
@group(0) @binding(2) var<storage, read> uniforms: array<vec4f>;              // the step's (or reset's) U(0,1) draws
@group(0) @binding(3) var<storage, read_write> nextStates: array<f32>;        // CASE_COUNT x STATE_DIM
@group(0) @binding(4) var<storage, read_write> outcomes: array<vec2f>;        // (reward, terminated)
@group(0) @binding(5) var<storage, read_write> nextObservations: array<vec4f>; // CASE_COUNT x OBS4

fn loadState(index: u32) -> EnvState {
  var v: array<f32, STATE_DIM>;
  for (var k = 0u; k < STATE_DIM; k++) {
    v[k] = states[index * STATE_DIM + k];
  }
  return envFromVector(v);
}

fn storeResult(index: u32, state: EnvState, outcome: vec2f) {
  let v = envToVector(state);
  for (var k = 0u; k < STATE_DIM; k++) {
    nextStates[index * STATE_DIM + k] = v[k];
  }
  let observation = envObserve(state);
  for (var k = 0u; k < OBS4; k++) {
    nextObservations[index * OBS4 + k] = observation[k];
  }
  outcomes[index] = outcome;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= CASE_COUNT) {
    return;
  }
  var state = loadState(id.x);
  let outcome = envStep(&state, loadAction(id.x), uniforms[id.x]);
  storeResult(id.x, state, outcome);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn reset(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= CASE_COUNT) {
    return;
  }
  storeResult(id.x, envReset(uniforms[id.x]), vec2f(0.0));
}
