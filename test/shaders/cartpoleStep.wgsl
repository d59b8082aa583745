// Test kernel: one CartPole step from each given state and action (the environment under test is spliced in).
#include "env"

struct Transition {
  state: vec4f,
  action: u32,
}

@group(0) @binding(0) var<storage, read> transitions: array<Transition>;
@group(0) @binding(1) var<storage, read_write> results: array<vec4f>; // next state, then (reward, terminated, obs0, 0)

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= arrayLength(&transitions)) {
    return;
  }
  let t = transitions[id.x];
  var state = EnvState(t.state.x, t.state.y, t.state.z, t.state.w);
  let outcome = envStep(&state, t.action, vec4f(0.5));
  results[2u * id.x] = vec4f(state.x, state.xDot, state.theta, state.thetaDot);
  results[2u * id.x + 1u] = vec4f(outcome.x, outcome.y, envObserve(state)[0].x, 0.0);
}
