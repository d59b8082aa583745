// Embedding rules: nothing the caller created is destroyed or reconfigured; everything the library created is
// released by destroy() (counted with liveBuffers); trainers and runners share one device without interfering;
// no error reaches the caller's uncaptured-error handler.
import { describe, expect, it } from 'vitest';
import { readBuffer } from '../src/gpu/readback.js';
import { createPolicyRunner, createTrainer, liveBuffers, type Trainer } from '../src/index.js';
import { testDevice } from './helpers/gpu.js';

describe("embedding in a caller's app", () => {
  it("200 create/step/destroy cycles on one device leave no library buffers and no errors; the caller's buffer still maps", async () => {
    const device = await testDevice();
    const uncaptured: string[] = [];
    const onError = (event: Event) => uncaptured.push(String((event as GPUUncapturedErrorEvent).error?.message));
    device.addEventListener('uncapturederror', onError);
    const mine = device.createBuffer({
      size: 64,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(mine, 0, new Float32Array(16).fill(3.5));
    const before = liveBuffers(device);
    let peak = 0;
    for (let cycle = 0; cycle < 200; cycle++) {
      const trainer = await createTrainer({ device, numEnvs: 8, hidden: [4], seed: cycle + 1 });
      await trainer.step();
      if (cycle % 50 === 0) {
        const runner = await createPolicyRunner({ device, policy: await trainer.readPolicy() });
        await runner.act(new Float32Array(8));
        peak = Math.max(peak, liveBuffers(device));
        runner.destroy();
      }
      peak = Math.max(peak, liveBuffers(device));
      trainer.destroy();
      trainer.destroy(); // idempotent
    }
    expect(peak).toBeGreaterThan(before); // the count does see the library's buffers
    expect(liveBuffers(device)).toBe(before);
    expect(Array.from(new Float32Array(await readBuffer(device, mine)))).toEqual(new Array(16).fill(3.5));
    device.removeEventListener('uncapturederror', onError);
    expect(uncaptured).toEqual([]);
    mine.destroy();
  });

  it('two trainers and a runner on one device do not interfere (same statistics as a trainer alone)', async () => {
    const device = await testDevice();
    const options = { device, numEnvs: 64, hidden: [8], seed: 12 };
    const alone = await createTrainer(options);
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) expected.push((await alone.step()).meanReturn);
    alone.destroy();

    const a = await createTrainer(options);
    const b = await createTrainer({ ...options, seed: 99, env: 'acrobot' });
    const runner = await createPolicyRunner({ device, policy: await b.readPolicy() });
    const seen: number[] = [];
    const others: Trainer[] = [b];
    for (let i = 0; i < 3; i++) {
      const [sa] = await Promise.all([a.step(), ...others.map((t) => t.step()), runner.act(new Float32Array(6 * 5))]);
      seen.push(sa.meanReturn);
    }
    expect(seen).toEqual(expected);
    a.destroy();
    b.destroy();
    runner.destroy();
  });
});
