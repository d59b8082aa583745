// The CPU kernel shape (two environments per rollout invocation, two samples per backward invocation) and the GPU
// shape (one) run the same algorithm on the same random numbers: the same seed must give the same episodes and,
// up to float32 summation order, the same gradient, for a categorical and a Gaussian policy and an odd N (the
// last rollout invocation has one environment).
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../src/index.js';
import { relativeL2, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { flatten } from './reference/mlp.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = (Date.now() % 100000) + 1;

const cases = [
  { env: 'cartpole', hidden: [16, 8], numEnvs: 37 },
  { env: 'pendulum', hidden: [12], numEnvs: 21 },
];

describe.each(cases)('samples per invocation 1 and 2 agree: $env, N $numEnvs', (c) => {
  it(`same episodes and gradient (seed ${seed})`, async () => {
    const device = await testDevice();
    const batches = [];
    for (const samplesPerInvocation of [1, 2] as const) {
      const trainer = await createTrainer({ device, ...c, seed, baseline: 'mean', samplesPerInvocation });
      trainers.push(trainer);
      expect(trainer.samplesPerInvocation).toBe(samplesPerInvocation);
      await trainer.step({ captureBatch: true });
      batches.push(await trainer.readBatch());
    }
    const [one, two] = batches as [NonNullable<(typeof batches)[0]>, NonNullable<(typeof batches)[0]>];
    expect(one.valid.reduce((a, b) => a + b, 0)).toBeGreaterThan(c.numEnvs);
    expect(two.valid).toEqual(one.valid);
    expect(two.actions).toEqual(one.actions);
    expect(two.obs).toEqual(one.obs);
    expect(two.rewards).toEqual(one.rewards);
    expect(two.logProbs).toEqual(one.logProbs);
    const gradient = flatten(one.gradient);
    expect(gradient.some((g) => g !== 0)).toBe(true);
    expect(relativeL2(flatten(two.gradient), gradient)).toBeLessThan(1e-5);
  });
});
