// The trainer: owns the buffers and kernels of one REINFORCE run and drives its iterations. createTrainer
// (createTrainer.ts) builds one; follow an iteration from step() into encodeIteration() (iteration.ts), which names
// each kernel it dispatches, and each kernel name is the WGSL entry point it runs.
// Over 300 lines on purpose: the trainer is the API's one stateful object and its methods share private state (the
// stats ring, the replay slot counter, device loss); building it and test access (trainerProbe.ts) live apart.
import { ReinforceError } from '../errors.js';
import { releaseBuffer } from '../gpu/ownedBuffers.js';
import { readBuffer } from '../gpu/readback.js';
import { ReadbackPacer } from '../gpu/readbackPacer.js';
import { type PolicyLayout, unpackHeadParameters, unpackParameters } from '../policy/layout.js';
import type { PolicyFile } from '../policy/policyFile.js';
import { assembleBatch, type Batch } from './batch.js';
import { type Checkpoint, captureCheckpoint } from './checkpoint.js';
import { type DispatchTarget, recordingTarget, singlePassTarget, timestampedTarget } from './dispatchTarget.js';
import { encodeEvaluation, encodeIteration, encodeSampling, encodeStatistics, groupsFor } from './iteration.js';
import { type IterationStats, iterationStats, nonFiniteError } from './iterationStats.js';
import type { KernelPlan } from './kernelPlan.js';
import { bindTrainerKernels, type CompiledKernels, type TrainerBindGroups } from './kernels.js';
import type { Replay } from './offPolicy.js';
import type { ResolvedOptions } from './options.js';
import { type IterationProfile, PassTimer, timeOnClock } from './profile.js';
import { StatsReader, type StatsTicket } from './statsReader.js';
import { Throughput } from './throughput.js';
import { configValues, type TrainerBuffers, writeConfig } from './trainerBuffers.js';
import { internalsOf, trainerInternals } from './trainerInternals.js';

export type { IterationStats } from './iterationStats.js';

/** What createTrainer made for one trainer. */
export interface TrainerParts {
  device: GPUDevice;
  ownsDevice: boolean;
  adapterName: string;
  options: ResolvedOptions;
  plan: KernelPlan;
  layout: PolicyLayout;
  partialCount: number;
  buffers: TrainerBuffers;
  kernels: CompiledKernels;
  replay: Replay | undefined;
  replayBytes: number;
  initial: PolicyFile;
  startTime: number;
}

export class Trainer {
  readonly device: GPUDevice;
  readonly adapterName: string;
  readonly options: ResolvedOptions;
  /** How the kernels are shaped for this device (kernelPlan.ts): for reports and the bench. */
  readonly plan: KernelPlan;
  readonly layout: PolicyLayout;
  /** GPU memory the off-policy replay takes (0 when on-policy). */
  readonly replayBytes: number;
  private readonly partialCount: number;
  private readonly ownsDevice: boolean;
  private readonly buffers: TrainerBuffers;
  private readonly kernels: CompiledKernels;
  private readonly replay: Replay | undefined;
  /** Training iterations recorded so far (picks the replay slot; restored from a checkpoint). */
  private readonly counters = { iterationsEncoded: 0 };
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

  /** Made by createTrainer (createTrainer.ts), which compiles the kernels and allocates the buffers. */
  constructor(parts: TrainerParts) {
    this.device = parts.device;
    this.ownsDevice = parts.ownsDevice;
    this.adapterName = parts.adapterName;
    this.options = parts.options;
    this.plan = parts.plan;
    this.layout = parts.layout;
    this.partialCount = parts.partialCount;
    this.buffers = parts.buffers;
    this.kernels = parts.kernels;
    this.replay = parts.replay;
    this.replayBytes = parts.replayBytes;
    this.bindGroups = bindTrainerKernels(parts.kernels, parts.buffers);
    this.statsReader = new StatsReader(parts.device);
    this.initial = parts.initial;
    this.startTime = parts.startTime;
    trainerInternals.set(this, {
      device: this.device,
      options: this.options,
      layout: this.layout,
      buffers: this.buffers,
      kernels: this.kernels,
      bindGroups: this.bindGroups,
      counters: this.counters,
      shape: this.iterationShape(),
    });
    this.writeConfig(false);
    this.device.lost.then((info) => {
      if (!this.destroyed) this.lostMessage = info.message || String(info.reason);
    });
  }

  /** The settings every kernel reads; `evaluating` for an evaluation rollout (greedy when `deterministic`). */
  private writeConfig(deterministic: boolean, evaluating = false): void {
    const values = configValues(this.options, { deterministic, evaluating });
    writeConfig(this.device, this.buffers.config as GPUBuffer, values);
    // The replay's configs: the same settings over f filled slots, f N trajectories.
    this.replay?.configs.forEach((config, f) => {
      writeConfig(this.device, config, { ...values, numEnvs: (f + 1) * this.options.numEnvs });
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
      rewardToGo: o.rewardToGo,
      normalizeAdvantages: o.normalizeAdvantages,
      plan: this.plan,
    };
  }

  /** Records one whole iteration into the caller's encoder (no readback; statistics stay on the GPU). */
  encodeStep(encoder: GPUCommandEncoder): void {
    this.encodeStepInto(encoder, singlePassTarget(encoder, this.kernels, this.bindGroups, 'reinforce iteration'));
  }

  /** One iteration's dispatches into `target` (one pass when training, a pass per dispatch when profiling). */
  private encodeStepInto(encoder: GPUCommandEncoder, target: DispatchTarget): void {
    this.assertUsable();
    const o = this.options;
    // The kernels OR their non-finite flags into the block: it starts each iteration clear.
    encoder.clearBuffer(this.buffers.stats as GPUBuffer);
    const shape = this.iterationShape();
    if (!this.replay) {
      encodeIteration(target.dispatch, shape);
      target.flush();
      this.counters.iterationsEncoded++;
      return;
    }
    // Off-policy: sample, keep the batch in the replay, then `epochs` importance-weighted steps over the replay.
    const { reuse } = o.offPolicy;
    encodeSampling(target.dispatch, shape);
    target.flush();
    this.replay.encodeCopy(encoder, this.counters.iterationsEncoded % reuse);
    const filled = Math.min(this.counters.iterationsEncoded + 1, reuse);
    this.replay.encodeEpochs(target.dispatch, filled, {
      horizon: o.horizon,
      envsPerGroup: this.plan.envsPerGroup,
      param4: this.layout.param4,
      groupsFor,
    });
    encodeStatistics(target.dispatch);
    target.flush();
    this.counters.iterationsEncoded++;
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
      const clear = this.device.createCommandEncoder({ label: 'clear statistics' });
      clear.clearBuffer(this.buffers.stats as GPUBuffer);
      this.device.queue.submit([clear.finish()]);
      const recording = recordingTarget();
      encodeIteration(recording.dispatch, this.iterationShape());
      this.counters.iterationsEncoded++;
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
    encodeEvaluation(target.dispatch, this.options.numEnvs, this.plan);
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
    const [raw, error] = await this.lossAware(Promise.all([this.statsReader.read(slot), validation]));
    if (error) throw new ReinforceError('GPU_VALIDATION', `GPU validation error: ${error.message}`);
    this.assertUsable();
    const now = performance.now();
    pacer?.record(now - submitted);
    if (raw.nonFinite !== 0) throw nonFiniteError(raw.iteration + 1, raw.nonFinite, this.options);
    const stepsPerSecond = this.throughput.record(submitted, now, raw.envSteps);
    return iterationStats(raw, { seconds: (now - this.startTime) / 1000, stepsPerSecond }, this.replay !== undefined);
  }

  /** Everything the run needs to continue exactly (resumeTrainer): await the steps it should include first. */
  async readCheckpoint(): Promise<Checkpoint> {
    this.assertUsable();
    return this.lossAware(captureCheckpoint(internalsOf(this)));
  }

  /** A readback's failure as DEVICE_LOST when the device was lost: the readback fails first, device.lost resolves a
   *  moment later. */
  private lossAware<T>(work: Promise<T>): Promise<T> {
    return work.catch(async (failure) => {
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 1000))]);
      this.assertUsable();
      throw failure;
    });
  }

  /** The current parameters as a policy file. */
  async readPolicy(): Promise<PolicyFile> {
    this.assertUsable();
    return this.lossAware(this.policyFrom(this.buffers.policyParams as GPUBuffer));
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

  /**
   * One of the trainer's GPU buffers by its WGSL binding name, for kernels that run beside the trainer and read
   * its state (src/algo/watch.ts reads "config" and "policyParams"). Never destroy or resize it.
   */
  sharedBuffer(name: 'config' | 'policyParams'): GPUBuffer {
    this.assertUsable();
    return this.buffers[name] as GPUBuffer;
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
