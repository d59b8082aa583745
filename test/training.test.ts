// Whole iterations: reproducibility from the seed, learning on a small CartPole configuration, evaluation,
// policy round trip, and resource release.
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../src/index.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';

const trainers = trainersReleasedAfterAll<Trainer>();

async function returnsOf(seed: number, iterations: number): Promise<number[]> {
  const device = await testDevice();
  const trainer = await createTrainer({ device, numEnvs: 128, hidden: [16], seed });
  trainers.push(trainer);
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) out.push((await trainer.step()).meanReturn);
  trainer.destroy();
  return out;
}

describe('training', () => {
  it('is reproducible: one seed gives identical per-iteration returns; another seed differs', async () => {
    const a = await returnsOf(5, 4);
    const b = await returnsOf(5, 4);
    const c = await returnsOf(6, 4);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('learns CartPole with a small batch: mean return rises from ~22 to over 100 within 25 iterations', async () => {
    // Small on purpose (tests stay fast); the full-size run is the CLI's main job and bench/.
    const device = await testDevice();
    const trainer = await createTrainer({ device, numEnvs: 256, hidden: [16], seed: 3, lr: 0.03 });
    trainers.push(trainer);
    const first = await trainer.step();
    let best = first.meanReturn;
    for (let i = 1; i < 25 && best < 100; i++) best = Math.max(best, (await trainer.step()).meanReturn);
    expect(first.meanReturn).toBeLessThan(40);
    expect(best).toBeGreaterThan(100);
    // A trained policy survives the round trip through its JSON file.
    const policy = await trainer.readPolicy();
    const evaluator = await createTrainer({ device, policy: JSON.parse(JSON.stringify(policy)), numEnvs: 256, seed: 9 });
    trainers.push(evaluator);
    const evaluation = await evaluator.evaluate();
    expect(evaluation.meanReturn).toBeGreaterThan(60);
    const greedy = await evaluator.evaluate({ deterministic: true });
    expect(greedy.entropy).toBeGreaterThan(0);
    expect(Number.isFinite(greedy.meanReturn)).toBe(true);
  });

  it('pipelines steps: several in flight resolve in order with increasing iteration numbers', async () => {
    const device = await testDevice();
    const trainer = await createTrainer({ device, numEnvs: 64, hidden: [8] });
    trainers.push(trainer);
    const stats = await Promise.all([trainer.step(), trainer.step(), trainer.step(), trainer.step(), trainer.step()]);
    expect(stats.map((s) => s.iter)).toEqual([1, 2, 3, 4, 5]);
    for (const s of stats) {
      expect(s.envSteps).toBe(Math.round(s.meanLength * 64));
      expect(s.minReturn).toBeLessThanOrEqual(s.meanReturn);
      expect(s.maxReturn).toBeGreaterThanOrEqual(s.meanReturn);
      expect(s.gradNorm).toBeGreaterThan(0);
    }
  });

  it('never destroys a device it did not create, and is unusable once destroyed', async () => {
    const device = await testDevice();
    const trainer = await createTrainer({ device, numEnvs: 16, hidden: [4] });
    await trainer.step();
    trainer.destroy();
    trainer.destroy(); // idempotent
    await expect(trainer.step()).rejects.toMatchObject({ code: 'DESTROYED' });
    // The caller's device still works.
    const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ });
    await buffer.mapAsync(GPUMapMode.READ);
    buffer.destroy();
  });
});
