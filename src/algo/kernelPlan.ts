// The kernel plan: how this device runs the iteration's kernels. Users decide the algorithm (options.ts); the plan
// decides the kernels' shape from the adapter, the device's limits and the policy's layout, here and nowhere else.
// A GPU gets the shaders/*.wgsl kernels as they are; a software (CPU) adapter such as SwiftShader, where every
// invocation is a SIMD lane and a buffer or workgroup load a per-lane gather, gets the shaders/cpu/ forms that pay
// there (docs/kernels.md says what each one measured). Tests and the bench may force a field (PlanOverrides).
import { invalidOption, ReinforceError } from '../errors.js';
import type { PolicyLayout } from '../policy/layout.js';
import { maxStorageBytes, storedActivationBytes } from './trainerBuffers.js';

export const WORKGROUP_SIZE = 64;

export interface KernelPlan {
  /** The adapter is a CPU emulation of a GPU (SwiftShader, or one that says it is a fallback adapter). */
  softwareAdapter: boolean;
  /** Trajectories per backward workgroup (one partial gradient each). */
  envsPerGroup: number;
  /** Samples each backward invocation runs through the forward and delta passes, and environments each rollout
   *  invocation steps, sharing every weight load: 2 on a software adapter, 1 on a GPU. */
  samplesPerInvocation: 1 | 2;
  /** Pairs load each weight block once per subgroup and broadcast it (shaders/cpu/pairWeightsSubgroup.wgsl). */
  subgroupWeightSharing: boolean;
  /** The gradient as a private copy per backward invocation, loops unrolled (shaders/cpu/laneGradients.wgsl). */
  laneGradients: boolean;
  /** The rollout's paired forward pass reads a private copy of the weights (shaders/cpu/mlpPairPrivate.wgsl). */
  privateWeights: boolean;
  /** The rollout keeps the hidden rows after the first and the backward pass reads them instead of recomputing. */
  storeActivations: boolean;
  /** Samples staged per backward tile, and invocations per backward workgroup (backward.wgsl). */
  backwardTile: number;
  backwardThreads: number;
  /** 4x4 weight blocks whose gradient each backward.wgsl invocation accumulates. */
  blocksPerInvocation: number;
  /** The per-time-step baseline reduces with a workgroup per time step (else a thread per time step loops). */
  perTimestepWorkgroups: boolean;
}

/** Plan fields a test or the bench may force; a forced value the device cannot run is refused, naming the field. */
export type PlanOverrides = Partial<
  Pick<
    KernelPlan,
    'envsPerGroup' | 'samplesPerInvocation' | 'subgroupWeightSharing' | 'laneGradients' | 'privateWeights' | 'storeActivations'
  >
>;

/** What the plan is chosen from. */
export interface PlanFacts {
  device: GPUDevice;
  adapter: { softwareAdapter: boolean; subgroupSizes?: { min: number; max: number } };
  layout: PolicyLayout;
  numEnvs: number;
  horizon: number;
  /** Batches the off-policy replay keeps (1 when on-policy). */
  replayBatches: number;
  offPolicy: boolean;
}

export function chooseKernelPlan(facts: PlanFacts, overrides: PlanOverrides = {}): KernelPlan {
  const { device, adapter, layout } = facts;
  const softwareAdapter = adapter.softwareAdapter;
  const envsPerGroup = overrides.envsPerGroup ?? 16;
  if (!Number.isInteger(envsPerGroup) || envsPerGroup < 1 || envsPerGroup > 256)
    throw invalidOption('envsPerGroup', `must be an integer from 1 to 256, got ${envsPerGroup}`);
  for (const field of ['subgroupWeightSharing', 'laneGradients', 'privateWeights', 'storeActivations'] as const) {
    const value: unknown = overrides[field];
    if (value !== undefined && typeof value !== 'boolean') throw invalidOption(field, `must be true or false, got ${value}`);
  }
  const requestedSamples = overrides.samplesPerInvocation;
  if (requestedSamples !== undefined && requestedSamples !== 1 && requestedSamples !== 2)
    throw invalidOption('samplesPerInvocation', `must be 1 or 2, got ${requestedSamples}`);
  if (overrides.subgroupWeightSharing === true && requestedSamples === 1)
    throw invalidOption('subgroupWeightSharing', 'true needs samplesPerInvocation 2 (pairs share the loads), got 1');
  // Asking for subgroup sharing asks for the paired shape it works in.
  const samples = requestedSamples ?? (overrides.subgroupWeightSharing ? 2 : softwareAdapter ? 2 : 1);
  checkDispatchLimits(device, facts.numEnvs, envsPerGroup, facts.replayBatches);
  const backward = backwardWorkgroup(device, layout, envsPerGroup);
  const storedBytes = storedActivationBytes({ numEnvs: facts.numEnvs, horizon: facts.horizon, stored4: layout.stored4 });
  return {
    softwareAdapter,
    envsPerGroup,
    samplesPerInvocation: samples,
    subgroupWeightSharing: subgroupWeightSharing(
      device,
      adapter,
      { tile: backward.tile, samplesPerInvocation: samples },
      overrides.subgroupWeightSharing,
    ),
    laneGradients: laneGradients(overrides.laneGradients, device, { softwareAdapter, param4: layout.param4, envsPerGroup }),
    privateWeights: privateWeights(overrides.privateWeights, {
      softwareAdapter,
      samplesPerInvocation: samples,
      param4: layout.param4,
    }),
    storeActivations: storeActivations(overrides.storeActivations, {
      softwareAdapter,
      stored4: layout.stored4,
      offPolicy: facts.offPolicy,
      bytes: storedBytes,
      maxBytes: maxStorageBytes(device),
    }),
    backwardTile: backward.tile,
    backwardThreads: backward.threads,
    blocksPerInvocation: backward.blocksPerInvocation,
    perTimestepWorkgroups: facts.numEnvs >= PER_TIMESTEP_WORKGROUP_MIN_ENVS,
  };
}

/** One backward workgroup per envsPerGroup trajectories (every kept batch's, when replaying) and one rollout
 *  invocation per environment or pair, each dispatch within the device's workgroups per dimension. */
function checkDispatchLimits(device: GPUDevice, numEnvs: number, envsPerGroup: number, replayBatches: number): void {
  const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
  const maxDispatchEnvs = Math.min(Math.floor((maxGroups * envsPerGroup) / replayBatches), maxGroups * WORKGROUP_SIZE);
  if (numEnvs > maxDispatchEnvs) {
    throw invalidOption(
      'numEnvs',
      `must be at most ${maxDispatchEnvs} with envsPerGroup ${envsPerGroup}${replayBatches > 1 ? ` and reuse ${replayBatches}` : ''} (one backward workgroup per envsPerGroup trajectories, at most ${maxGroups} per dispatch on this device), got ${numEnvs}`,
    );
  }
}

/**
 * Whether pairs load weight blocks through the subgroup rather than each invocation for itself. Only on a software
 * adapter, where a weight load is a per-lane gather and the sharing pays, and where the kernels' reliance on each
 * subgroup being an aligned run of consecutive invocations that moves in lockstep holds (SwiftShader: groups of 4
 * SIMD lanes); the device needs subgroups of 4 to tile / 2 invocations (the backward's pairs cover the tile's first
 * tile / 2 invocations). `requested` true is refused where the conditions fail.
 */
export function subgroupWeightSharing(
  device: GPUDevice,
  adapter: PlanFacts['adapter'],
  shape: { tile: number; samplesPerInvocation: 1 | 2 },
  requested: boolean | undefined,
): boolean {
  const sizes = adapter.subgroupSizes;
  const problem = !adapter.softwareAdapter
    ? 'a software (CPU) adapter such as SwiftShader'
    : !device.features.has('subgroups')
      ? 'a device with the "subgroups" feature'
      : shape.samplesPerInvocation !== 2
        ? 'samplesPerInvocation 2'
        : shape.tile < 8
          ? `a backward tile of at least 8 samples (these layers leave ${shape.tile})`
          : !sizes || sizes.min < 4 || sizes.max > shape.tile / 2
            ? `subgroups of 4 to ${shape.tile / 2} invocations (this device: ${sizes ? `${sizes.min} to ${sizes.max}` : 'not reported'})`
            : undefined;
  if (requested === true && problem) throw invalidOption('subgroupWeightSharing', `true needs ${problem}`);
  return requested ?? !problem;
}

/** Invocations per workgroup of shaders/cpu/laneGradients.wgsl: one SIMD group on SwiftShader (4 lanes). */
export const LANE_THREADS = 4;

/** The largest policy (vec4s of parameters) the unrolled kernels (laneGradients, privateWeights) run with: their code
 *  grows with it, and SwiftShader's JIT crashed on a larger unrolled kernel than any tried (hidden [84, 84], 1,975
 *  vec4s, compiled and trained). */
export const UNROLLED_MAX_PARAM4 = 2048;

function tooLargeToUnroll(param4: number): string | undefined {
  return param4 > UNROLLED_MAX_PARAM4
    ? `a policy of at most ${UNROLLED_MAX_PARAM4 * 4} parameters counted in whole vec4s (this one: ${param4 * 4})`
    : undefined;
}

/** Whether the backward pass runs shaders/cpu/laneGradients.wgsl: on a software adapter, where the gradient fits the
 *  workgroup memory its copies are summed into and the policy is small enough to unroll. A GPU keeps backward.wgsl
 *  (a private copy of the gradient would not stay in registers). */
export function laneGradients(
  requested: boolean | undefined,
  device: GPUDevice,
  facts: { softwareAdapter: boolean; param4: number; envsPerGroup: number },
): boolean {
  const bytes = facts.param4 * 16 + Math.ceil(((facts.envsPerGroup + 1) * 4) / 16) * 16;
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  const problem =
    bytes > limit
      ? `a gradient that fits the device's workgroup memory (this policy's takes ${bytes} bytes, the device has ${limit})`
      : tooLargeToUnroll(facts.param4);
  if (requested === true && problem) throw invalidOption('laneGradients', `true needs ${problem}`);
  return requested ?? (facts.softwareAdapter && !problem);
}

/** Whether the rollout's paired forward pass reads a private copy of the weights (shaders/cpu/mlpPairPrivate.wgsl):
 *  on a software adapter with pairs and a policy small enough to unroll. A GPU reads the buffer. */
export function privateWeights(
  requested: boolean | undefined,
  facts: { softwareAdapter: boolean; samplesPerInvocation: 1 | 2; param4: number },
): boolean {
  const problem =
    facts.samplesPerInvocation !== 2
      ? 'samplesPerInvocation 2 (the rollout runs environments in pairs)'
      : tooLargeToUnroll(facts.param4);
  if (requested === true && problem) throw invalidOption('privateWeights', `true needs ${problem}`);
  return requested ?? (facts.softwareAdapter && !problem);
}

/** The most memory the kept activations take when the plan chooses them by itself. */
export const STORED_ACTIVATIONS_DEFAULT_BYTES = 2 ** 28;

/**
 * Whether the rollout keeps the hidden rows the backward pass would recompute. A software adapter keeps them (compute
 * is scarce there, memory the host's) while they take at most STORED_ACTIVATIONS_DEFAULT_BYTES; a GPU recomputes.
 */
export function storeActivations(
  requested: boolean | undefined,
  facts: { softwareAdapter: boolean; stored4: number; offPolicy: boolean; bytes: number; maxBytes: number },
): boolean {
  const problem =
    facts.stored4 === 0
      ? 'at least two hidden layers (the first hidden layer and the output layer are recomputed anyway)'
      : facts.offPolicy
        ? "on-policy training (reuse 1 and epochs 1): replayed batches need the current parameters' activations"
        : facts.bytes > facts.maxBytes
          ? `rows that fit one buffer: ${facts.bytes} bytes at this numEnvs and horizon, the device allows ${facts.maxBytes}`
          : undefined;
  if (requested === true && problem) throw invalidOption('storeActivations', `true needs ${problem}`);
  if (requested !== undefined) return requested;
  return !problem && facts.softwareAdapter && facts.bytes <= STORED_ACTIVATIONS_DEFAULT_BYTES;
}

/** From this many environments the per-timestep baseline reduces over them with a workgroup per time step; below
 *  it a thread per time step loops over them (docs/kernels.md). */
export const PER_TIMESTEP_WORKGROUP_MIN_ENVS = 2048;

/** Weight blocks one backward.wgsl invocation may own before a wider workgroup is used (4 vec4 accumulators per
 *  block: past about 8 blocks they leave the registers). */
const TARGET_BLOCKS_PER_INVOCATION = 8;

/**
 * The backward workgroup: the largest tile (samples per workgroup) whose staging of one layer's inputs and deltas
 * fits the device's workgroup memory, and enough invocations (up to the device's limit) to keep each one's share of
 * the weight blocks in registers.
 */
export function backwardWorkgroup(
  device: GPUDevice,
  layout: PolicyLayout,
  envsPerGroup: number,
): { tile: number; threads: number; blocksPerInvocation: number } {
  const limits = device.limits;
  const blocks = layout.layers.reduce((sum, l, i) => sum + l.out4 * l.in4 + (layout.gradOut4[i] as number), 0);
  // WebGPU counts each workgroup variable rounded up to 16 bytes.
  const ceil16 = (n: number) => Math.ceil(n / 16) * 16;
  const bytes = (tile: number, threads: number) =>
    tile * layout.maxStage4 * 16 + ceil16((envsPerGroup + 1) * 4) + ceil16(threads * 4);
  const fits = (threads: number) =>
    threads <= limits.maxComputeInvocationsPerWorkgroup && threads <= limits.maxComputeWorkgroupSizeX;
  for (const tile of [64, 32, 16, 8, 4]) {
    if (bytes(tile, tile) > limits.maxComputeWorkgroupStorageSize || !fits(tile)) continue;
    let threads = tile;
    while (
      Math.ceil(blocks / threads) > TARGET_BLOCKS_PER_INVOCATION &&
      fits(threads * 2) &&
      bytes(tile, threads * 2) <= limits.maxComputeWorkgroupStorageSize
    )
      threads *= 2;
    return { tile, threads, blocksPerInvocation: Math.ceil(blocks / threads) };
  }
  throw new ReinforceError(
    'INVALID_OPTION',
    `hidden: layers this wide do not fit the device's ${limits.maxComputeWorkgroupStorageSize}-byte workgroup memory`,
    'hidden',
  );
}
