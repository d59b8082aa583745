// In Node, Dawn polls on the JavaScript thread while a readback is pending, taking a core from a CPU adapter:
// the pacer sleeps through most of the last readback's time first (only when that time was long).
// Timers are vitest's fake ones: the test steps the clock itself and measures no wall-clock time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadbackPacer } from '../src/gpu/readbackPacer.js';

/** Whether `promise` has resolved, kept up to date as the fake clock advances. */
function track(promise: Promise<void>): { done: boolean } {
  const state = { done: false };
  promise.then(() => {
    state.done = true;
  });
  return state;
}

describe('ReadbackPacer (Node)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('sleeps 0.8 of the last long readback time, and not at all after short ones', async () => {
    const pacer = new ReadbackPacer();
    const first = track(pacer.beforeReadback());
    await vi.advanceTimersByTimeAsync(0);
    expect(first.done).toBe(true); // nothing recorded yet
    pacer.record(200);
    const paced = track(pacer.beforeReadback());
    await vi.advanceTimersByTimeAsync(159);
    expect(paced.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(paced.done).toBe(true);
    pacer.record(20); // the shortest time that is paced: 16 ms
    const shortest = track(pacer.beforeReadback());
    await vi.advanceTimersByTimeAsync(15);
    expect(shortest.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(shortest.done).toBe(true);
    for (const milliseconds of [5, 19.9]) {
      pacer.record(milliseconds);
      const short = track(pacer.beforeReadback());
      await vi.advanceTimersByTimeAsync(0);
      expect(short.done).toBe(true);
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never sleeps where the page has navigator.gpu (a browser waits without polling)', async () => {
    vi.stubGlobal('navigator', { gpu: {} });
    const pacer = new ReadbackPacer();
    pacer.record(200);
    const waiting = track(pacer.beforeReadback());
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
