// Unbiasedness and variance of the gradient estimator, through the engine's own kernels, on a two-step MDP
// whose exact gradient is computed by enumerating every trajectory (test/shaders/envs/twostep.wgsl).
//
// For each baseline, with and without reward-to-go: M = 24 batches of N = 2048 trajectories from the same
// parameters (reset before every step). Claim: the mean estimate equals the exact gradient. Bound: every
// component within 5 standard errors (se = sample std / sqrt(M)); with 50 components and t(23) tails the
// chance of a false alarm is about 1%, and the seeds are fixed. Batch baselines (mean, perTimestep, optimal)
// use the batch's own returns, an O(1/N) bias far below that bound.
// Variance claim: the total variance (sum over components) with baseline + reward-to-go is below that of
// the plain estimator.
import { describe, expect, it } from 'vitest';
import { writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import { type BaselineKind, createTrainer, type Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import type { PolicyFile } from '../src/policy/policyFile.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { flatten } from './reference/mlp.js';
import { exactGradient, testPolicy, twostep } from './reference/twostep.js';

const M = 24;
const N = 2048;

const trainers = trainersReleasedAfterAll<Trainer>();

async function estimates(
  baseline: BaselineKind,
  rewardToGo: boolean,
  policy: PolicyFile,
  numEnvs = N,
  batches = M,
): Promise<number[][]> {
  const device = await testDevice();
  const trainer = await createTrainer({ device, env: twostep, policy, numEnvs, baseline, rewardToGo, seed: 11 });
  trainers.push(trainer);
  const params = packParameters(trainer.layout, policy.layers);
  const out: number[][] = [];
  for (let m = 0; m < batches; m++) {
    writeTrainerBuffer(trainer, 'policyParams', params);
    await trainer.step({ captureBatch: true });
    out.push(flatten((await trainer.readBatch()).gradient));
  }
  return out;
}

function meanAndVariance(samples: number[][]) {
  const P = samples[0]!.length;
  const mean = new Array(P).fill(0);
  for (const s of samples)
    s.forEach((x, k) => {
      mean[k] += x / samples.length;
    });
  const variance = new Array(P).fill(0);
  for (const s of samples)
    s.forEach((x, k) => {
      variance[k] += (x - mean[k]) ** 2 / (samples.length - 1);
    });
  return { mean, variance };
}

describe('gradient estimator on an enumerable MDP', () => {
  const policy = testPolicy();
  const exact = exactGradient(policy);
  const totals = new Map<string, number>();
  const configurations: [BaselineKind, boolean][] = [
    ['none', false],
    ['none', true],
    ['mean', false],
    ['mean', true],
    ['perTimestep', false],
    ['perTimestep', true],
    ['optimal', false],
    ['optimal', true],
    ['meanLeaveOneOut', false],
    ['meanLeaveOneOut', true],
    ['perTimestepLeaveOneOut', true],
  ];
  for (const [baseline, rewardToGo] of configurations) {
    it(`is unbiased: baseline ${baseline}, reward-to-go ${rewardToGo}`, async () => {
      const { mean, variance } = meanAndVariance(await estimates(baseline, rewardToGo, policy));
      let worst = 0;
      mean.forEach((m, k) => {
        const se = Math.sqrt(variance[k] / M);
        if (se > 0) worst = Math.max(worst, Math.abs(m - exact[k]!) / se);
        else expect(Math.abs(m - exact[k]!)).toBeLessThan(1e-6);
      });
      expect(worst).toBeLessThan(5);
      totals.set(
        `${baseline}/${rewardToGo}`,
        variance.reduce((a, v) => a + v, 0),
      );
    });
  }
  it('has lower variance with a baseline and reward-to-go than without either', () => {
    const plain = totals.get('none/false')!;
    for (const key of ['mean/true', 'perTimestep/true', 'optimal/true']) {
      expect(totals.get(key)!).toBeLessThan(plain);
    }
    console.log('total variance of the batch gradient by baseline/reward-to-go:', Object.fromEntries(totals));
  });
});

// Small batches make the same-batch baseline's bias visible: in the two-step MDP every trajectory runs both steps,
// so n_t = N and A_it = R_it - (1/N) sum_j R_jt shrinks each term's expectation by (1 - 1/N) exactly (the cross
// terms vanish): at N = 3 the mean estimate is 2/3 of the gradient. The leave-one-out baseline has no such factor.
// M = 400 batches; bounds as above (every component within 5 standard errors of its claim).
describe('same-batch against leave-one-out baselines at N = 3', () => {
  const policy = testPolicy();
  const exact = exactGradient(policy);
  const small = 3;
  const within = (samples: number[][], claim: number[]) => {
    const { mean, variance } = meanAndVariance(samples);
    let worst = 0;
    mean.forEach((m, k) => {
      const se = Math.sqrt(variance[k] / samples.length);
      if (se > 0) worst = Math.max(worst, Math.abs(m - claim[k]!) / se);
    });
    return worst;
  };
  it('perTimestep: the mean estimate is (1 - 1/N) times the gradient, not the gradient', async () => {
    const samples = await estimates('perTimestep', true, policy, small, 400);
    expect(
      within(
        samples,
        exact.map((g) => g * (1 - 1 / small)),
      ),
    ).toBeLessThan(5);
    expect(within(samples, exact)).toBeGreaterThan(5);
  });
  it('perTimestepLeaveOneOut: unbiased', async () => {
    expect(within(await estimates('perTimestepLeaveOneOut', true, policy, small, 400), exact)).toBeLessThan(5);
  });
  it('meanLeaveOneOut: unbiased', async () => {
    expect(within(await estimates('meanLeaveOneOut', true, policy, small, 400), exact)).toBeLessThan(5);
  });
});
