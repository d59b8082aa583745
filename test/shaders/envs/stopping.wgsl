// A four-step MDP with random, action-dependent termination, small enough to enumerate (test/reference/stopping.ts),
// run through the engine's own kernels. State (t, x), x in {0, 1} drawn uniformly at reset and after every step.
// Action a pays 1 when a == x and 0.2 otherwise; then the episode ends with probability 0.6 after a = 0 and 0.15
// after a = 1 (and at the horizon, 4 steps). Observations are one-hot over (t, x): 8 components.
// Needs: OBS4 (host prelude), Action (the categorical head's "action")
// Provides: EnvState, envReset, envObserve, envStep

struct EnvState {
  t: u32,
  x: u32,
}

fn envReset(u: vec4f) -> EnvState {
  return EnvState(0u, select(0u, 1u, u.x < 0.5));
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  var observation = array<vec4f, OBS4>();
  let k = min(s.t, 3u) * 2u + s.x;
  observation[k / 4u][k % 4u] = 1.0;
  return observation;
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let reward = select(0.2, 1.0, action == (*s).x);
  let stop = u.y < select(0.6, 0.15, action == 1u);
  (*s).t += 1u;
  (*s).x = select(0u, 1u, u.x < 0.5);
  return vec2f(reward, select(0.0, 1.0, stop));
}
