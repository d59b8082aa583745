// Every GPU buffer the library creates is made and released here, so that what it holds on a device can be
// counted (liveBuffers): a caller can check that create/destroy cycles leave nothing behind. Buffers the caller
// created never pass through here and are never destroyed by the library.
const live = new WeakMap<GPUDevice, Set<GPUBuffer>>();

export function ownedBuffer(device: GPUDevice, descriptor: GPUBufferDescriptor): GPUBuffer {
  const buffer = device.createBuffer(descriptor);
  let set = live.get(device);
  if (!set) {
    set = new Set();
    live.set(device, set);
  }
  set.add(buffer);
  return buffer;
}

export function releaseBuffer(device: GPUDevice, buffer: GPUBuffer): void {
  live.get(device)?.delete(buffer);
  buffer.destroy();
}

/** How many GPU buffers the library currently holds on `device` (trainers, watches, runners, readbacks). */
export function liveBuffers(device: GPUDevice): number {
  return live.get(device)?.size ?? 0;
}
