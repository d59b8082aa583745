// One training run in the page: a trainer on the page's device, the agents drawn from it, and the loop that
// keeps one iteration queued behind the one in flight (the GPU never waits for the page; the page never waits
// for the GPU: statistics arrive asynchronously).
import { createTrainer, type IterationStats, type PolicyFile, type Trainer } from '../src/index.js';
import { AgentView } from './agentView.js';
import type { Settings } from './settings.js';

export interface SessionEvents {
  stats(s: IterationStats): void;
  status(running: boolean): void;
  failure(error: Error): void;
}

export class Session {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private destroyed = false;

  private constructor(
    readonly trainer: Trainer,
    private readonly view: AgentView,
    private readonly events: SessionEvents,
  ) {}

  static async create(
    device: GPUDevice,
    canvas: HTMLCanvasElement,
    settings: Settings,
    events: SessionEvents,
    policy?: PolicyFile,
  ): Promise<Session> {
    const trainer = await createTrainer({
      device,
      env: settings.env,
      numEnvs: settings.envs,
      hidden: settings.hidden,
      lr: settings.lr,
      baseline: settings.baseline,
      rewardToGo: settings.rewardToGo,
      gamma: settings.gamma,
      seed: settings.seed,
      policy,
    });
    try {
      const view = await AgentView.create(device, canvas, trainer);
      view.start();
      return new Session(trainer, view, events);
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

  /** One iteration (while paused). */
  async stepOnce(): Promise<void> {
    if (this.running || this.destroyed) return;
    this.loop = this.loop.then(async () => {
      this.events.stats(await this.trainer.step());
    });
    await this.loop;
  }

  private async train(): Promise<void> {
    try {
      let pending = this.trainer.step();
      while (this.running && !this.destroyed) {
        const next = this.trainer.step();
        this.events.stats(await pending);
        pending = next;
      }
      const last = await pending;
      if (!this.destroyed) this.events.stats(last);
    } catch (error) {
      this.running = false;
      if (!this.destroyed) this.events.failure(error as Error);
    }
  }

  /** Waits for queued work, then releases the trainer's and the view's GPU objects (never the device). */
  async destroy(): Promise<void> {
    this.running = false;
    await this.loop.catch(() => {});
    this.destroyed = true;
    this.view.destroy();
    this.trainer.destroy();
  }
}
