// A compute kernel whose bind group layout is read from its own WGSL (wgsl_reflect), so the host can bind
// buffers by the names the shader gives them and is refused, clearly, a buffer that does not fit.
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { ReinforceError } from '../errors.js';
import { originOf } from './shaderSource.js';

const RESOURCE_UNIFORM = 0;
const RESOURCE_STORAGE = 1;

export interface KernelBinding {
  name: string;
  binding: number;
  kind: 'uniform' | 'read-only-storage' | 'storage';
  /** The smallest buffer size the declaration accepts, in bytes. */
  minSize: number;
  /** For runtime-sized arrays: the element stride the buffer size must be a multiple of. */
  stride: number;
}

export interface KernelOptions {
  label: string;
  code: string;
  entryPoint: string;
  constants?: Record<string, number | boolean>;
}

interface ReflectedType {
  name: string;
  size: number;
  isArray?: boolean;
  isStruct?: boolean;
  stride?: number;
  count?: number;
}

/** The buffer bindings an entry point uses, read from its WGSL (group 0 only). */
export function reflectBindings(
  code: string,
  entryPoint: string,
  label: string,
  stage: 'compute' | 'vertex' | 'fragment' = 'compute',
): KernelBinding[] {
  let reflect: WgslReflect;
  try {
    reflect = new WgslReflect(code);
  } catch (error) {
    throw new ReinforceError('SHADER', `${label}: WGSL could not be parsed: ${(error as Error).message}`);
  }
  const entry = reflect.entry[stage].find((e: { name: string }) => e.name === entryPoint);
  if (!entry) throw new ReinforceError('SHADER', `${label}: no ${stage} entry point named ${entryPoint}`);
  const bindings: KernelBinding[] = [];
  for (const resource of entry.resources) {
    if (resource.group !== 0) throw new ReinforceError('SHADER', `${label}: only bind group 0 is supported`);
    const type = resource.type as unknown as ReflectedType;
    let kind: KernelBinding['kind'];
    if (resource.resourceType === RESOURCE_UNIFORM) kind = 'uniform';
    else if (resource.resourceType === RESOURCE_STORAGE) kind = resource.access === 'read' ? 'read-only-storage' : 'storage';
    else throw new ReinforceError('SHADER', `${label}: binding ${resource.name} is not a buffer`);
    const runtimeArray = type.isArray === true && !type.count;
    const stride = runtimeArray ? (type.stride ?? 4) : 0;
    bindings.push({ name: resource.name, binding: resource.binding, kind, minSize: runtimeArray ? stride : type.size, stride });
  }
  return bindings.sort((a, b) => a.binding - b.binding);
}

// Pipeline-overridable constants: WebGPU takes numbers (booleans as 0/1).
function toConstants(constants: Record<string, number | boolean> = {}): Record<string, number> {
  return Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, Number(v)]));
}

const moduleCache = new WeakMap<GPUDevice, Map<string, GPUShaderModule>>();

function shaderModule(device: GPUDevice, code: string, label: string): GPUShaderModule {
  let cache = moduleCache.get(device);
  if (!cache) {
    cache = new Map();
    moduleCache.set(device, cache);
  }
  let module = cache.get(code);
  if (!module) {
    module = device.createShaderModule({ label, code });
    cache.set(code, module);
  }
  return module;
}

/**
 * A pipeline made inside a validation error scope, so its errors stay inside the library instead of reaching the
 * caller's uncaptured-error handler. The scope is pushed and popped with no await between, so pipelines compiled
 * concurrently never share one; the module is made inside it too. Failures become SHADER errors naming the
 * original WGSL file and line.
 */
export async function createPipelineInScope<P>(
  device: GPUDevice,
  label: string,
  code: string,
  makeModule: () => GPUShaderModule,
  create: (module: GPUShaderModule) => Promise<P>,
): Promise<P> {
  device.pushErrorScope('validation');
  const module = makeModule();
  const created = create(module).then(
    (pipeline) => ({ pipeline, failure: undefined }),
    (failure: Error) => ({ pipeline: undefined, failure }),
  );
  const scope = device.popErrorScope();
  const [{ pipeline, failure }, validation] = await Promise.all([created, scope]);
  if (failure || validation || !pipeline) {
    const details = await compileErrors(module, code);
    throw new ReinforceError(
      'SHADER',
      `${label}: ${details || failure?.message || validation?.message || 'pipeline creation failed'}`,
    );
  }
  return pipeline;
}

/** Compile errors with their WGSL lines, for a readable message. */
async function compileErrors(module: GPUShaderModule, code: string): Promise<string> {
  const info = await module.getCompilationInfo();
  const lines = code.split('\n');
  return info.messages
    .filter((m) => m.type === 'error')
    .map((m) => `${originOf(code, m.lineNum)}: ${m.message}\n    ${lines[m.lineNum - 1]?.trim() ?? ''}`)
    .join('\n');
}

export class Kernel {
  readonly label: string;
  readonly bindings: KernelBinding[];
  readonly pipeline: GPUComputePipeline;
  private readonly layout: GPUBindGroupLayout;
  private readonly device: GPUDevice;

  private constructor(
    device: GPUDevice,
    label: string,
    bindings: KernelBinding[],
    layout: GPUBindGroupLayout,
    pipeline: GPUComputePipeline,
  ) {
    this.device = device;
    this.label = label;
    this.bindings = bindings;
    this.layout = layout;
    this.pipeline = pipeline;
  }

  static async create(device: GPUDevice, options: KernelOptions): Promise<Kernel> {
    const { label, code, entryPoint } = options;
    let bindings: KernelBinding[];
    try {
      bindings = reflectBindings(code, entryPoint, label);
    } catch (error) {
      // The compiler names the line where the reflection parser may not: prefer its message.
      device.pushErrorScope('validation');
      const module = shaderModule(device, code, label);
      const scope = device.popErrorScope();
      const details = await compileErrors(module, code);
      await scope;
      if (details) throw new ReinforceError('SHADER', `${label}: ${details}`);
      throw error;
    }
    const layout = device.createBindGroupLayout({
      label,
      entries: bindings.map((b) => ({
        binding: b.binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: b.kind, minBindingSize: b.minSize },
      })),
    });
    const pipeline = await createPipelineInScope(
      device,
      label,
      code,
      () => shaderModule(device, code, label),
      (module) =>
        device.createComputePipelineAsync({
          label,
          layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
          compute: { module, entryPoint, constants: toConstants(options.constants) },
        }),
    );
    return new Kernel(device, label, bindings, layout, pipeline);
  }

  /** A bind group from buffers named as the WGSL names its bindings; checks usage and size first. */
  bind(buffers: Record<string, GPUBuffer>): GPUBindGroup {
    const entries = bindingEntries(this.label, this.bindings, buffers);
    return this.device.createBindGroup({ label: this.label, layout: this.layout, entries });
  }
}

/** Bind group entries for buffers named as the WGSL names its bindings; refuses one that lacks usage or size. */
export function bindingEntries(
  label: string,
  bindings: KernelBinding[],
  buffers: Record<string, GPUBuffer>,
): GPUBindGroupEntry[] {
  return bindings.map((b) => {
    const buffer = buffers[b.name];
    if (!buffer) throw new ReinforceError('BINDING', `${label}: no buffer given for binding "${b.name}"`);
    const needed = b.kind === 'uniform' ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE;
    if ((buffer.usage & needed) === 0) {
      const usage = b.kind === 'uniform' ? 'UNIFORM' : 'STORAGE';
      throw new ReinforceError('BINDING', `${label}: buffer for "${b.name}" lacks GPUBufferUsage.${usage}`);
    }
    if (buffer.size < b.minSize) {
      throw new ReinforceError(
        'BINDING',
        `${label}: buffer for "${b.name}" is ${buffer.size} bytes; the declaration needs at least ${b.minSize}`,
      );
    }
    if (b.stride > 0 && buffer.size % b.stride !== 0) {
      throw new ReinforceError(
        'BINDING',
        `${label}: buffer for "${b.name}" is ${buffer.size} bytes, not a whole number of ${b.stride}-byte elements`,
      );
    }
    return { binding: b.binding, resource: { buffer } };
  });
}
