// One device per test file; `poison` fills output buffers with NaN so a kernel that skips a write is caught.
import { afterAll } from 'vitest';
import { type AcquiredDevice, requestDevice } from '../../src/gpu/device.js';

let acquired: Promise<AcquiredDevice> | undefined;

function acquire(): Promise<AcquiredDevice> {
  if (!acquired) {
    acquired = requestDevice();
    afterAll(async () => (await acquired)?.device.destroy());
  }
  return acquired;
}

export async function testDevice(): Promise<GPUDevice> {
  return (await acquire()).device;
}

/** Whether the test device is a software (CPU) adapter such as SwiftShader. */
export async function isSoftwareDevice(): Promise<boolean> {
  return (await acquire()).softwareAdapter;
}

/** A list whose trainers are destroyed when the test file ends. */
export function trainersReleasedAfterAll<T extends { destroy(): void }>(): T[] {
  const trainers: T[] = [];
  afterAll(() => {
    for (const t of trainers) t.destroy();
  });
  return trainers;
}

export function nanFilled(bytes: number): Float32Array {
  return new Float32Array(Math.ceil(bytes / 4)).fill(Number.NaN);
}

export function relativeL2(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    num += ((actual[i] as number) - e) ** 2;
    den += e * e;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}

/** A seeded float64 generator for test inputs (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
