// In Node, Dawn polls on the JavaScript thread while a readback is pending, taking a core from a CPU adapter:
// the pacer sleeps through most of the last readback's time first (only when that time was long).
import { describe, expect, it } from 'vitest';
import { ReadbackPacer } from '../src/gpu/readbackPacer.js';

describe('ReadbackPacer (Node)', () => {
  it('sleeps 0.8 of the last long readback time, and not at all after short ones', async () => {
    const pacer = new ReadbackPacer();
    let start = performance.now();
    await pacer.beforeReadback();
    expect(performance.now() - start).toBeLessThan(15); // nothing recorded yet
    pacer.record(200);
    start = performance.now();
    await pacer.beforeReadback();
    const slept = performance.now() - start;
    expect(slept).toBeGreaterThanOrEqual(155);
    expect(slept).toBeLessThan(400);
    pacer.record(5);
    start = performance.now();
    await pacer.beforeReadback();
    expect(performance.now() - start).toBeLessThan(15);
  });
});
