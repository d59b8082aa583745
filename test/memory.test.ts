// Memory over a long run (issue #18): 2,000 iterations of one small trainer, with the GPU buffer bytes the library
// holds on the device (liveBufferBytes) and the JS heap (after full GCs) sampled every 100 iterations; the rows for
// iterations 100, 500, 1000, 1500 and 2000 and the heap's growth per iteration are printed. GPU bytes must not move
// at all; the JS heap must not grow with the run. The 200 create/step/destroy cycles are in test/embedding.test.ts.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createTrainer, liveBufferBytes, liveBuffers, peakBufferBytes } from '../src/index.js';
import { testDevice } from './helpers/gpu.js';

// A full, synchronous GC without a flag on vitest's command line: --expose-gc set at run time gives gc() to
// contexts created afterwards.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ITERATIONS = 2000;
const PRINTED = [100, 500, 1000, 1500, 2000];
/** Heap growth is judged from here (kernels compiled, V8's and vitest's caches warm) to the end. */
const WARM = 500;
// Bounds on the JS heap, measured first (SwiftShader, Node 20, 2 shared cores): samples still step by up to ~250 KB
// now and then (some allocation of that size comes and goes), and the least-squares growth from 500 to 2000 came out
// at 13-72 bytes per iteration over several runs (V8's compiled code grows a little as functions tier up). One such
// 250 KB step in the last sample moves the slope by ~55 bytes per iteration. A deliberate leak of one 1 KB array per
// step measured ~1,070 bytes per iteration (+1.7 MB from 500 to 2000); keeping every step's IterationStats ~300;
// one leaked GPU buffer per step ~325 (its wrapper), besides failing the GPU check. So: under 256 bytes per
// iteration (3.5 to 20 times the clean figures; a leak of one stats object per step is caught, just) and under 1 MB
// in all. A smaller leak (under ~250 bytes an iteration) passes: this bounds leaks, it does not prove there is none.
const SLOPE_LIMIT = 256;
const GROWTH_LIMIT = 1024 * 1024;

/**
 * V8's heap in use plus ArrayBuffers' backing stores (readbacks copy into those; V8 counts them apart), after a
 * full GC, a turn of the event loop (finalizers and the GPU binding's callbacks run) and a second full GC (with one
 * GC alone, the growth measured anywhere from -281 to +19 bytes per iteration on clean runs).
 */
async function settledHeapBytes(): Promise<number> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

interface Sample {
  iter: number;
  gpuBytes: number;
  gpuBuffers: number;
  heapBytes: number;
  seconds: number;
}

describe('memory over a long run', () => {
  it(`${ITERATIONS} iterations: GPU buffer bytes exactly constant, JS heap flat (table printed)`, async () => {
    const device = await testDevice();
    const bytesBefore = liveBufferBytes(device);
    const buffersBefore = liveBuffers(device);
    const trainer = await createTrainer({ device, env: 'cartpole', numEnvs: 16, hidden: [8], horizon: 32, seed: 5 });
    const created = { bytes: liveBufferBytes(device) - bytesBefore, buffers: liveBuffers(device) - buffersBefore };
    const samples: Sample[] = [];
    const start = performance.now();
    // As the demo and the CLI drive it: one step queued behind the one in flight.
    let pending = trainer.step();
    for (let i = 1; i <= ITERATIONS; i++) {
      const next = i < ITERATIONS ? trainer.step() : undefined;
      const stats = await pending;
      expect(stats.iter).toBe(i);
      if (i % 100 === 0) {
        const heap = await settledHeapBytes();
        samples.push({
          iter: i,
          gpuBytes: liveBufferBytes(device) - bytesBefore,
          gpuBuffers: liveBuffers(device) - buffersBefore,
          heapBytes: heap,
          seconds: (performance.now() - start) / 1000,
        });
      }
      if (next) pending = next;
    }
    const peak = peakBufferBytes(device);
    trainer.destroy();

    const warm = samples.filter((s) => s.iter >= WARM);
    const base = warm[0] as Sample;
    const last = samples.at(-1) as Sample;
    const perIteration = slope(warm.map((s) => ({ x: s.iter, y: s.heapBytes })));
    console.log(
      [
        `memory over ${ITERATIONS} iterations (cartpole, numEnvs 16, hidden [8], horizon 32; JS heap = heapUsed + arrayBuffers after two full GCs):`,
        'iteration  GPU bytes  GPU buffers  JS heap MB  heap vs 500 (KB)  seconds',
        ...samples
          .filter((s) => PRINTED.includes(s.iter))
          .map(
            (s) =>
              `${String(s.iter).padStart(9)}  ${String(s.gpuBytes).padStart(9)}  ${String(s.gpuBuffers).padStart(11)}  ` +
              `${(s.heapBytes / 1024 / 1024).toFixed(3).padStart(10)}  ` +
              `${((s.heapBytes - base.heapBytes) / 1024).toFixed(1).padStart(16)}  ${s.seconds.toFixed(1).padStart(7)}`,
          ),
        `JS heap growth ${WARM}..${ITERATIONS}, least squares over ${warm.length} samples: ${perIteration.toFixed(1)} bytes/iteration ` +
          `(limit ${SLOPE_LIMIT}); end to end ${((last.heapBytes - base.heapBytes) / 1024).toFixed(1)} KB (limit ${GROWTH_LIMIT / 1024})`,
        `GPU bytes at creation ${created.bytes}, peak on the device ${peak - bytesBefore}, after destroy ${liveBufferBytes(device) - bytesBefore}`,
      ].join('\n'),
    );

    // GPU: the trainer allocates everything when it is created (stats ring and readbacks included), nothing after.
    expect(created.bytes).toBeGreaterThan(0);
    for (const s of samples)
      expect({ iter: s.iter, bytes: s.gpuBytes, buffers: s.gpuBuffers }).toEqual({ iter: s.iter, ...created });
    expect(liveBufferBytes(device)).toBe(bytesBefore);
    // JS heap: no growth with the run (see the limits above).
    expect(perIteration).toBeLessThan(SLOPE_LIMIT);
    expect(last.heapBytes - base.heapBytes).toBeLessThan(GROWTH_LIMIT);
  });
});
