// MountainCarContinuous-v0 (Gymnasium 1.4.0, gymnasium/envs/classic_control/continuous_mountain_car.py):
// descriptor and float64 reference dynamics for shaders/envs/mountainCarContinuous.wgsl.
import { clamp, type EnvironmentDescriptor, firstComponent, type ReferenceDynamics } from './environment.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const GOAL_VELOCITY = 0;
const POWER = 0.0015;

const reference: ReferenceDynamics = {
  reset: (u) => [-0.6 + 0.2 * (u[0] as number), 0],
  step: ([position, velocity], action) => {
    const a = firstComponent(action);
    const force = clamp(a, -1, 1);
    let v = clamp((velocity as number) + force * POWER - 0.0025 * Math.cos(3 * (position as number)), -MAX_SPEED, MAX_SPEED);
    const p = clamp((position as number) + v, MIN_POSITION, MAX_POSITION);
    if (p === MIN_POSITION && v < 0) v = 0;
    const terminated = p >= GOAL_POSITION && v >= GOAL_VELOCITY;
    return { next: [p, v], reward: (terminated ? 100 : 0) - 0.1 * a * a, terminated };
  },
  observe: (s) => [...s],
};

export const mountainCarContinuous: EnvironmentDescriptor = {
  name: 'mountaincar-continuous',
  obsDim: 2,
  action: { kind: 'gaussian', dim: 1, low: [-1], high: [1] },
  horizon: 999,
  stateDim: 2,
  shader: { file: 'envs/mountainCarContinuous.wgsl' },
  rewardThreshold: 90,
  reference,
};
