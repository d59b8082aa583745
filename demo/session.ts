// One training run in the page: a trainer on the page's device, the agents drawn from it, and the loop that
// keeps one iteration queued behind the one in flight (the GPU never waits for the page; the page never waits
// for the GPU: statistics arrive asynchronously). Every CHECKPOINT_MS while training, when paused, after a single
// step and when asked (the page going hidden), the loop lets the queue drain and reads a checkpoint between
// iterations, so the page can keep the run across a reload or a lost device.
import {
  type Checkpoint,
  createTrainer,
  type IterationStats,
  type PolicyFile,
  resumeTrainer,
  type Trainer,
} from '../src/index.js';
import { AgentView } from './agentView.js';
import type { Settings } from './settings.js';

export interface SessionEvents {
  stats(s: IterationStats): void;
  status(running: boolean): void;
  failure(error: Error): void;
  /** A checkpoint taken between iterations: every statistic reported so far is in it, and nothing else. */
  checkpoint(checkpoint: Checkpoint): void;
}

/** Where a session's trainer comes from: new (from the settings, or a policy file's parameters) or a checkpoint. */
export type SessionSource = { policy?: PolicyFile; checkpoint?: undefined } | { checkpoint: Checkpoint; policy?: undefined };

/** The most training time a lost device or a closed page can cost. */
const CHECKPOINT_MS = 2000;

export class Session {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private destroyed = false;
  /** Set by destroy(): no more events, no more checkpoints. */
  private closing = false;
  private lastCheckpointAt = performance.now();
  private checkpointAsked = false;
  /** Iterations done since the last checkpoint. */
  private unsaved = false;

  private constructor(
    readonly trainer: Trainer,
    readonly settings: Settings,
    private readonly view: AgentView,
    private readonly events: SessionEvents,
  ) {}

  static async create(
    device: GPUDevice,
    canvas: HTMLCanvasElement,
    settings: Settings,
    events: SessionEvents,
    source: SessionSource = {},
  ): Promise<Session> {
    const trainer = source.checkpoint
      ? await resumeTrainer(source.checkpoint, { device, env: source.checkpoint.env.name })
      : await createTrainer({
          device,
          env: settings.env,
          numEnvs: settings.envs,
          hidden: settings.hidden,
          lr: settings.lr,
          baseline: settings.baseline,
          rewardToGo: settings.rewardToGo,
          gamma: settings.gamma,
          seed: settings.seed,
          policy: source.policy,
        });
    try {
      const view = await AgentView.create(device, canvas, trainer);
      view.start();
      return new Session(trainer, settings, view, events);
    } catch (error) {
      trainer.destroy();
      throw error;
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running || this.destroyed) return;
    this.running = true;
    this.events.status(true);
    this.loop = this.loop.then(() => this.train());
  }

  /** Stops after the iterations already queued. */
  pause(): void {
    if (!this.running) return;
    this.running = false;
    this.events.status(false);
  }

  /** One iteration (while paused), then a checkpoint. */
  async stepOnce(): Promise<void> {
    if (this.running || this.destroyed) return;
    const step = this.loop.then(async () => {
      this.report(await this.trainer.step());
      await this.saveCheckpoint();
    });
    this.loop = step.catch(() => {}); // the caller hears of a failure; the loop goes on to the next request
    await step;
  }

  /** A checkpoint as soon as the run is between iterations (none if nothing changed since the last one). */
  requestCheckpoint(): void {
    if (this.running) {
      this.checkpointAsked = true;
      return;
    }
    if (!this.unsaved || this.closing) return;
    this.loop = this.loop.then(() => this.saveCheckpoint()).catch((error: Error) => this.fail(error));
  }

  /** A checkpoint now, before any iteration (a policy file just loaded), so a reload keeps it. */
  checkpointNow(): void {
    this.unsaved = true;
    this.requestCheckpoint();
  }

  private report(stats: IterationStats): void {
    this.unsaved = true;
    if (!this.closing) this.events.stats(stats);
  }

  private fail(error: Error): void {
    this.running = false;
    if (!this.closing) this.events.failure(error);
  }

  private async saveCheckpoint(): Promise<void> {
    this.checkpointAsked = false;
    if (this.closing || !this.unsaved) return;
    const checkpoint = await this.trainer.readCheckpoint();
    this.lastCheckpointAt = performance.now();
    this.unsaved = false;
    if (!this.closing) this.events.checkpoint(checkpoint);
  }

  private async train(): Promise<void> {
    try {
      let pending = this.trainer.step();
      for (;;) {
        // One step queued behind the one in flight, except when a checkpoint is due or the run stops: then the
        // queue drains and the checkpoint holds exactly the iterations reported.
        const due = this.checkpointAsked || performance.now() - this.lastCheckpointAt >= CHECKPOINT_MS;
        const next = this.running && !due ? this.trainer.step() : undefined;
        // If `pending` fails, `next` fails too (a lost device) and is never awaited: it must not be an unhandled
        // rejection. Awaited, it still throws.
        next?.catch(() => {});
        this.report(await pending);
        if (next) {
          pending = next;
          continue;
        }
        await this.saveCheckpoint();
        if (!this.running) return;
        pending = this.trainer.step();
      }
    } catch (error) {
      this.fail(error as Error);
    }
  }

  /** Waits for queued work (none on a lost device), then releases the trainer's and the view's GPU objects (never the
   *  device). */
  async destroy(): Promise<void> {
    this.running = false;
    this.closing = true;
    await Promise.race([this.loop.catch(() => {}), this.trainer.device.lost]);
    this.destroyed = true;
    this.view.destroy();
    this.trainer.destroy();
  }
}
