// The Gaussian head's sampling: on a batch the engine sampled (Pendulum, 256 environments x 200 steps), the
// standardised actions z = (a - mu(s)) / sigma, with mu from the float64 forward pass, must be N(0, 1):
// mean within 5 standard errors of 0, variance within 5 standard errors of 1, and the Kolmogorov-Smirnov
// distance to the normal CDF below 1.63 / sqrt(n) (p = 0.01). Fixed seed; log-std -0.5 and learned.
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../src/index.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { forward } from './reference/mlp.js';

const trainers = trainersReleasedAfterAll<Trainer>();

// The standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7).
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return 0.5 * (1 + Math.sign(x) * erf);
}

describe('Gaussian head', () => {
  it('samples a ~ N(mu(s), sigma^2): standardised actions are N(0, 1)', async () => {
    const device = await testDevice();
    const trainer = await createTrainer({ device, env: 'pendulum', numEnvs: 256, hidden: [8], logStd: -0.5, seed: 17 });
    trainers.push(trainer);
    await trainer.step({ captureBatch: true });
    const batch = await trainer.readBatch();
    const sigma = Math.exp(batch.policy.logStd?.[0] as number);
    const z: number[] = [];
    for (let s = 0; s < batch.valid.length; s++) {
      if (!batch.valid[s]) continue;
      const mu = forward(batch.policy, batch.obs.slice(s * 3, s * 3 + 3)).activations.at(-1)?.[0] as number;
      z.push(((batch.actions[s] as number) - mu) / sigma);
    }
    const n = z.length;
    expect(n).toBe(256 * 200);
    const mean = z.reduce((a, v) => a + v, 0) / n;
    const variance = z.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    z.sort((a, b) => a - b);
    let distance = 0;
    z.forEach((v, i) => {
      const cdf = normalCdf(v);
      distance = Math.max(distance, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
    });
    expect(distance).toBeLessThan(1.63 / Math.sqrt(n));
  });
});
