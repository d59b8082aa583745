// Trainer options: what a user decides (the algorithm and the run), their defaults, and validation that names the
// field and the allowed range. How the kernels are shaped for a device is not an option: see kernelPlan.ts.

import type { EnvironmentDescriptor } from '../envs/environment.js';
import { resolveEnvironment } from '../envs/registry.js';
import { validateEnvironment } from '../envs/userEnvironment.js';
import { invalidOption } from '../errors.js';
import { describeAction } from '../policy/head.js';
import type { Activation } from '../policy/layout.js';
import { type PolicyFile, policyActivation, policyHidden, validatePolicy } from '../policy/policyFile.js';

export type BaselineKind = 'none' | 'mean' | 'perTimestep' | 'optimal' | 'meanLeaveOneOut' | 'perTimestepLeaveOneOut';
export const baselineKinds: readonly BaselineKind[] = [
  'none',
  'mean',
  'perTimestep',
  'optimal',
  'meanLeaveOneOut',
  'perTimestepLeaveOneOut',
];

export interface TrainerOptions {
  /** A device the caller owns (never destroyed by the trainer); when absent the trainer acquires its own. */
  device?: GPUDevice;
  /** A built-in environment name ("cartpole") or a descriptor. Default "cartpole". */
  env?: string | EnvironmentDescriptor;
  /** N: trajectories sampled per iteration, one per parallel environment (the Monte Carlo batch). Default 1024. */
  numEnvs?: number;
  /** The MLP policy's hidden layer widths ([] for a linear policy). Default [32]. Ignored when `policy` is given. */
  hidden?: number[];
  /** Hidden activation. Default "tanh". Ignored when `policy` is given. */
  activation?: Activation;
  /** Adam's step size (gradient ascent on J). Default 0.02. */
  lr?: number;
  /** Adam's moment decay rates and denominator constant. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Seeds the initial weights and every random draw of the run. Default 1. */
  seed?: number;
  /** b, subtracted from the returns: none, the batch mean, the batch mean per time step, the variance-optimal
   *  constant b* = E[||g||^2 r] / E[||g||^2], or a mean without the trajectory's own returns ("...LeaveOneOut":
   *  exactly unbiased; the same-batch means are biased by O(1/n)). Default "perTimestepLeaveOneOut". */
  baseline?: BaselineKind;
  /** Credit each action with the rewards after it (true) or with the whole return r(tau). Default true. */
  rewardToGo?: boolean;
  /** Discount. Default 1 (the undiscounted objective of the theory). With rewardToGo and gamma < 1 the estimate is
   *  the gradient of neither objective (no gamma^t factor); with the whole return it is the gradient of J_gamma. */
  gamma?: number;
  /** Scale advantages to zero mean and unit variance over the batch. Default false. */
  normalizeAdvantages?: boolean;
  /** Clip the gradient to this L2 norm before Adam; 0 turns clipping off. Default 0. */
  maxGradNorm?: number;
  /** T: the episode step limit. Default: the environment's. */
  horizon?: number;
  /** Start from these parameters instead of a fresh initialisation. */
  policy?: PolicyFile;
  /** Gaussian policies: initial log standard deviation of every action component. Default 0. */
  logStd?: number;
  /** Gaussian policies: learn the log standard deviations (true) or keep them fixed. Default true. */
  learnLogStd?: boolean;
  /** Off-policy: gradient steps per fresh batch, each importance-weighted. Default 1 (on-policy REINFORCE). */
  epochs?: number;
  /** Off-policy: batches kept and reused, the fresh one included. Default 1. */
  reuse?: number;
  /** Off-policy importance weights: "per-decision" (default), "trajectory", "prefix" or "ratio" (first order). */
  importance?: ImportanceKind;
  /** Truncate importance weights at c (>= 1; biased, lower variance); 0: no truncation. Default 0. */
  importanceClip?: number;
  /** Divide the weights by their mean over the trajectories alive at each step. Default false. */
  importanceSelfNormalize?: boolean;
}

export interface ResolvedOptions {
  env: EnvironmentDescriptor;
  numEnvs: number;
  hidden: number[];
  activation: Activation;
  lr: number;
  seed: number;
  baseline: BaselineKind;
  rewardToGo: boolean;
  gamma: number;
  normalizeAdvantages: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  maxGradNorm: number;
  horizon: number;
  policy: PolicyFile | undefined;
  logStd: number;
  learnLogStd: boolean;
  offPolicy: OffPolicyOptions;
}

function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(field, `must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function numberIn(field: string, value: number, range: string, ok: (v: number) => boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw invalidOption(field, `must be a number ${range}, got ${value}`);
  }
  return value;
}

function booleanOption(field: string, value: unknown, fallback: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw invalidOption(field, `must be true or false, got ${value}`);
  return (value as boolean | undefined) ?? fallback;
}

export function resolveOptions(options: TrainerOptions): ResolvedOptions {
  const env = typeof options.env === 'object' ? validateEnvironment(options.env) : resolveEnvironment(options.env ?? 'cartpole');
  const policy = options.policy ? validatePolicy(options.policy) : undefined;
  if (policy) {
    if (policy.env !== env.name) throw invalidOption('policy', `was trained on "${policy.env}", not "${env.name}"`);
    if (policy.obsDim !== env.obsDim) throw invalidOption('policy', `has obsDim ${policy.obsDim}; ${env.name} has ${env.obsDim}`);
    const expected = env.action;
    const fits =
      policy.action.kind === expected.kind &&
      (expected.kind === 'categorical'
        ? policy.action.kind === 'categorical' && policy.action.n === expected.n
        : policy.action.kind === 'gaussian' && policy.action.dim === expected.dim);
    if (!fits)
      throw invalidOption(
        'policy',
        `must have the action of ${env.name} (${describeAction(expected)}); it has ${describeAction(policy.action)}`,
      );
  }
  const hidden = policy ? policyHidden(policy) : (options.hidden ?? [32]);
  if (!Array.isArray(hidden) || hidden.length > 8) throw invalidOption('hidden', 'must be a list of 0 to 8 layer widths');
  hidden.forEach((h, i) => {
    integerIn(`hidden[${i}]`, h, 1, 1024);
  });
  const activation = policy ? policyActivation(policy) : (options.activation ?? 'tanh');
  if (activation !== 'tanh' && activation !== 'relu')
    throw invalidOption('activation', `must be "tanh" or "relu", got "${activation}"`);
  const baseline = options.baseline ?? 'perTimestepLeaveOneOut';
  if (!baselineKinds.includes(baseline))
    throw invalidOption('baseline', `must be one of ${baselineKinds.join(', ')}, got "${baseline}"`);
  return {
    env,
    numEnvs: integerIn('numEnvs', options.numEnvs ?? 1024, 1, 1 << 22),
    hidden,
    activation,
    lr: numberIn('lr', options.lr ?? 0.02, '> 0', (v) => v > 0),
    seed: integerIn('seed', options.seed ?? 1, 0, 0xffffffff),
    baseline,
    rewardToGo: booleanOption('rewardToGo', options.rewardToGo, true),
    gamma: numberIn('gamma', options.gamma ?? 1, 'in [0, 1]', (v) => v >= 0 && v <= 1),
    normalizeAdvantages: booleanOption('normalizeAdvantages', options.normalizeAdvantages, false),
    beta1: numberIn('beta1', options.beta1 ?? 0.9, 'in [0, 1)', (v) => v >= 0 && v < 1),
    beta2: numberIn('beta2', options.beta2 ?? 0.999, 'in [0, 1)', (v) => v >= 0 && v < 1),
    epsilon: numberIn('epsilon', options.epsilon ?? 1e-8, '> 0', (v) => v > 0),
    maxGradNorm: numberIn('maxGradNorm', options.maxGradNorm ?? 0, '>= 0 (0: no clipping)', (v) => v >= 0),
    horizon: integerIn('horizon', options.horizon ?? env.horizon, 1, 100000),
    policy,
    logStd: numberIn('logStd', options.logStd ?? 0, 'in [-10, 5]', (v) => v >= -10 && v <= 5),
    learnLogStd: booleanOption('learnLogStd', options.learnLogStd, true),
    offPolicy: resolveOffPolicy(options),
  };
}

export type ImportanceKind = 'per-decision' | 'trajectory' | 'ratio' | 'prefix';
export const importanceKinds: readonly ImportanceKind[] = ['per-decision', 'trajectory', 'ratio', 'prefix'];
export const IMPORTANCE_CODES: Record<ImportanceKind, number> = { 'per-decision': 0, trajectory: 1, ratio: 2, prefix: 3 };

export interface OffPolicyOptions {
  epochs: number;
  reuse: number;
  importance: ImportanceKind;
  importanceClip: number;
  importanceSelfNormalize: boolean;
}

export const isOffPolicy = (o: { epochs: number; reuse: number }) => o.epochs > 1 || o.reuse > 1;

export function resolveOffPolicy(options: {
  epochs?: number;
  reuse?: number;
  importance?: ImportanceKind;
  importanceClip?: number;
  importanceSelfNormalize?: boolean;
}): OffPolicyOptions {
  const epochs = options.epochs ?? 1;
  const reuse = options.reuse ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 64)
    throw invalidOption('epochs', `must be an integer from 1 to 64, got ${epochs}`);
  if (!Number.isInteger(reuse) || reuse < 1 || reuse > 16)
    throw invalidOption('reuse', `must be an integer from 1 to 16, got ${reuse}`);
  const importance = options.importance ?? 'per-decision';
  if (!importanceKinds.includes(importance))
    throw invalidOption('importance', `must be one of ${importanceKinds.join(', ')}, got "${importance}"`);
  const clip = options.importanceClip ?? 0;
  if (typeof clip !== 'number' || !Number.isFinite(clip) || clip < 0 || (clip > 0 && clip < 1))
    throw invalidOption('importanceClip', `must be 0 (no truncation) or a number >= 1, got ${clip}`);
  return {
    epochs,
    reuse,
    importance,
    importanceClip: clip,
    importanceSelfNormalize: booleanOption('importanceSelfNormalize', options.importanceSelfNormalize, false),
  };
}
