// What one benchmark measurement runs: CartPole-v1, numEnvs environments, an MLP of the given hidden widths,
// episodes capped at `horizon` steps (500 is CartPole-v1's own limit; a smaller cap times the same bounded slice,
// the first `horizon` steps of every episode and the gradient step, for the engine and every peer alike).
// Shared by the Node runner and the browser page.
import type { PlanOverrides } from '../src/algo/kernelPlan.js';
import type { IterationProfile } from '../src/index.js';

export interface Workload {
  env: 'cartpole';
  numEnvs: number;
  hidden: number[];
  horizon: number;
}

export const hiddenName = (hidden: number[]) => hidden.join('x');

/** FLOPs (2 per multiply-add) of each layer of the MLP's forward pass; activations and sampling not counted. */
function layerFlops(hidden: number[]): number[] {
  const dims = [4, ...hidden, 2];
  return dims.slice(1).map((out, l) => 2 * (dims[l] as number) * out);
}

/** FLOPs of one forward pass of the MLP. */
export const forwardFlops = (hidden: number[]) => layerFlops(hidden).reduce((a, b) => a + b, 0);

/** FLOPs per sample of the backward kernel: its forward pass (with the rollout's kept hidden rows, storeActivations,
 *  only the first and the output layer), delta through every W^T but the first layer's (no delta of the
 *  observation is needed), and the delta x^T accumulation of every layer. */
export function backwardFlops(hidden: number[], storedActivations: boolean): number {
  const layers = layerFlops(hidden);
  const first = layers[0] as number;
  const forward = storedActivations && hidden.length >= 2 ? first + (layers.at(-1) as number) : forwardFlops(hidden);
  return forward + (forwardFlops(hidden) - first) + forwardFlops(hidden);
}

/** The kernel-plan fields a benchmark may force (bench/ab.ts): how the kernels are shaped, not what they compute. */
export const KERNEL_OPTIONS = [
  'samplesPerInvocation',
  'subgroupWeightSharing',
  'laneGradients',
  'privateWeights',
  'storeActivations',
  'envsPerGroup',
] as const satisfies readonly (keyof PlanOverrides)[];
export type KernelOptions = PlanOverrides;

/** How a trainer shaped its kernels for its adapter (src/algo/kernelPlan.ts). */
export interface KernelShape {
  samplesPerInvocation: 1 | 2;
  subgroupWeightSharing: boolean;
  laneGradients: boolean;
  privateWeights: boolean;
  storeActivations: boolean;
}

export const describeKernelShape = (k: KernelShape) =>
  `${k.samplesPerInvocation} sample(s) per invocation` +
  (k.subgroupWeightSharing ? ', weight loads shared by the subgroup' : '') +
  (k.laneGradients ? ', a gradient copy per backward invocation' : '') +
  (k.privateWeights ? ', rollout weights copied to private memory' : '') +
  (k.storeActivations ? ', hidden activations kept for the backward pass' : '');

export interface EngineMeasure {
  adapter: string;
  /** How the trainer shaped its kernels for this adapter (src/algo/kernelPlan.ts). */
  kernelShape: KernelShape;
  rolloutStepsPerSecond: number;
  trainStepsPerSecond: number;
  /** Mean episode length of the timed batches. */
  meanLength: number;
  profile: { clock: IterationProfile['clock']; kernels: { kernel: string; milliseconds: number }[]; envSteps: number };
  /** Peak bytes of GPU buffers the trainer held (its own device), and per environment. */
  peakBytes: number;
  bytesPerEnv: number;
}

export interface PeerMeasure {
  rolloutStepsPerSecond: number;
  trainStepsPerSecond: number;
  meanReturn: number;
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
