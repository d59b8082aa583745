// Builds a kernel from test/shaders/<file> (includes resolved from shaders/) and runs it on given buffers.
import { readFileSync } from 'node:fs';
import { Kernel } from '../../src/gpu/kernel.js';
import { readBuffer } from '../../src/gpu/readback.js';
import { composeSource } from '../../src/gpu/shaderSource.js';

export async function testKernel(
  device: GPUDevice,
  file: string,
  prelude: string,
  splices?: Record<string, { name: string; source: string }>,
): Promise<Kernel> {
  const text = readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8');
  const code = await composeSource(file, text, { prelude, splices });
  return Kernel.create(device, { label: file, code, entryPoint: 'main' });
}

export function storageBuffer(device: GPUDevice, data: ArrayBufferView): GPUBuffer {
  const buffer = device.createBuffer({
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return buffer;
}

export async function runTestKernel(
  device: GPUDevice,
  kernel: Kernel,
  buffers: Record<string, GPUBuffer>,
  workgroups: number,
  output: string,
): Promise<ArrayBuffer> {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, kernel.bind(buffers));
  pass.dispatchWorkgroups(workgroups);
  pass.end();
  device.queue.submit([encoder.finish()]);
  return readBuffer(device, buffers[output] as GPUBuffer);
}
