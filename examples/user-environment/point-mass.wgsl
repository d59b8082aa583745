// An environment written by a user, against webgpu-reinforce's public WGSL interface only
// (README.md, "Writing an environment"): a point mass on a line, pushed by a bounded force, rewarded for
// staying near the origin. Train it with
//   npx webgpu-reinforce train --env-file examples/user-environment/point-mass.wgsl \
//                              --env-spec examples/user-environment/point-mass.json --iters 60
// and prove the port against reference transitions with
//   npx webgpu-reinforce check-env --env-file ... --env-spec ... --vectors examples/user-environment/point-mass-vectors.json
//
// Constants it uses from the engine: OBS4 (observation vec4s), STATE_DIM, ACTION_DIM, and from the spec's
// "constants": DT, FRICTION. clipAction (for Gaussian actions) clamps to the spec's action bounds.

struct EnvState {
  position: f32,
  velocity: f32,
}

// Start anywhere in [-1, 1] at rest. u: four U(0, 1) draws.
fn envReset(u: vec4f) -> EnvState {
  return EnvState(2.0 * u.x - 1.0, 0.0);
}

// What the policy sees, padded with zeros to whole vec4s.
fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(vec4f(s.position, s.velocity, 0.0, 0.0));
}

// One step: returns (reward, terminated ? 1 : 0). The action arrives as sampled; clip it to the bounds.
fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let force = clipAction(action)[0];
  let reward = -((*s).position * (*s).position) - 0.01 * force * force;
  (*s).velocity = (1.0 - FRICTION) * (*s).velocity + DT * force;
  (*s).position += DT * (*s).velocity;
  return vec2f(reward, 0.0);
}

// Optional, for check-env: the state as a vector (your reference implementation's layout) and back.
fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState {
  return EnvState(v[0], v[1]);
}

fn envToVector(s: EnvState) -> array<f32, STATE_DIM> {
  return array<f32, STATE_DIM>(s.position, s.velocity);
}
