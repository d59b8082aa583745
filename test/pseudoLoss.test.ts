// The pseudo-loss each iteration reports, L~ = (1/N) sum_i sum_t log pi(a_it|s_it) A_it (the chapter's
// implementation of the estimator: the function whose gradient the update follows), against float64 sums over the
// batch the engine sampled, for both heads, with and without normalised advantages. Relative error <= 1e-5 of
// (1/N) sum |log pi A| (float32 sums of O(N T) terms in a fixed order); an evaluation reports 0.
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../src/index.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = testSeed('pseudoLoss.test.ts');

describe.each([
  { env: 'cartpole', normalizeAdvantages: false },
  { env: 'pendulum', normalizeAdvantages: true },
])('pseudo-loss: $env, normalised advantages $normalizeAdvantages', ({ env, normalizeAdvantages }) => {
  it('is (1/N) sum log pi(a|s) A over the batch', async () => {
    const device = await testDevice();
    const numEnvs = 37;
    const trainer = await createTrainer({ device, env, numEnvs, hidden: [8], seed, normalizeAdvantages, horizon: 80 });
    trainers.push(trainer);
    for (let i = 0; i < 2; i++) {
      const stats = await trainer.step({ captureBatch: true });
      const batch = await trainer.readBatch();
      let sum = 0;
      let scale = 0;
      batch.valid.forEach((valid, s) => {
        if (!valid) return;
        const term = (batch.logProbs[s] as number) * (batch.advantages[s] as number);
        sum += term;
        scale += Math.abs(term);
      });
      expect(scale).toBeGreaterThan(0);
      expect(Math.abs(stats.pseudoLoss - sum / numEnvs)).toBeLessThanOrEqual(1e-5 * (scale / numEnvs));
    }
    expect((await trainer.evaluate()).pseudoLoss).toBe(0);
  });
});
