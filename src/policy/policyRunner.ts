// Running a trained policy inside someone else's WebGPU app: observations from the caller's GPU buffer, actions
// into the caller's GPU buffer, recorded into the caller's command encoder (shaders/act.wgsl). Nothing the
// caller created is destroyed or reconfigured; destroy() releases what the runner made.
import { ReinforceError } from '../errors.js';
import { Kernel } from '../gpu/kernel.js';
import { ownedBuffer, releaseBuffer } from '../gpu/ownedBuffers.js';
import { readBuffer } from '../gpu/readback.js';
import { composeShader, loadShaderFile } from '../gpu/shaderSource.js';
import { actionWords, headConstants, headFiles, headParameterCount, outputDim } from './head.js';
import { layoutConstants, type PolicyLayout, packParameters, policyLayout } from './layout.js';
import { type PolicyFile, policyActivation, policyHidden, validatePolicy } from './policyFile.js';

export interface PolicyRunnerOptions {
  device: GPUDevice;
  policy: PolicyFile;
  /** Seeds the draws of sampled (non-deterministic) actions. Default 1. */
  seed?: number;
}

export interface ActOptions {
  /** count x obsDim float32, row-major; needs GPUBufferUsage.STORAGE. */
  observations: GPUBuffer;
  /** count x 1 uint32 (categorical) or count x actionDim float32 (Gaussian); needs GPUBufferUsage.STORAGE. */
  actions: GPUBuffer;
  count: number;
  /** The most probable action (categorical) or the mean (Gaussian) instead of a sample. Default false. */
  deterministic?: boolean;
}

const WORKGROUP_SIZE = 64;
const MAX_CACHED_BINDINGS = 32;

export class PolicyRunner {
  readonly obsDim: number;
  /** u32 or float32 words per action in the actions buffer. */
  readonly actionWords: number;
  policy: PolicyFile;
  private readonly params: GPUBuffer;
  private readonly calls: GPUBuffer;
  private readonly advanceGroup: GPUBindGroup;
  private readonly uniforms = new Map<string, GPUBuffer>();
  private readonly bindings = new Map<string, GPUBindGroup>();
  private readonly buffersSeen = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private destroyed = false;

  private constructor(
    private readonly device: GPUDevice,
    policy: PolicyFile,
    private readonly kernel: Kernel,
    private readonly advance: Kernel,
    params: GPUBuffer,
    calls: GPUBuffer,
    private readonly seed: number,
    private readonly layout: PolicyLayout,
  ) {
    this.policy = policy;
    this.obsDim = policy.obsDim;
    this.actionWords = actionWords(policy.action);
    this.params = params;
    this.calls = calls;
    this.advanceGroup = advance.bind({ calls });
  }

  static async create(options: PolicyRunnerOptions): Promise<PolicyRunner> {
    const { device } = options;
    if (!device) throw new ReinforceError('INVALID_OPTION', 'device: a GPUDevice is required', 'device');
    const policy = validatePolicy(options.policy);
    const seed = options.seed ?? 1;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new ReinforceError('INVALID_OPTION', `seed: must be an integer from 0 to 4294967295, got ${seed}`, 'seed');
    const layout = policyLayout(
      policy.obsDim,
      outputDim(policy.action),
      policyHidden(policy),
      policyActivation(policy),
      headParameterCount(policy.action),
    );
    const files = headFiles(policy.action);
    const code = await composeShader('act.wgsl', {
      prelude: `${layoutConstants(layout)}\n${headConstants(policy.action, false)}`,
      splices: {
        head: { name: files.head, source: await loadShaderFile(files.head) },
        action: { name: files.action, source: await loadShaderFile(files.action) },
      },
    });
    const kernel = await Kernel.create(device, {
      label: 'act.wgsl:main',
      code,
      entryPoint: 'main',
      constants: { WORKGROUP_SIZE },
    });
    const advance = await Kernel.create(device, { label: 'act.wgsl:advance', code, entryPoint: 'advance' });
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const params = ownedBuffer(device, { label: 'runner policyParams', size: layout.param4 * 16, usage });
    device.queue.writeBuffer(params, 0, packParameters(layout, policy.layers, policy.logStd) as Float32Array<ArrayBuffer>);
    const calls = ownedBuffer(device, { label: 'runner calls', size: 16, usage });
    return new PolicyRunner(device, policy, kernel, advance, params, calls, seed, layout);
  }

  private idOf(buffer: GPUBuffer): number {
    let id = this.buffersSeen.get(buffer);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.buffersSeen.set(buffer, id);
    }
    return id;
  }

  private uniform(count: number, deterministic: boolean): GPUBuffer {
    const key = `${count}/${deterministic}`;
    let buffer = this.uniforms.get(key);
    if (!buffer) {
      buffer = ownedBuffer(this.device, {
        label: 'runner act params',
        size: 16,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
      this.device.queue.writeBuffer(buffer, 0, new Uint32Array([count, deterministic ? 1 : 0, this.seed, 0]));
      if (this.uniforms.size >= MAX_CACHED_BINDINGS) this.forgetBindings();
      this.uniforms.set(key, buffer);
    }
    return buffer;
  }

  private forgetBindings(): void {
    for (const buffer of this.uniforms.values()) releaseBuffer(this.device, buffer);
    this.uniforms.clear();
    this.bindings.clear();
  }

  private check(options: ActOptions): void {
    if (this.destroyed) throw new ReinforceError('DESTROYED', 'this policy runner was destroyed');
    const { count } = options;
    if (!Number.isInteger(count) || count < 1 || count > 65535 * WORKGROUP_SIZE)
      throw new ReinforceError(
        'INVALID_OPTION',
        `count: must be an integer from 1 to ${65535 * WORKGROUP_SIZE}, got ${count}`,
        'count',
      );
    const need = (name: 'observations' | 'actions', bytes: number) => {
      const buffer = options[name];
      if (!buffer || typeof buffer.size !== 'number')
        throw new ReinforceError('INVALID_OPTION', `${name}: must be a GPUBuffer`, name);
      if ((buffer.usage & GPUBufferUsage.STORAGE) === 0)
        throw new ReinforceError('INVALID_OPTION', `${name}: the buffer needs GPUBufferUsage.STORAGE`, name);
      if (buffer.size < bytes)
        throw new ReinforceError(
          'INVALID_OPTION',
          `${name}: ${count} rows need ${bytes} bytes, the buffer has ${buffer.size}`,
          name,
        );
    };
    need('observations', count * this.obsDim * 4);
    need('actions', count * this.actionWords * 4);
  }

  /** Records the policy acting on `count` rows of the caller's observations into the caller's encoder. */
  encodeAct(encoder: GPUCommandEncoder, options: ActOptions): void {
    this.check(options);
    const deterministic = options.deterministic ?? false;
    const key = `${this.idOf(options.observations)}/${this.idOf(options.actions)}/${options.count}/${deterministic}`;
    let group = this.bindings.get(key);
    if (!group) {
      const uniform = this.uniform(options.count, deterministic);
      group = this.kernel.bind({
        act: uniform,
        policyParams: this.params,
        observations: options.observations,
        actions: options.actions,
        calls: this.calls,
      });
      if (this.bindings.size >= MAX_CACHED_BINDINGS) this.bindings.clear();
      this.bindings.set(key, group);
    }
    const pass = encoder.beginComputePass({ label: 'policy runner act' });
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(options.count / WORKGROUP_SIZE));
    pass.setPipeline(this.advance.pipeline);
    pass.setBindGroup(0, this.advanceGroup);
    pass.dispatchWorkgroups(1);
    pass.end();
  }

  /** For CPU callers: actions for count x obsDim observations (Uint32Array for categorical, else Float32Array). */
  async act(observations: Float32Array, options: { deterministic?: boolean } = {}): Promise<Float32Array | Uint32Array> {
    if (this.destroyed) throw new ReinforceError('DESTROYED', 'this policy runner was destroyed');
    if (!(observations instanceof Float32Array) || observations.length === 0 || observations.length % this.obsDim !== 0)
      throw new ReinforceError(
        'INVALID_OPTION',
        `observations: must be a non-empty Float32Array of count x ${this.obsDim} values`,
        'observations',
      );
    const count = observations.length / this.obsDim;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const input = ownedBuffer(this.device, {
      label: 'runner act input',
      size: Math.ceil(observations.byteLength / 16) * 16,
      usage,
    });
    const output = ownedBuffer(this.device, {
      label: 'runner act output',
      size: Math.ceil((count * this.actionWords * 4) / 16) * 16,
      usage,
    });
    try {
      this.device.queue.writeBuffer(input, 0, observations as Float32Array<ArrayBuffer>);
      this.device.pushErrorScope('validation');
      const encoder = this.device.createCommandEncoder({ label: 'policy runner act' });
      this.encodeAct(encoder, { observations: input, actions: output, count, deterministic: options.deterministic });
      this.device.queue.submit([encoder.finish()]);
      const error = await this.device.popErrorScope();
      if (error) throw new ReinforceError('GPU_VALIDATION', `act: ${error.message}`);
      const data = await readBuffer(this.device, output, count * this.actionWords * 4);
      return this.policy.action.kind === 'categorical' ? new Uint32Array(data) : new Float32Array(data);
    } finally {
      // Bindings that name these buffers are gone with them.
      this.bindings.clear();
      releaseBuffer(this.device, input);
      releaseBuffer(this.device, output);
    }
  }

  /** Swaps in new parameters of the same architecture (e.g. the latest of a trainer): no recompilation. */
  updatePolicy(policy: PolicyFile): void {
    if (this.destroyed) throw new ReinforceError('DESTROYED', 'this policy runner was destroyed');
    const next = validatePolicy(policy);
    const shape = (p: PolicyFile) => JSON.stringify([p.obsDim, p.action, p.layers.map((l) => [l.inDim, l.outDim, l.activation])]);
    if (shape(next) !== shape(this.policy))
      throw new ReinforceError(
        'INVALID_POLICY',
        'policy: updatePolicy needs the same observation size, action and layers as the runner was created with',
        'policy',
      );
    this.device.queue.writeBuffer(
      this.params,
      0,
      packParameters(this.layout, next.layers, next.logStd) as Float32Array<ArrayBuffer>,
    );
    this.policy = next;
  }

  /** Releases what the runner created (idempotent); the caller's device and buffers are untouched. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.forgetBindings();
    releaseBuffer(this.device, this.params);
    releaseBuffer(this.device, this.calls);
  }
}

export function createPolicyRunner(options: PolicyRunnerOptions): Promise<PolicyRunner> {
  return PolicyRunner.create(options);
}
