// A render pipeline whose bind group layout is read from its WGSL (vertex and fragment entry points, wgsl_reflect),
// like Kernel for compute: buffers are bound by the names the shader gives them and checked against them.
import { bindingEntries, createPipelineInScope, type KernelBinding, reflectBindings } from './kernel.js';

export interface RenderKernelOptions {
  label: string;
  code: string;
  format: GPUTextureFormat;
  vertexEntryPoint?: string;
  fragmentEntryPoint?: string;
  topology?: GPUPrimitiveTopology;
}

export class RenderKernel {
  readonly pipeline: GPURenderPipeline;
  private readonly bindings: KernelBinding[];

  private constructor(
    private readonly device: GPUDevice,
    private readonly label: string,
    bindings: KernelBinding[],
    private readonly layout: GPUBindGroupLayout,
    pipeline: GPURenderPipeline,
  ) {
    this.bindings = bindings;
    this.pipeline = pipeline;
  }

  static async create(device: GPUDevice, options: RenderKernelOptions): Promise<RenderKernel> {
    const { label, code } = options;
    const vertex = options.vertexEntryPoint ?? 'vertexMain';
    const fragment = options.fragmentEntryPoint ?? 'fragmentMain';
    const byBinding = new Map<number, KernelBinding & { visibility: number }>();
    for (const [stage, entryPoint, bit] of [
      ['vertex', vertex, GPUShaderStage.VERTEX],
      ['fragment', fragment, GPUShaderStage.FRAGMENT],
    ] as const) {
      for (const b of reflectBindings(code, entryPoint, label, stage)) {
        const seen = byBinding.get(b.binding);
        byBinding.set(b.binding, { ...b, visibility: (seen?.visibility ?? 0) | bit });
      }
    }
    const bindings = [...byBinding.values()].sort((a, b) => a.binding - b.binding);
    const layout = device.createBindGroupLayout({
      label,
      entries: bindings.map((b) => ({
        binding: b.binding,
        visibility: b.visibility,
        buffer: { type: b.kind, minBindingSize: b.minSize },
      })),
    });
    const pipeline = await createPipelineInScope(
      device,
      label,
      code,
      () => device.createShaderModule({ label, code }),
      (module) =>
        device.createRenderPipelineAsync({
          label,
          layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
          vertex: { module, entryPoint: vertex },
          fragment: { module, entryPoint: fragment, targets: [{ format: options.format }] },
          primitive: { topology: options.topology ?? 'triangle-list' },
        }),
    );
    return new RenderKernel(device, label, bindings, layout, pipeline);
  }

  bind(buffers: Record<string, GPUBuffer>): GPUBindGroup {
    return this.device.createBindGroup({
      label: this.label,
      layout: this.layout,
      entries: bindingEntries(this.label, this.bindings, buffers),
    });
  }
}
