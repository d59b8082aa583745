// Test access to a trainer's kernels and buffers: dispatch one kernel alone, read or overwrite a buffer by its WGSL
// binding name. Tests poison outputs with it and check each kernel against a float64 reference; the package does
// not export it.
import { ReinforceError } from '../errors.js';
import { readBuffer } from '../gpu/readback.js';
import type { KernelName } from './kernels.js';
import type { Trainer } from './trainer.js';
import { internalsOf as internals } from './trainerInternals.js';

function buffer(trainer: Trainer, name: string): GPUBuffer {
  const found = internals(trainer).buffers[name];
  if (!found) throw new ReinforceError('BINDING', `no trainer buffer named "${name}"`);
  return found;
}

/** Dispatches one of the trainer's kernels on its own over its usual bind group, and waits for it. */
export async function runKernel(trainer: Trainer, name: KernelName, workgroups: number): Promise<void> {
  const { kernels, bindGroups } = internals(trainer);
  const kernel = kernels[name];
  const group = bindGroups[name];
  if (!kernel || !group) throw new ReinforceError('BINDING', `kernel ${name} is not compiled for this trainer's options`);
  const device = trainer.device;
  const encoder = device.createCommandEncoder({ label: name });
  const pass = encoder.beginComputePass({ label: name });
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(workgroups);
  pass.end();
  device.pushErrorScope('validation');
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new ReinforceError('GPU_VALIDATION', `${name}: ${error.message}`);
  await device.queue.onSubmittedWorkDone();
}

/** A copy of one of the trainer's buffers. */
export function readTrainerBuffer(trainer: Trainer, name: string): Promise<ArrayBuffer> {
  return readBuffer(trainer.device, buffer(trainer, name));
}

/** Overwrites the start of one of the trainer's buffers. */
export function writeTrainerBuffer(trainer: Trainer, name: string, data: ArrayBufferView): void {
  trainer.device.queue.writeBuffer(buffer(trainer, name), 0, data.buffer, data.byteOffset, data.byteLength);
}
