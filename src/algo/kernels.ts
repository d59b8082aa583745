// The compute kernels of one training iteration, compiled for one policy layout, environment and kernel plan, with
// their bind groups over the trainer's buffers. A kernel's name is the WGSL entry point it runs; KERNEL_FILES says
// which file holds it (the plan picks the shaders/cpu/ form for a few of them on a software adapter).
import type { EnvironmentDescriptor } from '../envs/environment.js';
import {
  assertEnvironmentInterface,
  environmentConstants,
  environmentSplices,
  userShaderError,
} from '../envs/environmentSource.js';
import { Kernel } from '../gpu/kernel.js';
import { composeShader, loadShaderFile } from '../gpu/shaderSource.js';
import { wgslConstants } from '../gpu/wgslConstants.js';
import { layoutConstants, type PolicyLayout } from '../policy/layout.js';
import { type KernelPlan, LANE_THREADS, WORKGROUP_SIZE } from './kernelPlan.js';
import type { BaselineKind } from './options.js';
import type { TrainerBuffers } from './trainerBuffers.js';

/** Every kernel an iteration may dispatch (iteration.ts and offPolicy.ts say when). */
export const KERNEL_NAMES = [
  'rollout',
  'computeReturns',
  'meanBaseline',
  'perTimestepBaseline',
  'perTimestepBaselineByStep',
  'backwardTrajectoryGradSq',
  'returnsAsAdvantages',
  'backwardTrajectoryPlusSq',
  'backwardTrajectoryMinusSq',
  'optimalBaseline',
  'advantage',
  'reduceAdvantageMoments',
  'normalizeAdvantage',
  'computePseudoLossTerms',
  'importanceLogWeights',
  'importanceSelfNormalize',
  'importanceWeightedAdvantage',
  'importanceStats',
  'backwardGradient',
  'reduceGradient',
  'replayReduceGradient',
  'gradientNorm',
  'adam',
  'accumulateEstimate',
  'reduceStats',
] as const;

export type KernelName = (typeof KERNEL_NAMES)[number];

/** The file of shaders/ that holds each kernel's entry point on a GPU. */
const KERNEL_FILES: Record<KernelName, string> = {
  rollout: 'rollout.wgsl',
  computeReturns: 'returns.wgsl',
  meanBaseline: 'advantage.wgsl',
  perTimestepBaseline: 'advantage.wgsl',
  perTimestepBaselineByStep: 'advantage.wgsl',
  backwardTrajectoryGradSq: 'backward.wgsl',
  returnsAsAdvantages: 'advantage.wgsl',
  backwardTrajectoryPlusSq: 'backward.wgsl',
  backwardTrajectoryMinusSq: 'backward.wgsl',
  optimalBaseline: 'advantage.wgsl',
  advantage: 'advantage.wgsl',
  reduceAdvantageMoments: 'advantage.wgsl',
  normalizeAdvantage: 'advantage.wgsl',
  computePseudoLossTerms: 'advantage.wgsl',
  importanceLogWeights: 'importance.wgsl',
  importanceSelfNormalize: 'importance.wgsl',
  importanceWeightedAdvantage: 'importance.wgsl',
  importanceStats: 'importance.wgsl',
  backwardGradient: 'backward.wgsl',
  reduceGradient: 'gradient.wgsl',
  replayReduceGradient: 'gradient.wgsl',
  gradientNorm: 'gradient.wgsl',
  adam: 'adam.wgsl',
  accumulateEstimate: 'gradient.wgsl',
  reduceStats: 'stats.wgsl',
};

/** Where a kernel's entry point lives under this plan. */
export function kernelFile(name: KernelName, plan: KernelPlan): string {
  if (name === 'backwardGradient' && plan.laneGradients) return 'cpu/laneGradients.wgsl';
  return KERNEL_FILES[name];
}

/** The kernels an iteration with these options and this plan dispatches (only those are compiled). */
export function kernelsNeeded(
  options: {
    baseline: BaselineKind;
    rewardToGo: boolean;
    normalizeAdvantages: boolean;
    offPolicy?: { selfNormalize: boolean };
    /** A variance-lab trainer (varianceLab.ts): it accumulates estimates instead of stepping. */
    estimating?: boolean;
  },
  plan: KernelPlan,
): KernelName[] {
  const needed: KernelName[] = ['rollout', 'computeReturns', 'advantage', 'backwardGradient', 'reduceGradient'];
  needed.push('gradientNorm', 'adam', 'computePseudoLossTerms', 'reduceStats');
  if (options.baseline === 'mean' || options.baseline === 'meanLeaveOneOut') needed.push('meanBaseline');
  if (options.baseline === 'perTimestep' || options.baseline === 'perTimestepLeaveOneOut')
    needed.push(plan.perTimestepWorkgroups ? 'perTimestepBaseline' : 'perTimestepBaselineByStep');
  if (options.baseline === 'optimal') needed.push('backwardTrajectoryGradSq', 'optimalBaseline');
  if (options.baseline === 'optimal' && options.rewardToGo)
    needed.push('returnsAsAdvantages', 'backwardTrajectoryPlusSq', 'backwardTrajectoryMinusSq');
  if (options.normalizeAdvantages) needed.push('reduceAdvantageMoments', 'normalizeAdvantage');
  if (options.estimating) needed.push('accumulateEstimate');
  if (options.offPolicy) {
    needed.push('importanceLogWeights', 'importanceWeightedAdvantage', 'importanceStats', 'replayReduceGradient');
    if (options.offPolicy.selfNormalize) needed.push('importanceSelfNormalize');
  }
  return needed;
}

/** Compiled kernels: the ones the trainer's options need (see kernelsNeeded). */
export type CompiledKernels = Partial<Record<KernelName, Kernel>>;
export type TrainerBindGroups = Partial<Record<KernelName, GPUBindGroup>>;

/** Constants every kernel that runs the policy in an environment reads: the layout, the head, the environment. */
export function policyKernelPrelude(
  layout: PolicyLayout,
  env: EnvironmentDescriptor,
  horizon: number,
  learnLogStd: boolean,
): string {
  return [
    '// ---- constants from the host (src/policy/layout.ts, src/envs/environmentSource.ts, src/algo/kernels.ts)',
    layoutConstants(layout),
    environmentConstants(env, learnLogStd),
    wgslConstants({ u32: { HORIZON: horizon } }),
  ].join('\n');
}

/** Each kernel's pipeline-overridable constants under this plan. */
function kernelConstants(
  name: KernelName,
  plan: KernelPlan,
  run: { numEnvs: number; partialCount: number; replayBatches: number },
): Record<string, number | boolean> {
  const wg = { WORKGROUP_SIZE };
  const backward = {
    ENVS_PER_GROUP: plan.envsPerGroup,
    SAMPLES_PER_INVOCATION: plan.samplesPerInvocation,
    USE_STORED_ACTIVATIONS: plan.storeActivations,
  };
  switch (name) {
    case 'rollout':
      return { ...wg, SAMPLES_PER_INVOCATION: plan.samplesPerInvocation, STORE_ACTIVATIONS: plan.storeActivations };
    case 'backwardGradient':
      return plan.laneGradients ? { ...backward, LANE_THREADS } : { ...backward, TRAJECTORY_GRAD_SQ: false };
    case 'backwardTrajectoryGradSq':
    case 'backwardTrajectoryPlusSq':
    case 'backwardTrajectoryMinusSq':
      return { ...backward, TRAJECTORY_GRAD_SQ: true };
    case 'reduceGradient':
    case 'gradientNorm':
      return { ...wg, PARTIAL_COUNT: run.partialCount };
    case 'replayReduceGradient':
      return { ...wg, PARTIAL_COUNT: run.partialCount * run.replayBatches };
    case 'importanceWeightedAdvantage':
      return { ...wg, BATCH_ENVS: run.numEnvs };
    case 'reduceStats':
    case 'importanceStats':
      return {};
    default:
      return wg;
  }
}

export async function createTrainerKernels(
  device: GPUDevice,
  layout: PolicyLayout,
  env: EnvironmentDescriptor,
  plan: KernelPlan,
  run: { horizon: number; learnLogStd: boolean; numEnvs: number; partialCount: number; replayBatches: number },
  needed: KernelName[],
): Promise<CompiledKernels> {
  const prelude = [
    policyKernelPrelude(layout, env, run.horizon, run.learnLogStd),
    wgslConstants({
      u32: {
        BACKWARD_TILE: plan.backwardTile,
        BACKWARD_THREADS: plan.backwardThreads,
        BLOCKS_PER_INVOCATION: plan.blocksPerInvocation,
        PRIVATE_WEIGHT_LAYERS: plan.privateWeights ? layout.layers.length : 0,
      },
    }),
  ].join('\n');
  const pairWeights = plan.subgroupWeightSharing ? 'cpu/pairWeightsSubgroup.wgsl' : 'common/pairWeightsPerLane.wgsl';
  const splices: Record<string, { name: string; source: string }> = {
    ...(await environmentSplices(env)),
    pairWeights: { name: pairWeights, source: await loadShaderFile(pairWeights) },
  };
  await assertEnvironmentInterface(env, (splices.env as { source: string }).source);
  const sources = new Map<string, Promise<string>>();
  const source = (file: string) => {
    if (!sources.has(file)) sources.set(file, composeShader(file, { prelude, splices }));
    return sources.get(file) as Promise<string>;
  };
  const entries = await Promise.all(
    needed.map(async (name) => {
      const file = kernelFile(name, plan);
      const kernel = await Kernel.create(device, {
        label: `${file}:${name}`,
        code: await source(file),
        entryPoint: name,
        constants: kernelConstants(name, plan, run),
      });
      return [name, kernel] as const;
    }),
  ).catch((error: unknown) => {
    throw userShaderError(env, error); // the user's WGSL that does not compile: bad input, their file and line
  });
  return Object.fromEntries(entries) as CompiledKernels;
}

/** Kernels that read the replay (off-policy) and are bound per number of filled replay slots instead. */
export const REPLAY_KERNELS: readonly KernelName[] = [
  'importanceLogWeights',
  'importanceSelfNormalize',
  'importanceWeightedAdvantage',
  'importanceStats',
  'replayReduceGradient',
];

export function bindTrainerKernels(kernels: CompiledKernels, buffers: TrainerBuffers): TrainerBindGroups {
  const groups: TrainerBindGroups = {};
  for (const [name, kernel] of Object.entries(kernels) as [KernelName, Kernel][]) {
    if (!REPLAY_KERNELS.includes(name)) groups[name] = kernel.bind(buffers);
  }
  return groups;
}
