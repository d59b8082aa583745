// The agents on the canvas, drawn by a WebGPU render pipeline straight from the watch buffers
// (src/algo/watch.ts): per animation frame, one watch step and one draw, in one submit; no state is read back.

import { RenderKernel } from '../src/gpu/renderKernel.js';
import { composeShader } from '../src/gpu/shaderSource.js';
import { wgslConstants } from '../src/gpu/wgslConstants.js';
import { createWatch, type Trainer, type Watch } from '../src/index.js';

/** The render shader per environment, and how many vertices it emits per agent (its VERTICES_PER_AGENT). */
function rendererFor(env: string, stateDim: number): { file: string; vertices: number } {
  if (env === 'cartpole' || env === 'cartpole-pomdp') return { file: 'render/cartpole.wgsl', vertices: 18 };
  if (env === 'acrobot') return { file: 'render/acrobot.wgsl', vertices: 18 };
  if (env === 'pendulum') return { file: 'render/pendulum.wgsl', vertices: 18 };
  if (env === 'mountaincar-continuous') return { file: 'render/mountainCar.wgsl', vertices: (12 + 2) * 6 };
  return { file: 'render/bars.wgsl', vertices: (Math.min(stateDim, 8) + 1) * 6 };
}

export class AgentView {
  private readonly viewBuffer: GPUBuffer;
  private inFlight = false;
  private stopped = false;

  private constructor(
    private readonly device: GPUDevice,
    private readonly context: GPUCanvasContext,
    private readonly canvas: HTMLCanvasElement,
    private readonly watch: Watch,
    private readonly kernel: RenderKernel,
    private readonly bindGroup: GPUBindGroup,
    viewBuffer: GPUBuffer,
    private readonly vertices: number,
    private readonly columns: number,
  ) {
    this.viewBuffer = viewBuffer;
  }

  static async create(device: GPUDevice, canvas: HTMLCanvasElement, trainer: Trainer, count = 256): Promise<AgentView> {
    const context = canvas.getContext('webgpu') as GPUCanvasContext | null;
    if (!context) throw new Error('this canvas has no WebGPU context');
    const format = navigator.gpu.getPreferredCanvasFormat();
    context.configure({ device, format, alphaMode: 'opaque' });
    const watch = await createWatch(trainer, count);
    const { file, vertices } = rendererFor(trainer.options.env.name, watch.stateDim);
    const code = await composeShader(file, { prelude: wgslConstants({ u32: { STATE_DIM: watch.stateDim } }) });
    const kernel = await RenderKernel.create(device, { label: file, code, format });
    const viewBuffer = device.createBuffer({ label: 'view', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const bindGroup = kernel.bind({ view: viewBuffer, watchStates: watch.states, watchAgents: watch.agents });
    const columns = Math.ceil(Math.sqrt(count * 1.6));
    return new AgentView(device, context, canvas, watch, kernel, bindGroup, viewBuffer, vertices, columns);
  }

  /** Animates until stop(): one frame in flight at a time, so frames never pile up behind training. */
  start(): void {
    const frame = () => {
      if (this.stopped) return;
      if (!this.inFlight) this.draw();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  private draw(): void {
    const { device, canvas } = this;
    const width = Math.max(1, Math.round(canvas.clientWidth * devicePixelRatio));
    const height = Math.max(1, Math.round(canvas.clientHeight * devicePixelRatio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const rows = Math.ceil(this.watch.count / this.columns);
    const view = new ArrayBuffer(16);
    new Uint32Array(view, 0, 2).set([this.columns, rows]);
    new Float32Array(view, 8, 2).set([width / height, 0]);
    device.queue.writeBuffer(this.viewBuffer, 0, view);
    const encoder = device.createCommandEncoder({ label: 'agents frame' });
    this.watch.encodeStep(encoder);
    const pass = encoder.beginRenderPass({
      colorAttachments: [
        {
          view: this.context.getCurrentTexture().createView(),
          loadOp: 'clear',
          storeOp: 'store',
          clearValue: { r: 1, g: 1, b: 1, a: 1 },
        },
      ],
    });
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.draw(this.vertices, this.watch.count);
    pass.end();
    device.queue.submit([encoder.finish()]);
    this.inFlight = true;
    device.queue.onSubmittedWorkDone().then(
      () => {
        this.inFlight = false;
      },
      () => {},
    );
  }

  /** Stops animating and releases the watch buffers (the trainer is the caller's). */
  destroy(): void {
    this.stopped = true;
    this.watch.destroy();
    this.viewBuffer.destroy();
  }
}
