// The variance lab (src/algo/varianceLab.ts). Its GPU-reduced moments are those of the per-batch estimates: the same
// seed gives the same batches as a trainer that steps with a learning rate too small to move a float32 parameter,
// whose batches are read back one by one (mean and variance to relative 1e-4 of their scale). And on the two-step
// MDP, whose gradient is exact, it shows the chapter's claims: every estimator's mean is within 5 of its own
// standard errors of the gradient, and reward-to-go and the baselines cut the variance below plain REINFORCE's.
import { describe, expect, it } from 'vitest';
import { measureEstimators } from '../src/algo/varianceLab.js';
import { createTrainer, type Trainer } from '../src/index.js';
import { packParameters, policyLayout } from '../src/policy/layout.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { exactGradient, testPolicy, twostep } from './reference/twostep.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = testSeed('varianceLab.test.ts');

describe('variance lab', () => {
  it('reduces on the GPU the moments of the batches a trainer would sample', async () => {
    const device = await testDevice();
    const policy = testPolicy();
    const M = 12;
    const common = { device, env: twostep, numEnvs: 64, seed, policy };
    const report = await measureEstimators({
      trainer: common,
      batches: M,
      estimators: [{ baseline: 'perTimestep', rewardToGo: true }],
      reference: { gradient: new Array(policyLayout(3, 2, [8], 'tanh').param4 * 4).fill(0) },
    });
    const trainer = await createTrainer({ ...common, baseline: 'perTimestep', rewardToGo: true, lr: 1e-30 });
    trainers.push(trainer);
    const estimates: number[][] = [];
    for (let m = 0; m < M; m++) {
      await trainer.step({ captureBatch: true });
      const batch = await trainer.readBatch();
      estimates.push(Array.from(packParameters(trainer.layout, batch.gradient.layers)));
    }
    const P = estimates[0]!.length;
    const mean = Array.from({ length: P }, (_, k) => estimates.reduce((a, e) => a + e[k]!, 0) / M);
    const variance = mean.map((x, k) => estimates.reduce((a, e) => a + (e[k]! - x) ** 2, 0) / (M - 1));
    const lab = report.estimators[0]!;
    const scale = Math.max(...mean.map(Math.abs));
    lab.meanGradient.forEach((x, k) => {
      expect(Math.abs(x - mean[k]!)).toBeLessThanOrEqual(1e-4 * scale);
    });
    const total = variance.reduce((a, v) => a + v, 0);
    expect(Math.abs(lab.totalVariance - total)).toBeLessThanOrEqual(1e-4 * total);
  });

  it('shows the estimators unbiased on an exact gradient, and reward-to-go and baselines cutting the variance', async () => {
    const device = await testDevice();
    const policy = testPolicy();
    const exact = exactGradient(policy);
    const layout = policyLayout(3, 2, [8], 'tanh');
    // The exact gradient (flattened layer by layer, weights then biases) in the packed layout of the parameters.
    const flat = exact.slice();
    const gradientLayers = policy.layers.map((l) => {
      const weight = flat.splice(0, l.weight.length);
      const bias = flat.splice(0, l.bias.length);
      return { weight, bias };
    });
    const report = await measureEstimators({
      trainer: { device, env: twostep, numEnvs: 256, seed, policy },
      batches: 40,
      estimators: [
        { baseline: 'none', rewardToGo: true },
        { baseline: 'perTimestepLeaveOneOut', rewardToGo: true },
        { baseline: 'optimal', rewardToGo: false },
        { baseline: 'optimal', rewardToGo: true },
      ],
      reference: { gradient: packParameters(layout, gradientLayers) },
    });
    expect(report.reference.kind).toBe('exact');
    for (const e of report.estimators) {
      expect(e.distanceToReference, `${e.baseline}/${e.rewardToGo}`).toBeLessThan(5 * e.noiseDistance);
      expect(e.cosineToReference).toBeGreaterThan(0.9);
      expect(e.varianceRatio).toBeLessThan(1);
    }
    console.log(
      'variance relative to plain REINFORCE:',
      report.estimators.map((e) => `${e.baseline}/${e.rewardToGo ? 'rtg' : 'whole'} ${e.varianceRatio.toFixed(3)}`).join(', '),
    );
  });
});
