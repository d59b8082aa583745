// Acrobot-v1 (Gymnasium 1.4.0, gymnasium/envs/classic_control/acrobot.py, "book" dynamics, RK4, dt 0.2):
// descriptor and float64 reference dynamics for shaders/envs/acrobot.wgsl.
import { clamp, type EnvironmentDescriptor, type ReferenceDynamics, type Transition } from './environment.js';

const DT = 0.2;
const L1 = 1.0;
const M1 = 1.0;
const M2 = 1.0;
const LC1 = 0.5;
const LC2 = 0.5;
const MOI = 1.0;
const G = 9.8;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;

function derivative(q: readonly number[], a: number): number[] {
  const [theta1, theta2, dtheta1, dtheta2] = q as [number, number, number, number];
  const d1 = M1 * LC1 ** 2 + M2 * (L1 ** 2 + LC2 ** 2 + 2 * L1 * LC2 * Math.cos(theta2)) + MOI + MOI;
  const d2 = M2 * (LC2 ** 2 + L1 * LC2 * Math.cos(theta2)) + MOI;
  const phi2 = M2 * LC2 * G * Math.cos(theta1 + theta2 - Math.PI / 2);
  const phi1 =
    -M2 * L1 * LC2 * dtheta2 ** 2 * Math.sin(theta2) -
    2 * M2 * L1 * LC2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (M1 * LC1 + M2 * L1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 =
    (a + (d2 / d1) * phi1 - M2 * L1 * LC2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (M2 * LC2 ** 2 + MOI - d2 ** 2 / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return [dtheta1, dtheta2, ddtheta1, ddtheta2];
}

function wrap(x: number): number {
  let y = x;
  while (y > Math.PI) y -= 2 * Math.PI;
  while (y < -Math.PI) y += 2 * Math.PI;
  return y;
}

const axpy = (y: readonly number[], a: number, x: readonly number[]) => y.map((v, i) => v + a * (x[i] as number));

export function acrobotStep(state: readonly number[], action: number): Transition {
  const torque = action - 1;
  const k1 = derivative(state, torque);
  const k2 = derivative(axpy(state, DT / 2, k1), torque);
  const k3 = derivative(axpy(state, DT / 2, k2), torque);
  const k4 = derivative(axpy(state, DT, k3), torque);
  const q = state.map(
    (v, i) => v + (DT / 6) * ((k1[i] as number) + 2 * (k2[i] as number) + 2 * (k3[i] as number) + (k4[i] as number)),
  );
  const next = [
    wrap(q[0] as number),
    wrap(q[1] as number),
    clamp(q[2] as number, -MAX_VEL_1, MAX_VEL_1),
    clamp(q[3] as number, -MAX_VEL_2, MAX_VEL_2),
  ];
  const terminated = -Math.cos(next[0] as number) - Math.cos((next[1] as number) + (next[0] as number)) > 1;
  return { next, reward: terminated ? 0 : -1, terminated };
}

const reference: ReferenceDynamics = {
  reset: (u) => u.slice(0, 4).map((v) => (v - 0.5) * 0.2),
  step: (state, action) => acrobotStep(state, action as number),
  observe: ([t1, t2, d1, d2]) => [
    Math.cos(t1 as number),
    Math.sin(t1 as number),
    Math.cos(t2 as number),
    Math.sin(t2 as number),
    d1 as number,
    d2 as number,
  ],
};

export const acrobot: EnvironmentDescriptor = {
  name: 'acrobot',
  obsDim: 6,
  action: { kind: 'categorical', n: 3 },
  horizon: 500,
  stateDim: 4,
  shader: { file: 'envs/acrobot.wgsl' },
  rewardThreshold: -100,
  angularState: [0, 1],
  reference,
};
