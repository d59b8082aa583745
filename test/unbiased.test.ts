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
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BaselineKind, createTrainer, type EnvironmentDescriptor, type Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import { initialPolicy, type PolicyFile } from '../src/policy/policyFile.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { addLogProbGradient, flatten, forward, softmax, zeroGradient } from './reference/mlp.js';

const twostep: EnvironmentDescriptor = {
  name: 'twostep',
  obsDim: 3,
  action: { kind: 'categorical', n: 2 },
  horizon: 2,
  shader: { source: readFileSync(new URL('./shaders/envs/twostep.wgsl', import.meta.url), 'utf8') },
};
const M = 24;
const N = 2048;
const OBS = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

function testPolicy(): PolicyFile {
  const p = initialPolicy({
    env: 'twostep',
    obsDim: 3,
    action: { kind: 'categorical', n: 2 },
    hidden: [8],
    activation: 'tanh',
    seed: 7,
  });
  // Make the policy far from uniform so that the gradient has structure.
  p.layers[1]!.weight = p.layers[1]!.weight.map((w, k) => Math.fround(w * 100 + (k % 3) * 0.3));
  return p;
}

/** J's exact gradient: sum over trajectories p(tau) sum_t grad log pi(a_t|s_t) r(tau). */
function exactGradient(policy: PolicyFile): number[] {
  const pi = (s: number) => softmax(forward(policy, OBS[s]!).activations.at(-1) as number[]);
  const g = zeroGradient(policy);
  for (const a0 of [0, 1]) {
    const pA = a0 === 0 ? 0.8 : 0.3;
    for (const [branch, pBranch] of [
      [1, pA],
      [2, 1 - pA],
    ] as const) {
      for (const a1 of [0, 1]) {
        const reward1 = branch === 1 ? (a1 === 0 ? 2 : 0) : a1 === 1 ? 3 : 0;
        const total = a0 + reward1;
        const p = pi(0)[a0]! * pBranch * pi(branch)[a1]!;
        addLogProbGradient(policy, OBS[0]!, a0, p * total, g);
        addLogProbGradient(policy, OBS[branch]!, a1, p * total, g);
      }
    }
  }
  return flatten(g);
}

const trainers = trainersReleasedAfterAll<Trainer>();

async function estimates(baseline: BaselineKind, rewardToGo: boolean, policy: PolicyFile): Promise<number[][]> {
  const device = await testDevice();
  const trainer = await createTrainer({ device, env: twostep, policy, numEnvs: N, baseline, rewardToGo, seed: 11 });
  trainers.push(trainer);
  const params = packParameters(trainer.layout, policy.layers);
  const out: number[][] = [];
  for (let m = 0; m < M; m++) {
    trainer.writeRaw('policyParams', params);
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
