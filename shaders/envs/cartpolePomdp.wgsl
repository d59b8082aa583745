// cartpole-pomdp: CartPole-v1's dynamics and rewards, but the policy observes positions only, [x, theta]:
// both velocities are hidden, so the task is partially observed. The policy gradient still applies
// (log pi(a|o) in place of log pi(a|s)); a memoryless policy can only infer motion from nothing, which is
// what this environment measures.
// Needs: OBS4 (host prelude: src/policy/layout.ts, or src/envs/checkEnvironment.ts for envCheck.wgsl), and what
//   envs/cartpoleDynamics.wgsl needs (Action, STATE_DIM); includes envs/cartpoleDynamics.wgsl itself
// Provides (spliced as "env"): envObserve; and, through its include, EnvState, envReset, envStep, envFromVector,
//   envToVector and the other names of envs/cartpoleDynamics.wgsl

#include "envs/cartpoleDynamics.wgsl"

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(vec4f(s.x, s.theta, 0.0, 0.0));
}
