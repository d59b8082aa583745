// Trainer options: defaults, and validation that names the field and the allowed range.

import type { EnvironmentDescriptor } from '../envs/environment.js';
import { resolveEnvironment } from '../envs/registry.js';
import { validateEnvironment } from '../envs/userEnvironment.js';
import { invalidOption } from '../errors.js';
import { describeAction } from '../policy/head.js';
import type { Activation } from '../policy/layout.js';
import { type PolicyFile, policyActivation, policyHidden, validatePolicy } from '../policy/policyFile.js';
import { type ImportanceKind, type OffPolicyOptions, resolveOffPolicy } from './offPolicy.js';

export type BaselineKind = 'none' | 'mean' | 'perTimestep' | 'optimal';
export const baselineKinds: readonly BaselineKind[] = ['none', 'mean', 'perTimestep', 'optimal'];

export interface TrainerOptions {
  /** A device the caller owns (never destroyed by the trainer); when absent the trainer acquires its own. */
  device?: GPUDevice;
  /** A built-in environment name ("cartpole") or a descriptor. Default "cartpole". */
  env?: string | EnvironmentDescriptor;
  /** N: parallel environments = trajectories per iteration. Default 1024. */
  numEnvs?: number;
  /** Hidden layer widths. Default [32]. Ignored when `policy` is given. */
  hidden?: number[];
  /** Hidden activation. Default "tanh". Ignored when `policy` is given. */
  activation?: Activation;
  /** Adam learning rate. Default 0.02. */
  lr?: number;
  /** Seeds the initial weights and every random draw of the run. Default 1. */
  seed?: number;
  /** Baseline subtracted from the returns. Default "perTimestep". */
  baseline?: BaselineKind;
  /** Credit each action with the rewards after it (true) or with the whole return r(tau). Default true. */
  rewardToGo?: boolean;
  /** Discount. Default 1 (the undiscounted objective of the theory). */
  gamma?: number;
  /** Scale advantages to zero mean and unit variance over the batch. Default false. */
  normalizeAdvantages?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Clip the gradient to this L2 norm before Adam; 0 turns clipping off. Default 0. */
  maxGradNorm?: number;
  /** Episode step limit. Default: the environment's. */
  horizon?: number;
  /** Start from these parameters instead of a fresh initialisation. */
  policy?: PolicyFile;
  /** Trajectories per backward-pass workgroup (a tuning knob). Default 16. */
  envsPerGroup?: number;
  /** Samples each backward invocation carries through the forward and delta passes, and environments each rollout
   *  invocation runs, sharing weight loads (a tuning knob): 1 or 2. Default: 2 on a software (CPU) adapter such as
   *  SwiftShader, 1 on a GPU (and on a caller's device that does not say what its adapter is). */
  samplesPerInvocation?: 1 | 2;
  /** With two samples per invocation: each invocation loads one row slice of every 4x4 weight block (its index in
   *  the subgroup, mod 4) and subgroupBroadcast hands every invocation the four slices, instead of each loading the
   *  whole block (a tuning knob). Needs a software (CPU) adapter with the "subgroups" feature and subgroups of 4 to
   *  half the backward tile; true implies samplesPerInvocation 2 and is refused elsewhere. Default: on where it is
   *  allowed. */
  subgroupWeightSharing?: boolean;
  /** The backward pass's forward and delta passes as workgroup-tiled products (shaders/backwardTiled.wgsl: every
   *  invocation of a workgroup shares a tile of samples held in workgroup memory) instead of one sample per
   *  invocation in private arrays (shaders/backward.wgsl). A kernel shape meant for GPUs (a tuning knob; same
   *  gradient). Default false. */
  tiledBackward?: boolean;
  /** Each backward invocation adds its own samples into its own copy of the gradient, in private memory with every
   *  loop unrolled (shaders/backwardLanes.wgsl), and the workgroup sums the copies at the end, instead of the
   *  workgroup sharing the gradient's weight blocks (shaders/backward.wgsl). On a CPU adapter a private array at a
   *  constant index is one vector load where backward.wgsl's workgroup-memory loads are per-lane gathers (a tuning
   *  knob; same gradient; seconds more shader compilation). Needs tiledBackward false, a gradient that fits the
   *  device's workgroup memory (about 8,000 parameters on a 32 KiB device) and at most 8,192 parameters counted in
   *  whole vec4s (UNROLLED_MAX_PARAM4: the largest tried). Default: on a software (CPU) adapter where it can run;
   *  off on a GPU, where a private copy of the gradient would not fit in registers. */
  laneGradients?: boolean;
  /** With two environments per rollout invocation: each invocation copies the weights into private memory once per
   *  episode and the paired forward pass reads them there, every loop unrolled (shaders/common/mlpPairPrivate.wgsl),
   *  instead of loading each weight block from the buffer (a tuning knob; the same episodes). On a CPU adapter a
   *  private array at a constant index is one vector load where a buffer load is a per-lane gather. Needs
   *  samplesPerInvocation 2 and at most 8,192 parameters (as laneGradients). Default: on a software (CPU) adapter
   *  where it can run; off on a GPU, where a private copy of the weights would not fit in registers. */
  privateWeights?: boolean;
  /** The rollout keeps the outputs of the hidden layers after the first (4 bytes per unit, sample and stored
   *  layer) and the backward pass reads them instead of recomputing the hidden-to-hidden products (same gradient).
   *  Needs at least two hidden layers, tiledBackward false and on-policy training. Default: on a software (CPU)
   *  adapter, where compute is scarce and memory the host's, when the rows take at most 256 MiB; off on a GPU. */
  storeActivations?: boolean;
  /** Gaussian policies: initial log standard deviation of every action component. Default 0. */
  logStd?: number;
  /** Gaussian policies: learn the log standard deviations (true) or keep them fixed. Default true. */
  learnLogStd?: boolean;
  /** Off-policy: gradient steps per fresh batch. Default 1 (on-policy REINFORCE). */
  epochs?: number;
  /** Off-policy: batches kept and reused, the fresh one included. Default 1. */
  reuse?: number;
  /** Off-policy importance weights: "per-decision" (default), "trajectory" or "ratio" (PPO-style first order). */
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
  envsPerGroup: number;
  /** Undefined: chosen from the adapter (trainerKernels.ts samplesPerInvocation). */
  samplesPerInvocation: 1 | 2 | undefined;
  /** Undefined: chosen from the device (trainerKernels.ts subgroupWeightSharing). */
  subgroupWeightSharing: boolean | undefined;
  tiledBackward: boolean;
  /** Undefined: chosen from the adapter and the policy's size (trainerKernels.ts laneGradients). */
  laneGradients: boolean | undefined;
  /** Undefined: chosen from the adapter, the rollout's shape and the policy's size (trainerKernels.ts privateWeights). */
  privateWeights: boolean | undefined;
  /** Undefined: chosen from the adapter and the memory it takes (trainerKernels.ts storeActivations). */
  storeActivations: boolean | undefined;
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

function subgroupWeightSharingOption(options: TrainerOptions): boolean | undefined {
  const value = options.subgroupWeightSharing;
  if (value === undefined) return undefined;
  booleanOption('subgroupWeightSharing', value, false);
  if (value === true && options.samplesPerInvocation === 1)
    throw invalidOption('subgroupWeightSharing', 'true needs samplesPerInvocation 2 (pairs share the loads), got 1');
  return value;
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
  const baseline = options.baseline ?? 'perTimestep';
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
    rewardToGo: options.rewardToGo ?? true,
    gamma: numberIn('gamma', options.gamma ?? 1, 'in [0, 1]', (v) => v >= 0 && v <= 1),
    normalizeAdvantages: options.normalizeAdvantages ?? false,
    beta1: numberIn('beta1', options.beta1 ?? 0.9, 'in [0, 1)', (v) => v >= 0 && v < 1),
    beta2: numberIn('beta2', options.beta2 ?? 0.999, 'in [0, 1)', (v) => v >= 0 && v < 1),
    epsilon: numberIn('epsilon', options.epsilon ?? 1e-8, '> 0', (v) => v > 0),
    maxGradNorm: numberIn('maxGradNorm', options.maxGradNorm ?? 0, '>= 0 (0: no clipping)', (v) => v >= 0),
    horizon: integerIn('horizon', options.horizon ?? env.horizon, 1, 100000),
    policy,
    envsPerGroup: integerIn('envsPerGroup', options.envsPerGroup ?? 16, 1, 256),
    samplesPerInvocation:
      options.samplesPerInvocation === undefined
        ? undefined
        : (integerIn('samplesPerInvocation', options.samplesPerInvocation, 1, 2) as 1 | 2),
    subgroupWeightSharing: subgroupWeightSharingOption(options),
    tiledBackward: booleanOption('tiledBackward', options.tiledBackward, false),
    laneGradients: options.laneGradients === undefined ? undefined : booleanOption('laneGradients', options.laneGradients, false),
    privateWeights:
      options.privateWeights === undefined ? undefined : booleanOption('privateWeights', options.privateWeights, false),
    storeActivations:
      options.storeActivations === undefined ? undefined : booleanOption('storeActivations', options.storeActivations, false),
    logStd: numberIn('logStd', options.logStd ?? 0, 'in [-10, 5]', (v) => v >= -10 && v <= 5),
    learnLogStd: options.learnLogStd ?? true,
    offPolicy: resolveOffPolicy(options),
  };
}
