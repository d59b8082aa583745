// CartPole-v1 (Gymnasium 1.4.0): the policy observes the whole state [x, x_dot, theta, theta_dot].
// The environment interface every file in shaders/envs/ implements is described in README.md
// ("Writing an environment").
// Needs: OBS4 (host prelude: src/policy/layout.ts, or src/envs/checkEnvironment.ts for envCheck.wgsl), and what
//   envs/cartpoleDynamics.wgsl needs (Action, STATE_DIM); includes envs/cartpoleDynamics.wgsl itself
// Provides (spliced as "env"): envObserve; and, through its include, EnvState, envReset, envStep, envFromVector,
//   envToVector and the other names of envs/cartpoleDynamics.wgsl

#include "envs/cartpoleDynamics.wgsl"

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(vec4f(s.x, s.xDot, s.theta, s.thetaDot));
}
