// Watching a policy act: a few agents (default 256) stepped one time step per call with the trainer's current
// parameters (shaders/watch.wgsl), their states left in a GPU buffer for a render pipeline to draw. The demo
// records one step per animation frame; nothing is read back, and training is unaffected.
import { environmentSplices } from '../envs/environmentSource.js';
import { ReinforceError } from '../errors.js';
import { Kernel } from '../gpu/kernel.js';
import { ownedBuffer, releaseBuffer } from '../gpu/ownedBuffers.js';
import { composeShader } from '../gpu/shaderSource.js';
import { WORKGROUP_SIZE } from './kernelPlan.js';
import { policyKernelPrelude } from './kernels.js';
import type { Trainer } from './trainer.js';

/** Bytes of one WatchAgent (shaders/watch.wgsl): step, episode, episodeReturn, lastReturn. */
export const WATCH_AGENT_BYTES = 16;

export class Watch {
  readonly count: number;
  readonly stateDim: number;
  /** count x stateDim float32: each agent's state in the environment's state-vector layout. */
  readonly states: GPUBuffer;
  /** count x WatchAgent. */
  readonly agents: GPUBuffer;
  private readonly kernel: Kernel;
  private readonly bindGroup: GPUBindGroup;
  private destroyed = false;
  private readonly device: GPUDevice;

  private constructor(init: {
    device: GPUDevice;
    count: number;
    stateDim: number;
    states: GPUBuffer;
    agents: GPUBuffer;
    kernel: Kernel;
    bindGroup: GPUBindGroup;
  }) {
    this.device = init.device;
    this.count = init.count;
    this.stateDim = init.stateDim;
    this.states = init.states;
    this.agents = init.agents;
    this.kernel = init.kernel;
    this.bindGroup = init.bindGroup;
  }

  static async create(trainer: Trainer, count = 256): Promise<Watch> {
    const { env } = trainer.options;
    if (env.stateDim === undefined) {
      throw new ReinforceError(
        'ENVIRONMENT',
        `environment "${env.name}" has no stateDim (envFromVector/envToVector): it cannot be watched`,
        'env',
      );
    }
    if (!Number.isInteger(count) || count < 1 || count > 65536)
      throw new ReinforceError('INVALID_OPTION', `count: must be an integer from 1 to 65536, got ${count}`, 'count');
    const { device } = trainer;
    const prelude = policyKernelPrelude(trainer.layout, env, trainer.options.horizon, trainer.options.learnLogStd);
    const code = await composeShader('watch.wgsl', { prelude, splices: await environmentSplices(env) });
    const kernel = await Kernel.create(device, {
      label: `watch.wgsl (${env.name})`,
      code,
      entryPoint: 'main',
      constants: { WORKGROUP_SIZE, WATCH_COUNT: count },
    });
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const states = ownedBuffer(device, { label: 'watchStates', size: Math.ceil((count * env.stateDim * 4) / 16) * 16, usage });
    const agents = ownedBuffer(device, { label: 'watchAgents', size: count * WATCH_AGENT_BYTES, usage });
    const bindGroup = kernel.bind({
      config: trainer.sharedBuffer('config'),
      policyParams: trainer.sharedBuffer('policyParams'),
      watchAgents: agents,
      watchStates: states,
    });
    return new Watch({ device, count, stateDim: env.stateDim, states, agents, kernel, bindGroup });
  }

  /** Records one time step of every agent into the caller's encoder. */
  encodeStep(encoder: GPUCommandEncoder): void {
    if (this.destroyed) throw new ReinforceError('DESTROYED', 'this watch was destroyed');
    const pass = encoder.beginComputePass({ label: 'watch step' });
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(this.count / WORKGROUP_SIZE));
    pass.end();
  }

  /** Starts every agent on a new episode at its next step (e.g. after loading another policy). */
  restart(device: GPUDevice): void {
    device.queue.writeBuffer(this.agents, 0, new Uint32Array((this.count * WATCH_AGENT_BYTES) / 4));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    releaseBuffer(this.device, this.states);
    releaseBuffer(this.device, this.agents);
  }
}

export function createWatch(trainer: Trainer, count?: number): Promise<Watch> {
  return Watch.create(trainer, count);
}
