// Asynchronous readback of the per-iteration statistics: each iteration copies its 64-byte stats block into
// the next buffer of a small ring and maps it without waiting, so iteration k+1 can be queued while k's numbers
// are still on their way.

import { ownedBuffer, releaseBuffer } from '../gpu/ownedBuffers.js';
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
  effectiveSampleSize: number;
  weightedSamples: number;
  maxWeight: number;
  truncatedFraction: number;
  /** NON_FINITE_* bits (common/config.wgsl): 1 the gradient, 2 an episode's return. */
  nonFinite: number;
  pseudoLoss: number;
  trajectoryEss: number;
  weightedTrajectories: number;
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
    effectiveSampleSize: f32[8] as number,
    weightedSamples: f32[9] as number,
    maxWeight: f32[10] as number,
    truncatedFraction: f32[11] as number,
    nonFinite: u32[12] as number,
    pseudoLoss: f32[13] as number,
    trajectoryEss: f32[14] as number,
    weightedTrajectories: f32[15] as number,
  };
}

/** A reserved ring slot; `release` hands it to the next reservation once its reading is over. */
export interface StatsTicket {
  slot: number;
  release: () => void;
}

export class StatsReader {
  private readonly ring: GPUBuffer[];
  // Per ring slot: settles once the slot's last reader has unmapped it. Set when a slot is reserved, so
  // overlapping step() calls queue behind each other in call order.
  private readonly pending: (Promise<void> | undefined)[];
  private next = 0;

  constructor(
    private readonly device: GPUDevice,
    size = 3,
  ) {
    this.ring = Array.from({ length: size }, (_, i) =>
      ownedBuffer(device, {
        label: `statsReadback${i}`,
        size: STATS_BYTES,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      }),
    );
    this.pending = new Array(size).fill(undefined);
  }

  /** Waits only if this slot's previous reading is still in flight (the caller is `size` iterations ahead). */
  async reserve(): Promise<StatsTicket> {
    const slot = this.next;
    this.next = (this.next + 1) % this.ring.length;
    const previous = this.pending[slot];
    let release = () => {};
    this.pending[slot] = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return { slot, release };
  }

  encodeCopy(encoder: GPUCommandEncoder, stats: GPUBuffer, ticket: StatsTicket): void {
    encoder.copyBufferToBuffer(stats, 0, this.ring[ticket.slot] as GPUBuffer, 0, STATS_BYTES);
  }

  /** Call after the submit that holds the copy; releases the slot when done. */
  read(ticket: StatsTicket): Promise<RawStats> {
    const buffer = this.ring[ticket.slot] as GPUBuffer;
    return buffer
      .mapAsync(GPUMapMode.READ)
      .then(() => {
        const stats = decodeStats(buffer.getMappedRange().slice(0));
        buffer.unmap();
        return stats;
      })
      .finally(ticket.release);
  }

  destroy(): void {
    for (const buffer of this.ring) releaseBuffer(this.device, buffer);
  }
}
