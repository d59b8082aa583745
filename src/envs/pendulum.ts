// Pendulum-v1 (Gymnasium 1.4.0, gymnasium/envs/classic_control/pendulum.py): descriptor and float64
// reference dynamics for shaders/envs/pendulum.wgsl.
import { clamp, type EnvironmentDescriptor, firstComponent, type ReferenceDynamics } from './environment.js';

const G = 10;
const M = 1;
const L = 1;
const DT = 0.05;
const MAX_SPEED = 8;
const MAX_TORQUE = 2;

/** ((x + pi) % (2 pi)) - pi with Python's floored modulo. */
const angleNormalize = (x: number) => x + Math.PI - 2 * Math.PI * Math.floor((x + Math.PI) / (2 * Math.PI)) - Math.PI;

const reference: ReferenceDynamics = {
  reset: (u) => [(2 * (u[0] as number) - 1) * Math.PI, 2 * (u[1] as number) - 1],
  step: ([theta, thetaDot], action) => {
    const th = theta as number;
    const thd = thetaDot as number;
    const torque = clamp(firstComponent(action), -MAX_TORQUE, MAX_TORQUE);
    const cost = angleNormalize(th) ** 2 + 0.1 * thd ** 2 + 0.001 * torque ** 2;
    const newThetaDot = clamp(
      thd + ((3 * G) / (2 * L)) * Math.sin(th) * DT + (3 / (M * L * L)) * torque * DT,
      -MAX_SPEED,
      MAX_SPEED,
    );
    return { next: [th + newThetaDot * DT, newThetaDot], reward: -cost, terminated: false };
  },
  observe: ([theta, thetaDot]) => [Math.cos(theta as number), Math.sin(theta as number), thetaDot as number],
};

export const pendulum: EnvironmentDescriptor = {
  name: 'pendulum',
  obsDim: 3,
  action: { kind: 'gaussian', dim: 1, low: [-MAX_TORQUE], high: [MAX_TORQUE] },
  horizon: 200,
  stateDim: 2,
  shader: { file: 'envs/pendulum.wgsl' },
  reference,
};
