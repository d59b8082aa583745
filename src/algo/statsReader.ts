// Asynchronous readback of the per-iteration statistics: each iteration copies its 32-byte stats block into
// the next buffer of a small ring and maps it without waiting, so iteration k+1 can be queued while k's numbers
// are still on their way.
import { STATS_BYTES } from './trainerBuffers.js';

export interface RawStats {
  iteration: number;
  envSteps: number;
  meanReturn: number;
  minReturn: number;
  maxReturn: number;
  meanLength: number;
  gradNorm: number;
  entropy: number;
}

export function decodeStats(data: ArrayBuffer): RawStats {
  const u32 = new Uint32Array(data);
  const f32 = new Float32Array(data);
  return {
    iteration: u32[0] as number,
    envSteps: u32[1] as number,
    meanReturn: f32[2] as number,
    minReturn: f32[3] as number,
    maxReturn: f32[4] as number,
    meanLength: f32[5] as number,
    gradNorm: f32[6] as number,
    entropy: f32[7] as number,
  };
}

export class StatsReader {
  private readonly ring: GPUBuffer[];
  private readonly pending: (Promise<unknown> | undefined)[];
  private next = 0;

  constructor(device: GPUDevice, size = 3) {
    this.ring = Array.from({ length: size }, (_, i) =>
      device.createBuffer({ label: `statsReadback${i}`, size: STATS_BYTES, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
    );
    this.pending = new Array(size).fill(undefined);
  }

  /** Waits only if every ring buffer is still in flight (the caller is more than `size` iterations ahead). */
  async reserve(): Promise<number> {
    const slot = this.next;
    this.next = (this.next + 1) % this.ring.length;
    await this.pending[slot];
    return slot;
  }

  encodeCopy(encoder: GPUCommandEncoder, stats: GPUBuffer, slot: number): void {
    encoder.copyBufferToBuffer(stats, 0, this.ring[slot] as GPUBuffer, 0, STATS_BYTES);
  }

  /** Call after the submit that holds the copy. */
  read(slot: number): Promise<RawStats> {
    const buffer = this.ring[slot] as GPUBuffer;
    const result = buffer.mapAsync(GPUMapMode.READ).then(() => {
      const stats = decodeStats(buffer.getMappedRange().slice(0));
      buffer.unmap();
      return stats;
    });
    this.pending[slot] = result.catch(() => undefined);
    return result;
  }

  destroy(): void {
    for (const buffer of this.ring) buffer.destroy();
  }
}
