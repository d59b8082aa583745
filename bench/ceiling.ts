// The benchmark's ceiling: GFLOP/s of the faster of two register-tiled matmuls (shaders/bench/matmulTiled.wgsl,
// staged through workgroup memory; shaders/bench/matmulRegisters.wgsl, registers only) on the same adapter, in the
// same run, so the heavy kernels' achieved GFLOP/s can be read against what the adapter does on the friendliest
// dense work. Runs in Node and in the browser.

import { maxStorageBytes } from '../src/algo/trainerBuffers.js';
import { Kernel } from '../src/gpu/kernel.js';
import { ownedBuffer, releaseBuffer } from '../src/gpu/ownedBuffers.js';
import { readBuffer } from '../src/gpu/readback.js';
import { ReadbackPacer } from '../src/gpu/readbackPacer.js';
import { composeShader } from '../src/gpu/shaderSource.js';
import { median } from './workload.js';

/** The ceiling candidates: shader file (under shaders/) of each. */
export const MATMUL_KERNELS = {
  workgroupTiled: 'bench/matmulTiled.wgsl',
  registerTiled: 'bench/matmulRegisters.wgsl',
} as const;
export type MatmulKernel = keyof typeof MATMUL_KERNELS;

export interface MatmulResult {
  kernel: MatmulKernel;
  m: number;
  n: number;
  k: number;
  /** Median seconds of one product, GPU work finished. */
  seconds: number;
  gflops: number;
}

export interface MatmulRun {
  /** C = A B, row-major, from the given A (m x k) and B (k x n). */
  run(a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>): Promise<Float32Array>;
  /** Times `reps` products on the resident inputs (after one warm-up) and returns the median. */
  time(reps: number): Promise<MatmulResult>;
  destroy(): void;
}

export async function createMatmul(
  device: GPUDevice,
  m: number,
  n: number,
  k: number,
  kernelName: MatmulKernel = 'workgroupTiled',
): Promise<MatmulRun> {
  if (m % 64 || n % 64 || k % 16 || m <= 0 || n <= 0 || k <= 0)
    throw new RangeError(`matmul: m and n must be positive multiples of 64, k of 16 (got ${m} x ${n} x ${k})`);
  const largest = Math.max(m * k, k * n, m * n) * 4;
  const limit = maxStorageBytes(device);
  if (largest > limit)
    throw new RangeError(`matmul: ${m} x ${n} x ${k} needs ${largest}-byte buffers; this device allows ${limit}`);
  const kernel = await Kernel.create(device, {
    label: kernelName,
    code: await composeShader(MATMUL_KERNELS[kernelName], { prelude: '', splices: {} }),
    entryPoint: 'matmul',
  });
  const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const buffers = {
    dims: ownedBuffer(device, { label: 'dims', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }),
    a: ownedBuffer(device, { label: 'a', size: m * k * 4, usage: storage }),
    b: ownedBuffer(device, { label: 'b', size: k * n * 4, usage: storage }),
    c: ownedBuffer(device, { label: 'c', size: m * n * 4, usage: storage }),
  };
  device.queue.writeBuffer(buffers.dims, 0, new Uint32Array([m, n, k, 0]));
  const bindGroup = kernel.bind(buffers);
  const encodeProduct = () => {
    const encoder = device.createCommandEncoder({ label: 'matmul' });
    const pass = encoder.beginComputePass({ label: 'matmul' });
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(n / 64, m / 64);
    pass.end();
    return encoder.finish();
  };
  return {
    async run(a, b) {
      device.queue.writeBuffer(buffers.a, 0, a);
      device.queue.writeBuffer(buffers.b, 0, b);
      device.queue.writeBuffer(buffers.c, 0, new Float32Array(m * n).fill(Number.NaN));
      device.queue.submit([encodeProduct()]);
      return new Float32Array(await readBuffer(device, buffers.c));
    },
    async time(reps) {
      device.queue.submit([encodeProduct()]);
      await device.queue.onSubmittedWorkDone();
      const seconds: number[] = [];
      const pacer = new ReadbackPacer(); // in Node, keeps Dawn's polling off the adapter's cores (readbackPacer.ts)
      for (let r = 0; r < reps; r++) {
        const start = performance.now();
        device.queue.submit([encodeProduct()]);
        await pacer.beforeReadback();
        await device.queue.onSubmittedWorkDone();
        const elapsed = performance.now() - start;
        pacer.record(elapsed);
        seconds.push(elapsed / 1000);
      }
      const typical = median(seconds);
      return { kernel: kernelName, m, n, k, seconds: typical, gflops: (2 * m * n * k) / typical / 1e9 };
    },
    destroy() {
      for (const buffer of Object.values(buffers)) releaseBuffer(device, buffer);
    },
  };
}

/** The fastest candidate, with every candidate's figure. */
export type CeilingResult = MatmulResult & { candidates: MatmulResult[] };

/** Times every ceiling candidate (or only `only`, e.g. the one that won earlier in the run) on a size^3 product and
 *  returns the fastest (each candidate's figure kept). */
export async function measureCeiling(device: GPUDevice, size: number, reps: number, only?: MatmulKernel): Promise<CeilingResult> {
  const candidates: MatmulResult[] = [];
  for (const name of only ? [only] : (Object.keys(MATMUL_KERNELS) as MatmulKernel[])) {
    const matmul = await createMatmul(device, size, size, size, name);
    try {
      candidates.push(await matmul.time(reps));
    } finally {
      matmul.destroy();
    }
  }
  const best = candidates.reduce((a, b) => (b.gflops > a.gflops ? b : a));
  return { ...best, candidates };
}
