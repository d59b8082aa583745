// The trainer: owns the buffers and kernels of one REINFORCE run and drives iterations.
// Follow one iteration from step() into encodeIteration() (iteration.ts), which names each kernel it runs.
import { invalidOption, ReinforceError } from '../errors.js';
import { type AcquiredDevice, describeAdapter, requestDevice } from '../gpu/device.js';
import { releaseBuffer } from '../gpu/ownedBuffers.js';
import { readBuffer } from '../gpu/readback.js';
import { ReadbackPacer } from '../gpu/readbackPacer.js';
import { actionWords, headParameterCount, outputDim } from '../policy/head.js';
import { type PolicyLayout, packParameters, policyLayout, unpackHeadParameters, unpackParameters } from '../policy/layout.js';
import { initialPolicy, type PolicyFile } from '../policy/policyFile.js';
import { assembleBatch, type Batch } from './batch.js';
import { type DispatchTarget, recordingTarget, singlePassTarget, timestampedTarget } from './dispatchTarget.js';
import { encodeEvaluation, encodeIteration, encodeSampling, encodeStatistics, groupsFor } from './iteration.js';
import { IMPORTANCE_CODES, isOffPolicy, Replay, replayBufferSizes } from './offPolicy.js';
import { type ResolvedOptions, resolveOptions, type TrainerOptions } from './options.js';
import { type IterationProfile, PassTimer, timeOnClock } from './profile.js';
import { StatsReader, type StatsTicket } from './statsReader.js';
import { Throughput } from './throughput.js';
import {
  bufferSizes,
  createTrainerBuffers,
  maxEnvsFor,
  maxStorageBytes,
  storedActivationBytes,
  type TrainerBuffers,
  writeConfig,
} from './trainerBuffers.js';
import {
  backwardShape,
  bindTrainerKernels,
  type CompiledKernels,
  createTrainerKernels,
  kernelsNeeded,
  laneGradients,
  privateWeights,
  samplesPerInvocation,
  storeActivations,
  type TrainerBindGroups,
  type TrainerKernels,
  WORKGROUP_SIZE,
} from './trainerKernels.js';

/** One iteration's statistics: the fields of the CLI's --json lines. */
export interface IterationStats {
  iter: number;
  envSteps: number;
  meanReturn: number;
  minReturn: number;
  maxReturn: number;
  meanLength: number;
  gradNorm: number;
  entropy: number;
  /** Seconds since the trainer was created. */
  seconds: number;
  /** Environment steps of this iteration over the time the GPU spent on it. */
  stepsPerSecond: number;
  /** Off-policy only, for the iteration's last gradient step: (sum w)^2 / sum w^2 over the weighted samples. */
  ess?: number;
  /** ess over the number of weighted samples (1: all weights equal). */
  essFraction?: number;
  maxWeight?: number;
  /** Share of weights truncated at importanceClip (or at the e^20 overflow cap). */
  truncatedFraction?: number;
}

const BASELINE_CODES = { none: 0, mean: 1, perTimestep: 2, optimal: 3 } as const;

export class Trainer {
  readonly device: GPUDevice;
  readonly adapterName: string;
  readonly isFallback: boolean;
  readonly options: ResolvedOptions;
  readonly layout: PolicyLayout;
  readonly partialCount: number;
  /** Samples (rollout: environments) each backward and rollout invocation carries: the option, else 2 on a
   *  software adapter and 1 otherwise. */
  readonly samplesPerInvocation: 1 | 2;
  /** Whether pairs share weight loads across a subgroup (trainerKernels.ts subgroupWeightSharing). */
  readonly subgroupWeightSharing: boolean;
  /** Whether the backward pass runs as workgroup-tiled products (the tiledBackward option). */
  readonly tiledBackward: boolean;
  /** Whether each backward invocation accumulates its own copy of the gradient (the laneGradients option). */
  readonly laneGradients: boolean;
  /** Whether the rollout's paired forward pass reads a private copy of the weights (the privateWeights option). */
  readonly privateWeights: boolean;
  /** Whether the rollout keeps hidden activations for the backward pass (the storeActivations option). */
  readonly storeActivations: boolean;
  private readonly ownsDevice: boolean;
  private readonly buffers: TrainerBuffers;
  private readonly kernels: CompiledKernels;
  private readonly replay: Replay | undefined;
  /** GPU memory the off-policy replay takes (0 when on-policy). */
  readonly replayBytes: number;
  /** Iterations recorded so far (picks the replay slot). */
  private stepsEncoded = 0;
  private readonly bindGroups: TrainerBindGroups;
  private readonly statsReader: StatsReader;
  private readonly startTime: number;
  private readonly throughput = new Throughput();
  // Readbacks of training steps and of evaluations take different times: one pacer each (see readbackPacer.ts).
  private readonly stepPacer = new ReadbackPacer();
  private readonly evaluationPacer = new ReadbackPacer();
  private readonly profilePacer = new ReadbackPacer();
  private destroyed = false;
  private lostMessage: string | undefined;
  private readonly initial: PolicyFile;

  private constructor(init: {
    device: GPUDevice;
    ownsDevice: boolean;
    adapterName: string;
    isFallback: boolean;
    options: ResolvedOptions;
    layout: PolicyLayout;
    partialCount: number;
    samplesPerInvocation: 1 | 2;
    subgroupWeightSharing: boolean;
    tiledBackward: boolean;
    laneGradients: boolean;
    privateWeights: boolean;
    storeActivations: boolean;
    buffers: TrainerBuffers;
    kernels: CompiledKernels;
    replay: Replay | undefined;
    replayBytes: number;
    initial: PolicyFile;
    startTime: number;
  }) {
    this.device = init.device;
    this.ownsDevice = init.ownsDevice;
    this.adapterName = init.adapterName;
    this.isFallback = init.isFallback;
    this.options = init.options;
    this.layout = init.layout;
    this.partialCount = init.partialCount;
    this.samplesPerInvocation = init.samplesPerInvocation;
    this.subgroupWeightSharing = init.subgroupWeightSharing;
    this.tiledBackward = init.tiledBackward;
    this.laneGradients = init.laneGradients;
    this.privateWeights = init.privateWeights;
    this.storeActivations = init.storeActivations;
    this.buffers = init.buffers;
    this.kernels = init.kernels;
    this.replay = init.replay;
    this.replayBytes = init.replayBytes;
    this.bindGroups = bindTrainerKernels(init.kernels, init.buffers);
    this.statsReader = new StatsReader(init.device);
    this.initial = init.initial;
    this.startTime = init.startTime;
    this.device.lost.then((info) => {
      if (!this.destroyed) this.lostMessage = info.message || String(info.reason);
    });
  }

  static async create(userOptions: TrainerOptions = {}): Promise<Trainer> {
    const startTime = performance.now();
    const options = resolveOptions(userOptions);
    const acquired = userOptions.device
      ? { device: userOptions.device, ...deviceDescription(userOptions.device) }
      : await requestDevice();
    const device = acquired.device;
    const ownsDevice = !userOptions.device;
    let buffers: TrainerBuffers | undefined;
    let replay: Replay | undefined;
    let trainer: Trainer | undefined;
    try {
      const { env } = options;
      const layout = policyLayout(
        env.obsDim,
        outputDim(env.action),
        options.hidden,
        options.activation,
        headParameterCount(env.action),
      );
      const offPolicy = isOffPolicy(options.offPolicy) ? options.offPolicy : undefined;
      const maxEnvs = Math.floor(maxEnvsFor(device, layout, options.horizon) / (offPolicy?.reuse ?? 1));
      if (options.numEnvs > maxEnvs) {
        throw invalidOption(
          'numEnvs',
          `must be an integer from 1 to ${maxEnvs} on this device (horizon ${options.horizon}${offPolicy ? `, ${offPolicy.reuse} batches kept` : ''}), got ${options.numEnvs}`,
        );
      }
      const backward = backwardShape(
        device,
        layout,
        options.envsPerGroup,
        // Asking for subgroup sharing asks for the paired shape it works in.
        options.samplesPerInvocation ?? (options.subgroupWeightSharing ? 2 : samplesPerInvocation(acquired.isFallback)),
        { adapter: acquired, requested: options.subgroupWeightSharing },
        options.tiledBackward,
      );
      const partialCount = Math.ceil(options.numEnvs / options.envsPerGroup);
      // One backward workgroup per envsPerGroup trajectories (every kept batch's, when replaying) and one rollout
      // invocation per environment or pair, each dispatch within the device's workgroups per dimension.
      const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
      const maxDispatchEnvs = Math.min(
        Math.floor((maxGroups * options.envsPerGroup) / (offPolicy?.reuse ?? 1)),
        maxGroups * WORKGROUP_SIZE,
      );
      if (options.numEnvs > maxDispatchEnvs) {
        throw invalidOption(
          'numEnvs',
          `must be at most ${maxDispatchEnvs} with envsPerGroup ${options.envsPerGroup}${offPolicy ? ` and reuse ${offPolicy.reuse}` : ''} (one backward workgroup per envsPerGroup trajectories, at most ${maxGroups} per dispatch on this device), got ${options.numEnvs}`,
        );
      }
      const store = storeActivations(options.storeActivations, {
        isFallback: acquired.isFallback,
        stored4: layout.stored4,
        tiled: backward.tiled,
        offPolicy: offPolicy !== undefined,
        bytes: storedActivationBytes({ numEnvs: options.numEnvs, horizon: options.horizon, stored4: layout.stored4 }),
        maxBytes: maxStorageBytes(device),
      });
      const lanes = laneGradients(options.laneGradients, device, {
        isFallback: acquired.isFallback,
        tiled: backward.tiled,
        param4: layout.param4,
        envsPerGroup: options.envsPerGroup,
      });
      const privateCopy = privateWeights(options.privateWeights, {
        isFallback: acquired.isFallback,
        samplesPerInvocation: backward.samplesPerInvocation,
        param4: layout.param4,
      });
      const needed = kernelsNeeded(
        options.baseline,
        options.normalizeAdvantages,
        offPolicy ? { selfNormalize: offPolicy.importanceSelfNormalize } : undefined,
      );
      const kernels = await createTrainerKernels(
        device,
        layout,
        env,
        {
          horizon: options.horizon,
          learnLogStd: options.learnLogStd,
          backward,
          partialCount,
          numEnvs: options.numEnvs,
          replayBatches: offPolicy?.reuse ?? 1,
          storeActivations: store,
          laneGradients: lanes,
          privateWeights: privateCopy,
        },
        needed,
      );
      const sizing = {
        numEnvs: options.numEnvs,
        horizon: options.horizon,
        obs4: Math.ceil(env.obsDim / 4),
        actionWords: actionWords(env.action),
        param4: layout.param4,
        partialCount,
        stored4: store ? layout.stored4 : 0,
      };
      const sizes = bufferSizes(sizing);
      const replaySizes = offPolicy ? replayBufferSizes({ ...sizing, reuse: offPolicy.reuse }) : {};
      const allSizes = { ...sizes, ...replaySizes };
      const initial =
        options.policy ??
        initialPolicy({
          env: env.name,
          obsDim: env.obsDim,
          action: env.action,
          hidden: options.hidden,
          activation: options.activation,
          seed: options.seed,
          logStd: options.logStd,
        });
      // Everything the trainer allocates is made inside an out-of-memory scope and a validation scope, so that a
      // device that cannot hold it, or refuses it, fails here with an error of the library's, not at the first
      // step or in the caller's uncaptured-error handler.
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      let validation: GPUError | null;
      let outOfMemory: GPUError | null;
      try {
        buffers = createTrainerBuffers(device, allSizes);
        replay = offPolicy ? new Replay(device, kernels, buffers, offPolicy, options.numEnvs, sizes) : undefined;
        trainer = new Trainer({
          device,
          ownsDevice,
          adapterName: acquired.adapterName,
          isFallback: acquired.isFallback,
          options,
          layout,
          partialCount,
          samplesPerInvocation: backward.samplesPerInvocation,
          subgroupWeightSharing: backward.subgroupWeightSharing,
          tiledBackward: backward.tiled,
          laneGradients: lanes,
          privateWeights: privateCopy,
          storeActivations: store,
          buffers,
          kernels,
          replay,
          replayBytes: Object.values(replaySizes).reduce((a, b) => a + b, 0),
          initial,
          startTime,
        });
        trainer.writeConfig(false);
        device.queue.writeBuffer(
          buffers.policyParams as GPUBuffer,
          0,
          packParameters(layout, initial.layers, initial.logStd) as Float32Array<ArrayBuffer>,
        );
      } finally {
        validation = await device.popErrorScope();
        outOfMemory = await device.popErrorScope();
      }
      if (outOfMemory) throw outOfMemoryError(outOfMemory, allSizes, options);
      if (validation) throw new ReinforceError('GPU_VALIDATION', `creating the trainer: ${validation.message}`);
      return trainer;
    } catch (error) {
      // Nothing made here outlives a failure, on the caller's device too.
      if (trainer) trainer.destroy();
      else {
        replay?.destroy();
        for (const buffer of Object.values(buffers ?? {})) releaseBuffer(device, buffer);
      }
      if (ownsDevice) device.destroy();
      throw error;
    }
  }

  /** The settings every kernel reads; `evaluating` for an evaluation rollout (greedy when `deterministic`). */
  private writeConfig(deterministic: boolean, evaluating = false): void {
    const o = this.options;
    const values = {
      numEnvs: o.numEnvs,
      seed: o.seed,
      gamma: o.gamma,
      rewardToGo: o.rewardToGo,
      lr: o.lr,
      beta1: o.beta1,
      beta2: o.beta2,
      epsilon: o.epsilon,
      maxGradNorm: o.maxGradNorm,
      normalizeAdvantages: o.normalizeAdvantages,
      baseline: BASELINE_CODES[o.baseline],
      deterministic,
      evaluating,
      importanceKind: IMPORTANCE_CODES[o.offPolicy.importance],
      importanceClip: o.offPolicy.importanceClip,
      importanceSelfNormalize: o.offPolicy.importanceSelfNormalize,
    };
    writeConfig(this.device, this.buffers.config as GPUBuffer, values);
    // The replay's configs: the same settings over f filled slots, f N trajectories.
    this.replay?.configs.forEach((config, f) => {
      writeConfig(this.device, config, { ...values, numEnvs: (f + 1) * o.numEnvs });
    });
  }

  private assertUsable(): void {
    if (this.destroyed) throw new ReinforceError('DESTROYED', 'this trainer was destroyed');
    if (this.lostMessage !== undefined) throw new ReinforceError('DEVICE_LOST', `the GPU device was lost: ${this.lostMessage}`);
  }

  private iterationShape() {
    const o = this.options;
    return {
      numEnvs: o.numEnvs,
      horizon: o.horizon,
      param4: this.layout.param4,
      partialCount: this.partialCount,
      baseline: o.baseline,
      normalizeAdvantages: o.normalizeAdvantages,
      envsPerInvocation: this.samplesPerInvocation,
    };
  }

  /** Records one whole iteration into the caller's encoder (no readback; statistics stay on the GPU). */
  encodeStep(encoder: GPUCommandEncoder): void {
    this.encodeStepInto(encoder, singlePassTarget(encoder, this.kernels, this.bindGroups, 'reinforce iteration'));
  }

  /** One iteration's dispatches into `target` (one pass when training, a pass per dispatch when profiling). */
  encodeStepInto(encoder: GPUCommandEncoder, target: DispatchTarget): void {
    this.assertUsable();
    const o = this.options;
    const shape = this.iterationShape();
    if (!this.replay) {
      encodeIteration(target.dispatch, shape);
      target.flush();
      this.stepsEncoded++;
      return;
    }
    // Off-policy: sample, keep the batch in the replay, then `epochs` importance-weighted steps over the replay.
    const { reuse } = o.offPolicy;
    encodeSampling(target.dispatch, shape);
    target.flush();
    this.replay.encodeCopy(encoder, this.stepsEncoded % reuse);
    const filled = Math.min(this.stepsEncoded + 1, reuse);
    this.replay.encodeEpochs(target.dispatch, filled, {
      horizon: o.horizon,
      envsPerGroup: o.envsPerGroup,
      param4: this.layout.param4,
      groupsFor,
    });
    encodeStatistics(target.dispatch);
    target.flush();
    this.stepsEncoded++;
  }

  /** Whether this trainer's device may time passes on the GPU (the "timestamp-query" feature). */
  get hasTimestamps(): boolean {
    return this.device.features.has('timestamp-query');
  }

  /**
   * One training iteration, timed kernel by kernel: on the GPU with timestamp queries where the device has the
   * "timestamp-query" feature (each dispatch then gets a compute pass of its own), else on the CPU clock, each
   * dispatch submitted alone and awaited (labelled "cpu-clock": it includes submission overhead).
   * Await it before queueing other steps (the CPU-clock path submits dispatch by dispatch); its stats'
   * stepsPerSecond is not a throughput figure (profiling changes the timing).
   */
  async profileStep(): Promise<IterationProfile> {
    this.assertUsable();
    if (!this.hasTimestamps && this.replay)
      throw new ReinforceError(
        'INVALID_OPTION',
        'profileStep: CPU-clock profiling times on-policy trainers only (offPolicy.reuse 1, epochs 1)',
        'offPolicy',
      );
    const slot = await this.statsReader.reserve();
    if (this.hasTimestamps) {
      const timer = new PassTimer(this.device);
      const encoder = this.device.createCommandEncoder({ label: 'profiled step' });
      const target = timestampedTarget(encoder, this.kernels, this.bindGroups, timer.querySet);
      try {
        this.encodeStepInto(encoder, target);
        timer.encodeResolve(encoder, target.names.length);
      } catch (error) {
        slot.release();
        timer.destroy();
        throw error;
      }
      let stats: IterationStats;
      try {
        stats = await this.submitAndRead(encoder, slot, this.profilePacer);
      } catch (error) {
        timer.destroy();
        throw error;
      }
      return { clock: 'gpu-timestamps', kernels: await timer.read(target.names), stats };
    }
    let kernels: IterationProfile['kernels'];
    try {
      const recording = recordingTarget();
      encodeIteration(recording.dispatch, this.iterationShape());
      this.stepsEncoded++;
      kernels = await timeOnClock(this.device, this.kernels, this.bindGroups, recording.recorded);
    } catch (error) {
      slot.release();
      throw error;
    }
    const stats = await this.submitAndRead(this.device.createCommandEncoder({ label: 'profiled step statistics' }), slot);
    return { clock: 'cpu-clock', kernels, stats };
  }

  /**
   * Queues one iteration and resolves with its statistics once they arrive. Calls may overlap: start the next
   * step before awaiting the last one and the GPU never waits for the host.
   * With captureBatch, the policy that sampled is kept for readBatch().
   */
  async step(options: { captureBatch?: boolean } = {}): Promise<IterationStats> {
    this.assertUsable();
    const slot = await this.statsReader.reserve();
    const encoder = this.device.createCommandEncoder({ label: 'reinforce step' });
    try {
      if (options.captureBatch) {
        const params = this.buffers.policyParams as GPUBuffer;
        encoder.copyBufferToBuffer(params, 0, this.buffers.policySnapshot as GPUBuffer, 0, params.size);
      }
      this.encodeStep(encoder);
    } catch (error) {
      slot.release();
      throw error;
    }
    return this.submitAndRead(encoder, slot, this.stepPacer);
  }

  /** Runs one episode per environment with the current policy (greedy when deterministic); no update. */
  async evaluate(options: { deterministic?: boolean } = {}): Promise<IterationStats> {
    this.assertUsable();
    const slot = await this.statsReader.reserve();
    if (this.destroyed || this.lostMessage !== undefined) slot.release();
    this.assertUsable();
    this.writeConfig(options.deterministic ?? false, true);
    const encoder = this.device.createCommandEncoder({ label: 'reinforce evaluation' });
    encoder.clearBuffer(this.buffers.stats as GPUBuffer);
    const target = singlePassTarget(encoder, this.kernels, this.bindGroups, 'evaluation');
    encodeEvaluation(target.dispatch, this.options.numEnvs, this.samplesPerInvocation);
    target.flush();
    const stats = this.submitAndRead(encoder, slot, this.evaluationPacer);
    this.writeConfig(false);
    return stats;
  }

  private async submitAndRead(encoder: GPUCommandEncoder, slot: StatsTicket, pacer?: ReadbackPacer): Promise<IterationStats> {
    try {
      this.statsReader.encodeCopy(encoder, this.buffers.stats as GPUBuffer, slot);
    } catch (error) {
      slot.release();
      throw error;
    }
    this.device.pushErrorScope('validation');
    this.device.queue.submit([encoder.finish()]);
    const validation = this.device.popErrorScope();
    const submitted = performance.now();
    await pacer?.beforeReadback();
    const [raw, error] = await Promise.all([this.statsReader.read(slot), validation]);
    if (error) throw new ReinforceError('GPU_VALIDATION', `GPU validation error: ${error.message}`);
    this.assertUsable();
    const now = performance.now();
    pacer?.record(now - submitted);
    const stepsPerSecond = this.throughput.record(submitted, now, raw.envSteps);
    return {
      iter: raw.iteration + 1,
      envSteps: raw.envSteps,
      meanReturn: raw.meanReturn,
      minReturn: raw.minReturn,
      maxReturn: raw.maxReturn,
      meanLength: raw.meanLength,
      gradNorm: raw.gradNorm,
      entropy: raw.entropy,
      seconds: (now - this.startTime) / 1000,
      stepsPerSecond,
      ...(this.replay && raw.weightedSamples > 0
        ? {
            ess: raw.effectiveSampleSize,
            essFraction: raw.effectiveSampleSize / raw.weightedSamples,
            maxWeight: raw.maxWeight,
            truncatedFraction: raw.truncatedFraction,
          }
        : {}),
    };
  }

  /** The current parameters as a policy file: `await trainer.policy` (the same as readPolicy()). */
  get policy(): Promise<PolicyFile> {
    return this.readPolicy();
  }

  /** The current parameters as a policy file. */
  async readPolicy(): Promise<PolicyFile> {
    this.assertUsable();
    return this.policyFrom(this.buffers.policyParams as GPUBuffer);
  }

  private async policyFrom(buffer: GPUBuffer): Promise<PolicyFile> {
    const data = new Float32Array(await readBuffer(this.device, buffer, this.layout.param4 * 16));
    const dense = unpackParameters(this.layout, data);
    return {
      ...this.initial,
      layers: this.initial.layers.map((layer, l) => ({ ...layer, weight: dense[l]?.weight ?? [], bias: dense[l]?.bias ?? [] })),
      ...(this.layout.headParams > 0 ? { logStd: unpackHeadParameters(this.layout, data) } : {}),
    };
  }

  /** The batch of the last step({ captureBatch: true }): samples, advantages and the gradient, as in README. */
  async readBatch(): Promise<Batch> {
    this.assertUsable();
    const read = async (name: string) => readBuffer(this.device, this.buffers[name] as GPUBuffer);
    const policy = await this.policyFrom(this.buffers.policySnapshot as GPUBuffer);
    const [observations, actions, rewards, logProbs, advantages, episodes, gradient] = await Promise.all(
      ['observations', 'actions', 'rewards', 'logProbs', 'advantages', 'episodes', 'gradient'].map(read),
    );
    return assembleBatch({
      options: this.options,
      layout: this.layout,
      policy,
      observations: observations as ArrayBuffer,
      actions: actions as ArrayBuffer,
      rewards: rewards as ArrayBuffer,
      logProbs: logProbs as ArrayBuffer,
      advantages: advantages as ArrayBuffer,
      episodes: episodes as ArrayBuffer,
      gradient: gradient as ArrayBuffer,
    });
  }

  /** Dispatches one of the iteration's kernels on its own (tests check each kernel against a reference). */
  async runKernel(name: keyof TrainerKernels, workgroups: number): Promise<void> {
    this.assertUsable();
    const encoder = this.device.createCommandEncoder({ label: name });
    const pass = encoder.beginComputePass({ label: name });
    const kernel = this.kernels[name];
    if (!kernel) throw new ReinforceError('BINDING', `kernel ${name} is not compiled for this trainer's options`);
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, this.bindGroups[name] as GPUBindGroup);
    pass.dispatchWorkgroups(workgroups);
    pass.end();
    this.device.pushErrorScope('validation');
    this.device.queue.submit([encoder.finish()]);
    const error = await this.device.popErrorScope();
    if (error) throw new ReinforceError('GPU_VALIDATION', `${name}: ${error.message}`);
    await this.device.queue.onSubmittedWorkDone();
  }

  /**
   * One of the trainer's GPU buffers by its WGSL binding name, for kernels that run beside the trainer and read
   * its state (src/algo/watch.ts reads "config" and "policyParams"). Never destroy or resize it.
   */
  sharedBuffer(name: 'config' | 'policyParams'): GPUBuffer {
    this.assertUsable();
    return this.buffers[name] as GPUBuffer;
  }

  /** Raw access for tests and tools: a copy of one of the trainer's buffers (by its WGSL binding name). */
  async readRaw(name: string): Promise<ArrayBuffer> {
    const buffer = this.buffers[name];
    if (!buffer) throw new ReinforceError('BINDING', `no trainer buffer named "${name}"`);
    return readBuffer(this.device, buffer);
  }

  /** Overwrites one of the trainer's buffers (tests use this to poison outputs before a run). */
  writeRaw(name: string, data: ArrayBufferView): void {
    const buffer = this.buffers[name];
    if (!buffer) throw new ReinforceError('BINDING', `no trainer buffer named "${name}"`);
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Releases every GPU object this trainer created; destroys the device only if the trainer acquired it. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const buffer of Object.values(this.buffers)) releaseBuffer(this.device, buffer);
    this.replay?.destroy();
    this.statsReader.destroy();
    if (this.ownsDevice) this.device.destroy();
  }
}

function deviceDescription(device: GPUDevice): Omit<AcquiredDevice, 'device'> {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info ? describeAdapter(info) : { adapterName: 'caller-provided device', isFallback: false };
}

export function createTrainer(options: TrainerOptions = {}): Promise<Trainer> {
  return Trainer.create(options);
}

/** A device that could not hold the trainer: what was asked for, in terms of the options that size it. */
function outOfMemoryError(
  error: GPUError,
  sizes: Record<string, number>,
  options: Pick<ResolvedOptions, 'numEnvs' | 'horizon'>,
): ReinforceError {
  const mib = (Object.values(sizes).reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1);
  return new ReinforceError(
    'OUT_OF_MEMORY',
    `numEnvs: the trainer's buffers for ${options.numEnvs} environments x horizon ${options.horizon} (${mib} MiB) do not fit in this device's memory (${error.message}); use fewer environments or a shorter horizon`,
    'numEnvs',
  );
}
