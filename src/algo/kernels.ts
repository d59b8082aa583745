// The compute kernels of one training iteration, compiled for one policy layout and environment, with their
// bind groups over the trainer's buffers. Each name below is the WGSL file (and entry point) that runs.
import type { EnvironmentDescriptor } from '../envs/environment.js';
import { assertEnvironmentInterface, environmentConstants, environmentSplices } from '../envs/environmentSource.js';
import { invalidOption, ReinforceError } from '../errors.js';
import { Kernel } from '../gpu/kernel.js';
import { composeShader, loadShaderFile } from '../gpu/shaderSource.js';
import { wgslConstants } from '../gpu/wgslConstants.js';
import { layoutConstants, type PolicyLayout } from '../policy/layout.js';
import type { BaselineKind } from './options.js';
import type { TrainerBuffers } from './trainerBuffers.js';

export const WORKGROUP_SIZE = 64;

export interface BackwardShape {
  /** Samples per backward tile (each staged in workgroup memory); in backward.wgsl the first `tile` invocations run
   *  them, in backwardTiled.wgsl all `threads` share them. */
  tile: number;
  /** Invocations per backward workgroup (>= tile): all of them share the gradient's weight blocks. */
  threads: number;
  /** 4x4 weight blocks (and bias blocks) whose gradient each backward invocation accumulates. */
  blocksPerInvocation: number;
  envsPerGroup: number;
  /** Samples each of the tile's first tile / samplesPerInvocation invocations runs (forward and delta passes); also
   *  the environments each rollout invocation runs. */
  samplesPerInvocation: 1 | 2;
  /** Pairs share each weight block's loads across a subgroup (shaders/common/pairWeightsSubgroup.wgsl). */
  subgroupWeightSharing: boolean;
  /** The backward pass's forward and delta passes as workgroup-tiled products (shaders/backwardTiled.wgsl) rather
   *  than per invocation (shaders/backward.wgsl, which then runs samplesPerInvocation samples each). */
  tiled: boolean;
}

/**
 * On a CPU adapter each invocation is a SIMD lane and every buffer load a per-lane gather, so two samples (in the
 * rollout: two environments) per invocation, sharing each weight load, pay (SwiftShader, N 1024, 64x64: see the
 * README's performance notes). A GPU keeps one: twice the private arrays per invocation would cost it registers
 * and half its parallel samples (not measured on a GPU).
 */
export function samplesPerInvocation(isSoftwareAdapter: boolean): 1 | 2 {
  return isSoftwareAdapter ? 2 : 1;
}

/**
 * Whether pairs load weight blocks through the subgroup (pairWeightsSubgroup.wgsl) rather than each invocation for
 * itself. Only on a software adapter, where a weight load is a per-lane gather and the sharing pays, and where the
 * kernels' reliance on each subgroup being an aligned run of consecutive invocations that moves in lockstep holds
 * (SwiftShader: groups of 4 SIMD lanes); then the device needs subgroups and they must be 4 to tile / 2 invocations
 * (the backward's pair branch covers the tile's first tile / 2 invocations). `requested` (the subgroupWeightSharing
 * option) overrides the default; true is refused where the conditions fail.
 */
export function subgroupWeightSharing(
  device: GPUDevice,
  adapter: { isFallback: boolean; subgroupSizes?: { min: number; max: number } },
  /** tile: the backward tile whose first tile / 2 invocations run pairs, or undefined where the backward pass runs no
   *  pairs (backwardTiled.wgsl): then only the rollout's pairs share, in workgroups of WORKGROUP_SIZE. */
  shape: { tile: number | undefined; samplesPerInvocation: 1 | 2 },
  requested: boolean | undefined,
): boolean {
  const sizes = adapter.subgroupSizes;
  const problem = !adapter.isFallback
    ? 'a software (CPU) adapter such as SwiftShader'
    : !device.features.has('subgroups')
      ? 'a device with the "subgroups" feature'
      : shape.samplesPerInvocation !== 2
        ? 'samplesPerInvocation 2'
        : shape.tile !== undefined && shape.tile < 8
          ? `a backward tile of at least 8 samples (these layers leave ${shape.tile})`
          : !sizes || sizes.min < 4 || sizes.max > (shape.tile ?? WORKGROUP_SIZE) / 2
            ? `subgroups of 4 to ${(shape.tile ?? WORKGROUP_SIZE) / 2} invocations (this device: ${sizes ? `${sizes.min} to ${sizes.max}` : 'not reported'})`
            : undefined;
  if (requested === true && problem) throw invalidOption('subgroupWeightSharing', `true needs ${problem}`);
  return requested ?? !problem;
}

/** Invocations per workgroup of shaders/backwardLanes.wgsl: one SIMD group on SwiftShader (4 lanes). In-process
 *  A/B against backward.wgsl at N 1024, 64x64: 0.46x its time with 4, 0.52x with 8, 0.54x with 16. */
export const LANE_THREADS = 4;

/**
 * Whether the gradient runs in shaders/backwardLanes.wgsl (each invocation a private copy of the gradient, every loop
 * unrolled) rather than backward.wgsl. On a software adapter, where a private array at a constant index is one vector
 * load and backward.wgsl's workgroup-memory loads are per-lane gathers, it took 0.46x backward.wgsl's time
 * (SwiftShader, N 1024, 64x64, in-process A/B); a GPU keeps backward.wgsl (a private copy of the gradient would
 * not stay in registers; not timed there). `requested` true is refused, naming the reason, where it cannot run.
 */
export function laneGradients(
  requested: boolean | undefined,
  device: GPUDevice,
  facts: { isFallback: boolean; tiled: boolean; param4: number; envsPerGroup: number },
): boolean {
  const bytes = laneGradientWorkgroupBytes(facts.param4, facts.envsPerGroup);
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  const problem = facts.tiled
    ? 'tiledBackward false'
    : bytes > limit
      ? `a gradient that fits the device's workgroup memory (this policy's takes ${bytes} bytes, the device has ${limit})`
      : tooLargeToUnroll(facts.param4);
  if (requested === true && problem) throw invalidOption('laneGradients', `true needs ${problem}`);
  return requested ?? (facts.isFallback && !problem);
}

/** The largest policy (vec4s of parameters) the unrolled kernels (laneGradients, privateWeights) run with: their code
 *  grows with it, and SwiftShader's JIT crashed on a larger unrolled kernel than any tried here (the largest tried,
 *  hidden [84, 84], 1,975 vec4s, compiled in about 25 s and trained). */
export const UNROLLED_MAX_PARAM4 = 2048;

function tooLargeToUnroll(param4: number): string | undefined {
  return param4 > UNROLLED_MAX_PARAM4
    ? `a policy of at most ${UNROLLED_MAX_PARAM4 * 4} parameters counted in whole vec4s (this one: ${param4 * 4})`
    : undefined;
}

/**
 * Whether the rollout's paired forward pass reads a private copy of the weights with its loops unrolled
 * (shaders/common/mlpPairPrivate.wgsl) rather than loading weight blocks from the buffer (mlpPair.wgsl). On a software
 * adapter, where a buffer load is a per-lane gather and a private load at a constant index one vector load, the
 * rollout kernel took 0.36-0.38x its time (SwiftShader, N 1024, 64x64, in-process A/B); a GPU keeps the buffer (not
 * timed there). Only for pairs (the single-environment rollout is the GPU shape) and policies within
 * UNROLLED_MAX_PARAM4 (the unrolled code grows with the weights); `requested` true is refused, naming the reason,
 * elsewhere.
 */
export function privateWeights(
  requested: boolean | undefined,
  facts: { isFallback: boolean; samplesPerInvocation: 1 | 2; param4: number },
): boolean {
  const problem =
    facts.samplesPerInvocation !== 2
      ? 'samplesPerInvocation 2 (the rollout runs environments in pairs)'
      : tooLargeToUnroll(facts.param4);
  if (requested === true && problem) throw invalidOption('privateWeights', `true needs ${problem}`);
  return requested ?? (facts.isFallback && !problem);
}

/** Workgroup memory of shaders/backwardLanes.wgsl: the gradient the copies are summed into, the length prefix. */
function laneGradientWorkgroupBytes(param4: number, envsPerGroup: number): number {
  return param4 * 16 + Math.ceil(((envsPerGroup + 1) * 4) / 16) * 16;
}

/** The most memory the kept activations take when storeActivations is left to its default. */
export const STORED_ACTIVATIONS_DEFAULT_BYTES = 2 ** 28;

/**
 * Whether the rollout keeps the hidden rows the backward pass would recompute (rollout.wgsl STORE_ACTIVATIONS,
 * backward.wgsl USE_STORED_ACTIVATIONS). On SwiftShader the recomputed hidden-to-hidden product was about a fifth
 * of the backward pass (N 1024, 64x64), so a software adapter keeps them by default while they take at most
 * STORED_ACTIVATIONS_DEFAULT_BYTES (256 MiB: the host's memory, but perhaps a browser tab's); a GPU recomputes (its memory is scarcer than its arithmetic; not timed there).
 * `requested` true is refused, naming the reason, where the rows cannot be used.
 */
export function storeActivations(
  requested: boolean | undefined,
  facts: { isFallback: boolean; stored4: number; tiled: boolean; offPolicy: boolean; bytes: number; maxBytes: number },
): boolean {
  const problem =
    facts.stored4 === 0
      ? 'at least two hidden layers (the first hidden layer and the output layer are recomputed anyway)'
      : facts.tiled
        ? 'tiledBackward false'
        : facts.offPolicy
          ? "on-policy training (reuse 1 and epochs 1): replayed batches need the current parameters' activations"
          : facts.bytes > facts.maxBytes
            ? `rows that fit one buffer: ${facts.bytes} bytes at this numEnvs and horizon, the device allows ${facts.maxBytes}`
            : undefined;
  if (requested === true && problem) throw invalidOption('storeActivations', `true needs ${problem}`);
  if (requested !== undefined) return requested;
  return !problem && facts.isFallback && facts.bytes <= STORED_ACTIVATIONS_DEFAULT_BYTES;
}

/** Weight blocks one invocation may own before a wider workgroup is used (4 vec4 accumulators per block: past
 *  about 8 blocks they leave the registers; on an H200 128x128 layers ran at 1.15 TFLOP/s with 37 blocks each,
 *  and 256x256 ones with 137 did not compile). */
const TARGET_BLOCKS_PER_INVOCATION = 8;

/**
 * The backward workgroup: the largest tile (samples per workgroup) whose staging fits the device's workgroup
 * memory, and enough invocations (up to the device's limit) to keep each one's share of the weight blocks in
 * registers and, when tiled, to give each invocation one work item (4 samples x 4 units) of the widest layer.
 */
export function backwardShape(
  device: GPUDevice,
  layout: PolicyLayout,
  envsPerGroup: number,
  samples: 1 | 2,
  sharing: { adapter: Parameters<typeof subgroupWeightSharing>[1]; requested: boolean | undefined },
  tiled = false,
): BackwardShape {
  const limits = device.limits;
  const blocks = layout.layers.reduce((sum, l, i) => sum + l.out4 * l.in4 + (layout.gradOut4[i] as number), 0);
  // Per sample: backward.wgsl stages one layer's inputs and deltas; backwardTiled.wgsl every layer (backwardTiled.wgsl
  // STAGE_ROW4) and the sample's index and weight.
  // WebGPU counts each workgroup variable rounded up to 16 bytes.
  const ceil16 = (n: number) => Math.ceil(n / 16) * 16;
  const stageBytes = (tile: number) =>
    tiled ? tile * (layout.act4Total + layout.headParam4) * 16 + 2 * ceil16(tile * 4) : tile * layout.maxStage4 * 16;
  const bytes = (tile: number, threads: number) => stageBytes(tile) + ceil16((envsPerGroup + 1) * 4) + ceil16(threads * 4);
  const widest4 = Math.max(...layout.layers.flatMap((l) => [l.in4, l.out4]));
  const fits = (threads: number) =>
    threads <= limits.maxComputeInvocationsPerWorkgroup && threads <= limits.maxComputeWorkgroupSizeX;
  for (const tile of [64, 32, 16, 8, 4]) {
    if (bytes(tile, tile) > limits.maxComputeWorkgroupStorageSize || !fits(tile)) continue;
    let threads = tile;
    const wantsMore = (n: number) => Math.ceil(blocks / n) > TARGET_BLOCKS_PER_INVOCATION || (tiled && (tile / 4) * widest4 > n);
    while (wantsMore(threads) && fits(threads * 2) && bytes(tile, threads * 2) <= limits.maxComputeWorkgroupStorageSize)
      threads *= 2;
    return {
      tile,
      threads,
      blocksPerInvocation: Math.ceil(blocks / threads),
      envsPerGroup,
      samplesPerInvocation: samples,
      subgroupWeightSharing: subgroupWeightSharing(
        device,
        sharing.adapter,
        { tile: tiled ? undefined : tile, samplesPerInvocation: samples },
        sharing.requested,
      ),
      tiled,
    };
  }
  throw new ReinforceError(
    'INVALID_OPTION',
    `hidden: layers this wide do not fit the device's ${limits.maxComputeWorkgroupStorageSize}-byte workgroup memory` +
      (tiled ? ' with tiledBackward (which holds every layer of a tile; false holds one layer at a time)' : ''),
    'hidden',
  );
}

export interface TrainerKernels {
  rollout: Kernel;
  returns: Kernel;
  meanBaseline: Kernel;
  perTimestepBaseline: Kernel;
  optimalBaseline: Kernel;
  advantage: Kernel;
  advantageMoments: Kernel;
  normalizeAdvantage: Kernel;
  backwardGradient: Kernel;
  backwardTrajectoryGradSq: Kernel;
  reduceGradient: Kernel;
  gradientNorm: Kernel;
  adam: Kernel;
  stats: Kernel;
  importanceLogWeights: Kernel;
  importanceSelfNormalize: Kernel;
  importanceWeightedAdvantage: Kernel;
  importanceStats: Kernel;
  replayReduceGradient: Kernel;
}

/** From this many environments the per-timestep baseline reduces over them with a workgroup per time step; below
 *  it a thread per time step loops over them (on an H200 the loop took 7-24% of an iteration at N 16384; on
 *  SwiftShader the workgroup version's barriers cost more than the loop for small N). */
export const PER_TIMESTEP_WORKGROUP_MIN_ENVS = 2048;
export const perTimestepWorkgroups = (numEnvs: number) => numEnvs >= PER_TIMESTEP_WORKGROUP_MIN_ENVS;

/** The kernels an iteration with these options dispatches (only those are compiled). */
export function kernelsNeeded(
  baseline: BaselineKind,
  normalizeAdvantages: boolean,
  offPolicy?: { selfNormalize: boolean },
): (keyof TrainerKernels)[] {
  const needed: (keyof TrainerKernels)[] = [
    'rollout',
    'returns',
    'advantage',
    'backwardGradient',
    'reduceGradient',
    'gradientNorm',
    'adam',
    'stats',
  ];
  if (baseline === 'mean') needed.push('meanBaseline');
  if (baseline === 'perTimestep') needed.push('perTimestepBaseline');
  if (baseline === 'optimal') needed.push('backwardTrajectoryGradSq', 'optimalBaseline');
  if (normalizeAdvantages) needed.push('advantageMoments', 'normalizeAdvantage');
  if (offPolicy) {
    needed.push('importanceLogWeights', 'importanceWeightedAdvantage', 'importanceStats', 'replayReduceGradient');
    if (offPolicy.selfNormalize) needed.push('importanceSelfNormalize');
  }
  return needed;
}

/** Compiled kernels: the ones the trainer's options need (see kernelsNeeded). */
export type CompiledKernels = Partial<TrainerKernels>;

/** Constants every kernel that runs the policy in an environment reads: the layout, the head, the environment. */
export function policyKernelPrelude(
  layout: PolicyLayout,
  env: EnvironmentDescriptor,
  horizon: number,
  learnLogStd: boolean,
): string {
  return [
    '// ---- constants from the host (src/policy/layout.ts, src/envs/environmentSource.ts, src/algo/trainerKernels.ts)',
    layoutConstants(layout),
    environmentConstants(env, learnLogStd),
    wgslConstants({ u32: { HORIZON: horizon } }),
  ].join('\n');
}

export async function createTrainerKernels(
  device: GPUDevice,
  layout: PolicyLayout,
  env: EnvironmentDescriptor,
  shape: {
    horizon: number;
    learnLogStd: boolean;
    backward: BackwardShape;
    partialCount: number;
    numEnvs: number;
    replayBatches: number;
    storeActivations: boolean;
    laneGradients: boolean;
    privateWeights: boolean;
  },
  needed: (keyof TrainerKernels)[],
): Promise<CompiledKernels> {
  const { backward, partialCount } = shape;
  const prelude = [
    policyKernelPrelude(layout, env, shape.horizon, shape.learnLogStd),
    wgslConstants({
      u32: {
        BACKWARD_TILE: backward.tile,
        BACKWARD_THREADS: backward.threads,
        BLOCKS_PER_INVOCATION: backward.blocksPerInvocation,
        PRIVATE_WEIGHT_LAYERS: shape.privateWeights ? layout.layers.length : 0,
      },
    }),
  ].join('\n');
  const pairWeights = backward.subgroupWeightSharing ? 'common/pairWeightsSubgroup.wgsl' : 'common/pairWeightsPerLane.wgsl';
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
  const wg = { WORKGROUP_SIZE };
  const backwardFile = backward.tiled ? 'backwardTiled.wgsl' : 'backward.wgsl';
  const backwardConstants = {
    ENVS_PER_GROUP: backward.envsPerGroup,
    ...(backward.tiled
      ? {}
      : { SAMPLES_PER_INVOCATION: backward.samplesPerInvocation, USE_STORED_ACTIVATIONS: shape.storeActivations }),
  };
  // Each kernel: the WGSL file, its entry point, and its pipeline-overridable constants.
  const specs: Record<keyof TrainerKernels, [string, string, Record<string, number | boolean>]> = {
    rollout: [
      'rollout.wgsl',
      'main',
      { ...wg, ENVS_PER_INVOCATION: backward.samplesPerInvocation, STORE_ACTIVATIONS: shape.storeActivations },
    ],
    returns: ['returns.wgsl', 'main', wg],
    meanBaseline: ['advantage.wgsl', 'meanBaseline', wg],
    perTimestepBaseline: [
      'advantage.wgsl',
      perTimestepWorkgroups(shape.numEnvs) ? 'perTimestepBaseline' : 'perTimestepBaselineByStep',
      wg,
    ],
    optimalBaseline: ['advantage.wgsl', 'optimalBaseline', wg],
    advantage: ['advantage.wgsl', 'advantage', wg],
    advantageMoments: ['advantage.wgsl', 'advantageMomentsMain', wg],
    normalizeAdvantage: ['advantage.wgsl', 'normalizeAdvantage', wg],
    backwardGradient: shape.laneGradients
      ? ['backwardLanes.wgsl', 'main', { ...backwardConstants, LANE_THREADS }]
      : [backwardFile, 'main', { ...backwardConstants, TRAJECTORY_GRAD_SQ: false }],
    backwardTrajectoryGradSq: [backwardFile, 'main', { ...backwardConstants, TRAJECTORY_GRAD_SQ: true }],
    reduceGradient: ['gradient.wgsl', 'reduceGradient', { ...wg, PARTIAL_COUNT: partialCount }],
    gradientNorm: ['gradient.wgsl', 'gradientNorm', { ...wg, PARTIAL_COUNT: partialCount }],
    adam: ['adam.wgsl', 'main', wg],
    stats: ['stats.wgsl', 'main', {}],
    importanceLogWeights: ['importance.wgsl', 'logWeightsMain', wg],
    importanceSelfNormalize: ['importance.wgsl', 'selfNormalize', wg],
    importanceWeightedAdvantage: ['importance.wgsl', 'weightedAdvantage', { ...wg, BATCH_ENVS: shape.numEnvs }],
    importanceStats: ['importance.wgsl', 'importanceStats', {}],
    replayReduceGradient: ['gradient.wgsl', 'reduceGradient', { ...wg, PARTIAL_COUNT: partialCount * shape.replayBatches }],
  };
  const entries = await Promise.all(
    needed.map(async (name) => {
      const [file, entryPoint, constants] = specs[name];
      const kernel = await Kernel.create(device, {
        label: `${file}:${entryPoint}`,
        code: await source(file),
        entryPoint,
        constants,
      });
      return [name, kernel] as const;
    }),
  );
  return Object.fromEntries(entries) as CompiledKernels;
}

export type TrainerBindGroups = Partial<Record<keyof TrainerKernels, GPUBindGroup>>;

/** Kernels that read the replay (off-policy) and are bound per number of filled replay slots instead. */
export const REPLAY_KERNELS: readonly (keyof TrainerKernels)[] = [
  'importanceLogWeights',
  'importanceSelfNormalize',
  'importanceWeightedAdvantage',
  'importanceStats',
  'replayReduceGradient',
];

export function bindTrainerKernels(kernels: CompiledKernels, buffers: TrainerBuffers): TrainerBindGroups {
  const groups: TrainerBindGroups = {};
  for (const [name, kernel] of Object.entries(kernels) as [keyof TrainerKernels, Kernel][]) {
    if (!REPLAY_KERNELS.includes(name)) groups[name] = kernel.bind(buffers);
  }
  return groups;
}
