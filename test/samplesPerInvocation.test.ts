// The CPU kernel shape (two environments per rollout invocation, two samples per backward invocation) and the GPU
// shape (one) run the same algorithm on the same random numbers: the same seed must give the same episodes
// (lengths and discrete actions exactly, floats to 1e-6) and, up to float32 summation order, the same gradient
// (optimal baseline: the per-trajectory ||g||^2 pass is paired too), for a categorical and a Gaussian policy and an
// odd N (the last rollout invocation has one environment).
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
      const trainer = await createTrainer({ device, ...c, seed, baseline: 'optimal', samplesPerInvocation });
      trainers.push(trainer);
      expect(trainer.samplesPerInvocation).toBe(samplesPerInvocation);
      await trainer.step({ captureBatch: true });
      batches.push(await trainer.readBatch());
    }
    const [one, two] = batches as [NonNullable<(typeof batches)[0]>, NonNullable<(typeof batches)[0]>];
    expect(one.valid.reduce((a, b) => a + b, 0)).toBeGreaterThan(c.numEnvs);
    expect(two.valid).toEqual(one.valid);
    // Exact on SwiftShader; a GPU compiler may fuse the two pipelines' multiply-adds differently, hence 1e-6.
    if (c.env === 'cartpole') expect(two.actions).toEqual(one.actions);
    else expect(relativeL2(two.actions, one.actions)).toBeLessThan(1e-6);
    expect(relativeL2(two.obs, one.obs)).toBeLessThan(1e-6);
    expect(relativeL2(two.rewards, one.rewards)).toBeLessThan(1e-6);
    expect(relativeL2(two.logProbs, one.logProbs)).toBeLessThan(1e-6);
    const gradient = flatten(one.gradient);
    expect(gradient.some((g) => g !== 0)).toBe(true);
    expect(relativeL2(flatten(two.gradient), gradient)).toBeLessThan(1e-5);
  });
});
