// MountainCarContinuous-v0, ported from Gymnasium 1.4.0
// gymnasium/envs/classic_control/continuous_mountain_car.py (Continuous_MountainCarEnv, goal_velocity = 0),
// 999-step limit. Action: force, clipped to [-1, 1] for the dynamics; the reward charges the action as sampled:
// reward = 100 on reaching the goal (position >= 0.45 with velocity >= 0, which terminates) - 0.1 action^2.
// The reward is sparse: plain REINFORCE with a small exploration noise rarely finds the goal (see README).
// State vector and observation (Gymnasium's layout): [position, velocity].
// Needs: Action (the Gaussian "action" splice, array<f32, ACTION_DIM>; the kernel includes it directly or through
//   "head"), clipAction (common/gaussianAction.wgsl, that splice), OBS4 (host prelude: src/policy/layout.ts, or
//   src/envs/checkEnvironment.ts for envCheck.wgsl), STATE_DIM (host prelude, the descriptor's stateDim,
//   src/envs/environmentSource.ts); includes common/preciseTrig.wgsl itself
// Provides (spliced as "env"): EnvState, envReset, envObserve, envStep, envFromVector, envToVector; MOUNTAIN_CAR_*
//   constants; and, through its include, the names of common/preciseTrig.wgsl

#include "common/preciseTrig.wgsl"

const MOUNTAIN_CAR_MIN_POSITION: f32 = -1.2;
const MOUNTAIN_CAR_MAX_POSITION: f32 = 0.6;
const MOUNTAIN_CAR_MAX_SPEED: f32 = 0.07;
const MOUNTAIN_CAR_GOAL_POSITION: f32 = 0.45;
const MOUNTAIN_CAR_GOAL_VELOCITY: f32 = 0.0;
const MOUNTAIN_CAR_POWER: f32 = 0.0015;

struct EnvState {
  position: f32,
  velocity: f32,
}

// reset(): position ~ U(-0.6, -0.4), velocity 0
fn envReset(u: vec4f) -> EnvState {
  return EnvState(-0.6 + 0.2 * u.x, 0.0);
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(vec4f(s.position, s.velocity, 0.0, 0.0));
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let force = clipAction(action)[0];
  var velocity = (*s).velocity + force * MOUNTAIN_CAR_POWER - 0.0025 * preciseCos(3.0 * (*s).position);
  velocity = clamp(velocity, -MOUNTAIN_CAR_MAX_SPEED, MOUNTAIN_CAR_MAX_SPEED);
  var position = clamp((*s).position + velocity, MOUNTAIN_CAR_MIN_POSITION, MOUNTAIN_CAR_MAX_POSITION);
  if (position == MOUNTAIN_CAR_MIN_POSITION && velocity < 0.0) {
    velocity = 0.0;
  }
  (*s).position = position;
  (*s).velocity = velocity;
  let terminated = position >= MOUNTAIN_CAR_GOAL_POSITION && velocity >= MOUNTAIN_CAR_GOAL_VELOCITY;
  let reward = select(0.0, 100.0, terminated) - 0.1 * action[0] * action[0];
  return vec2f(reward, select(0.0, 1.0, terminated));
}

fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState {
  return EnvState(v[0], v[1]);
}

fn envToVector(s: EnvState) -> array<f32, STATE_DIM> {
  return array<f32, STATE_DIM>(s.position, s.velocity);
}
