// What the engine needs to know about an environment: its WGSL (implementing the interface in README.md,
// "Writing an environment"), its sizes and action space. Built-in ones live in shaders/envs/ and src/envs/;
// users pass their own descriptor with the WGSL source (see src/envs/userEnvironment.ts for the JSON form).
import type { ConstantValues } from '../gpu/wgslConstants.js';
import type { ActionSpace } from '../policy/head.js';

export type { ActionSpace } from '../policy/head.js';

export interface EnvironmentDescriptor {
  name: string;
  /** Observation size (what the policy sees). */
  obsDim: number;
  /** Discrete ({kind: "categorical", n}) or continuous ({kind: "gaussian", dim, low, high}) actions. */
  action: ActionSpace;
  /** Episode step limit: one episode per environment per iteration, at most this long. */
  horizon: number;
  /**
   * Length of the state vector exchanged by envFromVector/envToVector (Gymnasium's state layout for the
   * built-in environments). Needed by check-env; an environment without those functions leaves it out.
   */
  stateDim?: number;
  /** The WGSL: a file under shaders/, or the source itself (with a file name for error messages). */
  shader: { file: string } | { source: string; fileName?: string };
  /** Mean return at which the task counts as solved, when there is one. */
  rewardThreshold?: number;
  /** Constants the WGSL reads (prepended as `const NAME: type = value;`). */
  constants?: ConstantValues;
  /** State components that are angles: check-env compares them modulo 2 pi. */
  angularState?: number[];
  /** The best achievable expected return for this horizon, where it is known exactly (LQR). */
  optimalReturn?: (horizon: number) => number;
  /** Float64 dynamics in the state-vector layout, which the WGSL kernel is tested against. */
  reference?: ReferenceDynamics;
}

export interface Transition {
  next: number[];
  reward: number;
  terminated: boolean;
}

/** An environment's semantics in float64: reset and step take the same U(0, 1) draws as the WGSL does. */
export interface ReferenceDynamics {
  reset(u: readonly number[]): number[];
  step(state: readonly number[], action: number | readonly number[], u: readonly number[]): Transition;
  observe(state: readonly number[]): number[];
}

/** Four N(0, 1) draws from four U(0, 1) draws, as standardNormal4 in shaders/common/philox.wgsl. */
export function standardNormal4(u: readonly number[]): number[] {
  const r1 = Math.sqrt(-2 * Math.log(u[0] as number));
  const r2 = Math.sqrt(-2 * Math.log(u[2] as number));
  const a1 = 2 * Math.PI * (u[1] as number);
  const a2 = 2 * Math.PI * (u[3] as number);
  return [r1 * Math.cos(a1), r1 * Math.sin(a1), r2 * Math.cos(a2), r2 * Math.sin(a2)];
}

/** The first component of a continuous action (or the action itself). */
export const firstComponent = (action: number | readonly number[]) =>
  typeof action === 'number' ? action : (action[0] as number);

export const isCategorical = (env: EnvironmentDescriptor) => env.action.kind === 'categorical';

export const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
