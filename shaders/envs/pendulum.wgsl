// Pendulum-v1, ported from Gymnasium 1.4.0 gymnasium/envs/classic_control/pendulum.py (PendulumEnv):
// g = 10, m = 1, l = 1, dt = 0.05, max speed 8, max torque 2, 200-step limit, never terminates.
// Action: torque, clipped to [-2, 2]. Reward -(angle_normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2) on the
// state before the step and the clipped torque.
// State vector (Gymnasium's layout): [theta, theta_dot]; observation [cos theta, sin theta, theta_dot].
// Needs: Action (the Gaussian "action" splice, array<f32, ACTION_DIM>; the kernel includes it directly or through
//   "head"), clipAction (common/gaussianAction.wgsl, that splice), OBS4 (host prelude: src/policy/layout.ts, or
//   src/envs/checkEnvironment.ts for envCheck.wgsl), STATE_DIM (host prelude, the descriptor's stateDim,
//   src/envs/environmentSource.ts); includes common/preciseTrig.wgsl itself
// Provides (spliced as "env"): EnvState, envReset, envObserve, envStep, envFromVector, envToVector; PENDULUM_*
//   constants, pendulumAngleNormalize; and, through its include, the names of common/preciseTrig.wgsl

#include "common/preciseTrig.wgsl"

const PENDULUM_G: f32 = 10.0;
const PENDULUM_M: f32 = 1.0;
const PENDULUM_L: f32 = 1.0;
const PENDULUM_DT: f32 = 0.05;
const PENDULUM_MAX_SPEED: f32 = 8.0;
const PENDULUM_PI: f32 = 3.14159265358979;

struct EnvState {
  theta: f32,
  thetaDot: f32,
}

// reset(): theta ~ U(-pi, pi), theta_dot ~ U(-1, 1)
fn envReset(u: vec4f) -> EnvState {
  return EnvState((2.0 * u.x - 1.0) * PENDULUM_PI, 2.0 * u.y - 1.0);
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(vec4f(preciseCos(s.theta), preciseSin(s.theta), s.thetaDot, 0.0));
}

// angle_normalize(x) = ((x + pi) % (2 pi)) - pi, with Python's floored modulo.
fn pendulumAngleNormalize(x: f32) -> f32 {
  let y = x + PENDULUM_PI;
  return y - 2.0 * PENDULUM_PI * floor(y / (2.0 * PENDULUM_PI)) - PENDULUM_PI;
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let torque = clipAction(action)[0];
  let theta = (*s).theta;
  let thetaDot = (*s).thetaDot;
  let angle = pendulumAngleNormalize(theta);
  let cost = angle * angle + 0.1 * thetaDot * thetaDot + 0.001 * torque * torque;
  let accel = 3.0 * PENDULUM_G / (2.0 * PENDULUM_L) * preciseSin(theta) + 3.0 / (PENDULUM_M * PENDULUM_L * PENDULUM_L) * torque;
  let newThetaDot = clamp(thetaDot + accel * PENDULUM_DT, -PENDULUM_MAX_SPEED, PENDULUM_MAX_SPEED);
  (*s).theta = theta + newThetaDot * PENDULUM_DT;
  (*s).thetaDot = newThetaDot;
  return vec2f(-cost, 0.0);
}

fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState {
  return EnvState(v[0], v[1]);
}

fn envToVector(s: EnvState) -> array<f32, STATE_DIM> {
  return array<f32, STATE_DIM>(s.theta, s.thetaDot);
}
