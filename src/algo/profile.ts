// Per-kernel time of one training iteration (Trainer.profileStep). With the "timestamp-query" feature each
// dispatch runs in its own compute pass and the GPU writes a timestamp at the pass's start and end; without it
// each dispatch is submitted alone and timed on the CPU clock up to onSubmittedWorkDone (an upper bound that
// includes submission and completion latency, labelled as such).
import { ownedBuffer, releaseBuffer } from '../gpu/ownedBuffers.js';
import { readBuffer } from '../gpu/readback.js';
import { encodeDispatch } from './iteration.js';
import type { IterationStats } from './iterationStats.js';
import type { CompiledKernels, KernelName, TrainerBindGroups } from './kernels.js';

export interface KernelTime {
  kernel: string;
  /** Dispatches of this kernel in the iteration. */
  dispatches: number;
  milliseconds: number;
}

export interface IterationProfile {
  clock: 'gpu-timestamps' | 'cpu-clock';
  /** In the order the kernels first ran. */
  kernels: KernelTime[];
  /** The iteration's statistics (its stepsPerSecond reflects profiling, not training speed). */
  stats: IterationStats;
}

/** Sums the durations per kernel name, keeping first-run order. */
export function kernelTimes(names: readonly string[], milliseconds: readonly number[]): KernelTime[] {
  const byName = new Map<string, KernelTime>();
  names.forEach((kernel, i) => {
    const entry = byName.get(kernel) ?? { kernel, dispatches: 0, milliseconds: 0 };
    entry.dispatches++;
    entry.milliseconds += milliseconds[i] as number;
    byName.set(kernel, entry);
  });
  return [...byName.values()];
}

/** A timestamp query set with room for `maxPasses` passes and the buffer its values resolve into. */
export class PassTimer {
  readonly querySet: GPUQuerySet;
  private readonly resolved: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    maxPasses = 256,
  ) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 * maxPasses, label: 'pass timestamps' });
    this.resolved = ownedBuffer(device, {
      label: 'resolved timestamps',
      size: 2 * maxPasses * 8,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
  }

  encodeResolve(encoder: GPUCommandEncoder, passes: number): void {
    if (passes > 0) encoder.resolveQuerySet(this.querySet, 0, 2 * passes, this.resolved, 0);
  }

  /** Milliseconds per kernel from the resolved timestamps (nanoseconds); releases the query set. */
  async read(names: readonly KernelName[]): Promise<KernelTime[]> {
    try {
      const ticks = new BigUint64Array(await readBuffer(this.device, this.resolved, Math.max(16, names.length * 16)));
      const milliseconds = names.map((_, i) => Number((ticks[2 * i + 1] as bigint) - (ticks[2 * i] as bigint)) / 1e6);
      return kernelTimes(names, milliseconds);
    } finally {
      this.destroy();
    }
  }

  destroy(): void {
    this.querySet.destroy();
    releaseBuffer(this.device, this.resolved);
  }
}

/** Runs the recorded dispatches one submission at a time, timing each on the CPU clock. */
export async function timeOnClock(
  device: GPUDevice,
  k: CompiledKernels,
  g: TrainerBindGroups,
  recorded: readonly { name: KernelName; groups: number; bindGroup?: GPUBindGroup }[],
): Promise<KernelTime[]> {
  await device.queue.onSubmittedWorkDone();
  const milliseconds: number[] = [];
  for (const { name, groups, bindGroup } of recorded) {
    const encoder = device.createCommandEncoder({ label: name });
    const pass = encoder.beginComputePass({ label: name });
    encodeDispatch(pass, k, g, name, groups, bindGroup);
    pass.end();
    const start = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    milliseconds.push(performance.now() - start);
  }
  return kernelTimes(
    recorded.map((r) => r.name),
    milliseconds,
  );
}
