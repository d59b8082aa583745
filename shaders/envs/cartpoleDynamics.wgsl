// CartPole-v1 dynamics, ported from Gymnasium 1.4.0 gymnasium/envs/classic_control/cartpole.py
// (CartPoleEnv.step/reset), default options: euler integration, sutton_barto_reward = False, 500-step limit.
// Shared by envs/cartpole.wgsl (sees the whole state) and envs/cartpolePomdp.wgsl (sees positions only).
// State vector (Gymnasium's layout): [x, x_dot, theta, theta_dot].
// Needs: Action (the categorical "action" splice, u32; the kernel includes it directly or through "head"),
//   STATE_DIM (host prelude, the descriptor's stateDim, src/envs/environmentSource.ts); includes
//   common/preciseTrig.wgsl itself
// Provides: CARTPOLE_* constants, EnvState, envReset, envStep, envFromVector, envToVector (envObserve is left to its
//   includer); and, through its include, the names of common/preciseTrig.wgsl

#include "common/preciseTrig.wgsl"

const CARTPOLE_GRAVITY: f32 = 9.8;
const CARTPOLE_MASS_CART: f32 = 1.0;
const CARTPOLE_MASS_POLE: f32 = 0.1;
const CARTPOLE_TOTAL_MASS: f32 = CARTPOLE_MASS_POLE + CARTPOLE_MASS_CART;
const CARTPOLE_HALF_LENGTH: f32 = 0.5; // "actually half the pole's length" (Gymnasium)
const CARTPOLE_POLE_MASS_LENGTH: f32 = CARTPOLE_MASS_POLE * CARTPOLE_HALF_LENGTH;
const CARTPOLE_FORCE: f32 = 10.0;
const CARTPOLE_TAU: f32 = 0.02;
const CARTPOLE_THETA_LIMIT: f32 = 12.0 * 2.0 * 3.14159265358979 / 360.0;
const CARTPOLE_X_LIMIT: f32 = 2.4;

struct EnvState {
  x: f32,
  xDot: f32,
  theta: f32,
  thetaDot: f32,
}

// reset(): each state variable ~ U(-0.05, 0.05)
fn envReset(u: vec4f) -> EnvState {
  let s = (u - 0.5) * 0.1;
  return EnvState(s.x, s.y, s.z, s.w);
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let force = select(-CARTPOLE_FORCE, CARTPOLE_FORCE, action == 1u);
  let cosTheta = preciseCos((*s).theta);
  let sinTheta = preciseSin((*s).theta);
  let temp = (force + CARTPOLE_POLE_MASS_LENGTH * (*s).thetaDot * (*s).thetaDot * sinTheta) / CARTPOLE_TOTAL_MASS;
  let thetaAcc = (CARTPOLE_GRAVITY * sinTheta - cosTheta * temp)
    / (CARTPOLE_HALF_LENGTH * (4.0 / 3.0 - CARTPOLE_MASS_POLE * cosTheta * cosTheta / CARTPOLE_TOTAL_MASS));
  let xAcc = temp - CARTPOLE_POLE_MASS_LENGTH * thetaAcc * cosTheta / CARTPOLE_TOTAL_MASS;
  // Euler, in Gymnasium's order: positions use the old velocities.
  (*s).x += CARTPOLE_TAU * (*s).xDot;
  (*s).xDot += CARTPOLE_TAU * xAcc;
  (*s).theta += CARTPOLE_TAU * (*s).thetaDot;
  (*s).thetaDot += CARTPOLE_TAU * thetaAcc;
  let terminated = abs((*s).x) > CARTPOLE_X_LIMIT || abs((*s).theta) > CARTPOLE_THETA_LIMIT;
  // Reward 1 on every step, the terminating one included.
  return vec2f(1.0, select(0.0, 1.0, terminated));
}

fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState {
  return EnvState(v[0], v[1], v[2], v[3]);
}

fn envToVector(s: EnvState) -> array<f32, STATE_DIM> {
  return array<f32, STATE_DIM>(s.x, s.xDot, s.theta, s.thetaDot);
}
