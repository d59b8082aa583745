// CartPole-v1 (Gymnasium 1.4.0, gymnasium/envs/classic_control/cartpole.py): the descriptor, and float64
// reference dynamics that the WGSL kernel (shaders/envs/cartpole.wgsl) is tested against.
import type { EnvironmentDescriptor } from './environment.js';

export const cartpole: EnvironmentDescriptor = {
  name: 'cartpole',
  obsDim: 4,
  actionCount: 2,
  horizon: 500,
  shader: { file: 'envs/cartpole.wgsl' },
  rewardThreshold: 475,
};

export type CartPoleState = [x: number, xDot: number, theta: number, thetaDot: number];

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
const HALF_LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE = 10.0;
const TAU = 0.02;
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
const X_LIMIT = 2.4;

/** One Euler step, as CartPoleEnv.step does it; reward 1 on every step including the terminating one. */
export function cartpoleStep(state: CartPoleState, action: number): { next: CartPoleState; reward: number; terminated: boolean } {
  const [x, xDot, theta, thetaDot] = state;
  const force = action === 1 ? FORCE : -FORCE;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
  const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4 / 3 - (MASS_POLE * cos * cos) / TOTAL_MASS));
  const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
  const next: CartPoleState = [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
  const terminated = next[0] < -X_LIMIT || next[0] > X_LIMIT || next[2] < -THETA_LIMIT || next[2] > THETA_LIMIT;
  return { next, reward: 1, terminated };
}

/** reset(): each component ~ U(-0.05, 0.05), from four uniforms in (0, 1). */
export function cartpoleReset(u: readonly number[]): CartPoleState {
  return u.slice(0, 4).map((v) => (v - 0.5) * 0.1) as CartPoleState;
}
