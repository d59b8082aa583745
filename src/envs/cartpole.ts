// CartPole-v1 (Gymnasium 1.4.0, gymnasium/envs/classic_control/cartpole.py) and cartpole-pomdp (the same
// dynamics, velocities hidden): descriptors, and float64 reference dynamics that the WGSL kernels
// (shaders/envs/cartpole.wgsl, cartpolePomdp.wgsl) are tested against.
import type { EnvironmentDescriptor, ReferenceDynamics, Transition } from './environment.js';

export type CartPoleState = [x: number, xDot: number, theta: number, thetaDot: number];

/** CartPoleEnv's constants (the benchmark's peers use them too). */
export const CARTPOLE = {
  GRAVITY: 9.8,
  MASS_CART: 1.0,
  MASS_POLE: 0.1,
  TOTAL_MASS: 0.1 + 1.0,
  HALF_LENGTH: 0.5,
  POLE_MASS_LENGTH: 0.1 * 0.5,
  FORCE: 10.0,
  TAU: 0.02,
  THETA_LIMIT: (12 * 2 * Math.PI) / 360,
  X_LIMIT: 2.4,
} as const;
const { GRAVITY, TOTAL_MASS, HALF_LENGTH, MASS_POLE, POLE_MASS_LENGTH, FORCE, TAU, THETA_LIMIT, X_LIMIT } = CARTPOLE;

/** One Euler step, as CartPoleEnv.step does it; reward 1 on every step including the terminating one. */
export function cartpoleStep(state: readonly number[], action: number): Transition {
  const [x, xDot, theta, thetaDot] = state as CartPoleState;
  const force = action === 1 ? FORCE : -FORCE;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
  const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4 / 3 - (MASS_POLE * cos * cos) / TOTAL_MASS));
  const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
  const next = [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
  const terminated = Math.abs(next[0] as number) > X_LIMIT || Math.abs(next[2] as number) > THETA_LIMIT;
  return { next, reward: 1, terminated };
}

/** reset(): each component ~ U(-0.05, 0.05), from four uniforms in (0, 1). */
export function cartpoleReset(u: readonly number[]): number[] {
  return u.slice(0, 4).map((v) => (v - 0.5) * 0.1);
}

const dynamics = (observe: (s: readonly number[]) => number[]): ReferenceDynamics => ({
  reset: cartpoleReset,
  step: (state, action) => cartpoleStep(state, action as number),
  observe,
});

export const cartpole: EnvironmentDescriptor = {
  name: 'cartpole',
  obsDim: 4,
  action: { kind: 'categorical', n: 2 },
  horizon: 500,
  stateDim: 4,
  shader: { file: 'envs/cartpole.wgsl' },
  rewardThreshold: 475,
  reference: dynamics((s) => [...s]),
};

export const cartpolePomdp: EnvironmentDescriptor = {
  name: 'cartpole-pomdp',
  obsDim: 2,
  action: { kind: 'categorical', n: 2 },
  horizon: 500,
  stateDim: 4,
  shader: { file: 'envs/cartpolePomdp.wgsl' },
  rewardThreshold: 475,
  reference: dynamics((s) => [s[0] as number, s[2] as number]),
};
