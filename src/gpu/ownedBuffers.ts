// Every GPU buffer the library creates is made and released here, so that what it holds on a device can be
// counted (liveBuffers, liveBufferBytes, peakBufferBytes): a caller can check that create/destroy cycles leave
// nothing behind, and the benchmark reports peak GPU memory. Buffers the caller created never pass through here
// and are never destroyed by the library.
interface Holdings {
  buffers: Set<GPUBuffer>;
  bytes: number;
  peakBytes: number;
}
const held = new WeakMap<GPUDevice, Holdings>();

function holdings(device: GPUDevice): Holdings {
  let h = held.get(device);
  if (!h) {
    h = { buffers: new Set(), bytes: 0, peakBytes: 0 };
    held.set(device, h);
  }
  return h;
}

export function ownedBuffer(device: GPUDevice, descriptor: GPUBufferDescriptor): GPUBuffer {
  const buffer = device.createBuffer(descriptor);
  const h = holdings(device);
  h.buffers.add(buffer);
  h.bytes += buffer.size;
  h.peakBytes = Math.max(h.peakBytes, h.bytes);
  return buffer;
}

export function releaseBuffer(device: GPUDevice, buffer: GPUBuffer): void {
  const h = held.get(device);
  if (h?.buffers.delete(buffer)) h.bytes -= buffer.size;
  buffer.destroy();
}

/** How many GPU buffers the library currently holds on `device` (trainers, watches, runners, readbacks). */
export function liveBuffers(device: GPUDevice): number {
  return held.get(device)?.buffers.size ?? 0;
}

/** Bytes of GPU buffer memory the library currently holds on `device`. */
export function liveBufferBytes(device: GPUDevice): number {
  return held.get(device)?.bytes ?? 0;
}

/** The most bytes of GPU buffer memory the library has held at once on `device`. */
export function peakBufferBytes(device: GPUDevice): number {
  return held.get(device)?.peakBytes ?? 0;
}
