import { ownedBuffer, releaseBuffer } from './ownedBuffers.js';

/** Copies `size` bytes of a GPU buffer into a new ArrayBuffer (for tests, dumps and saving; never per step). */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, size = source.size): Promise<ArrayBuffer> {
  const staging = ownedBuffer(device, { label: 'readback', size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0);
  } finally {
    releaseBuffer(device, staging);
  }
}
