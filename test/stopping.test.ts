// The estimators where episodes end at random, action-dependent times (test/reference/stopping.ts: an MDP enumerated
// exactly), which the two-step MDP's fixed-length episodes cannot show. Every baseline with and without
// reward-to-go must be unbiased for J's gradient; per-decision and whole-trajectory importance weights from an
// older policy's batch must be unbiased; self-normalised weights must be consistent: with the normaliser at step t
// taken over all trajectories (an ended one at its final weight), its expectation is 1 and the estimate converges
// to the gradient; over the trajectories still running it would scale step t by P_old(alive) / P_new(alive).
// Bound everywhere: every component within 5 standard errors over M batches (t(M-1) tails, 60 components, fixed
// seeds: a false alarm about 1 in 100). Same-batch baselines carry an O(1/n_t) bias; at N = 4096 (n_t >= ~250 at
// the last step; 1024 for the optimal baseline, whose bias is O(1/N)) it is far below the bound.
import { describe, expect, it } from 'vitest';
import { writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import { type BaselineKind, createTrainer, type ImportanceKind, type Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { addLogProbGradient, flatten, zeroGradient } from './reference/mlp.js';
import { exactStoppingGradient, stopping, stoppingPolicy, survivingPolicy } from './reference/stopping.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = testSeed('stopping.test.ts');
const M = 24;

function worstError(samples: number[][], exact: number[]): number {
  let worst = 0;
  exact.forEach((g, k) => {
    const mean = samples.reduce((a, s) => a + s[k]!, 0) / samples.length;
    const variance = samples.reduce((a, s) => a + (s[k]! - mean) ** 2, 0) / (samples.length - 1);
    const se = Math.sqrt(variance / samples.length);
    worst = Math.max(worst, se > 0 ? Math.abs(mean - g) / se : Math.abs(mean - g) > 1e-6 ? Number.POSITIVE_INFINITY : 0);
  });
  return worst;
}

describe('on-policy estimators with random termination', () => {
  const policy = stoppingPolicy();
  const exact = exactStoppingGradient(policy);
  const baselines: BaselineKind[] = ['none', 'mean', 'perTimestep', 'optimal', 'meanLeaveOneOut', 'perTimestepLeaveOneOut'];
  for (const baseline of baselines) {
    for (const rewardToGo of [true, false]) {
      it(`are unbiased: baseline ${baseline}, reward-to-go ${rewardToGo}`, async () => {
        const device = await testDevice();
        // The optimal baseline's extra backward pass is slow on a CPU adapter: 1024 environments (bias ~1/1024).
        const numEnvs = baseline === 'optimal' ? 1024 : 4096;
        const trainer = await createTrainer({ device, env: stopping, policy, numEnvs, baseline, rewardToGo, seed });
        trainers.push(trainer);
        const params = packParameters(trainer.layout, policy.layers);
        const samples: number[][] = [];
        for (let m = 0; m < M; m++) {
          writeTrainerBuffer(trainer, 'policyParams', params);
          await trainer.step({ captureBatch: true });
          samples.push(flatten((await trainer.readBatch()).gradient));
        }
        expect(worstError(samples, exact)).toBeLessThan(5);
        trainer.destroy();
      });
    }
  }
});

/** M gradients at the surviving policy over two kept batches, one sampled by the initial policy and one fresh. */
async function offPolicyEstimates(importance: ImportanceKind, selfNormalize: boolean, numEnvs: number) {
  const device = await testDevice();
  const behaviour = stoppingPolicy();
  const target = survivingPolicy(behaviour);
  const trainer = await createTrainer({
    device,
    env: stopping,
    policy: behaviour,
    numEnvs,
    baseline: 'none',
    reuse: 2,
    importance,
    importanceSelfNormalize: selfNormalize,
    seed,
  });
  trainers.push(trainer);
  const behaviourParams = packParameters(trainer.layout, behaviour.layers);
  const targetParams = packParameters(trainer.layout, target.layers);
  const mixed: number[][] = [];
  const importanceHalf: number[][] = [];
  for (let m = 0; m < M; m++) {
    writeTrainerBuffer(trainer, 'policyParams', behaviourParams);
    await trainer.step();
    writeTrainerBuffer(trainer, 'policyParams', targetParams);
    await trainer.step({ captureBatch: true });
    const batch = await trainer.readBatch();
    // The fresh batch's own on-policy gradient, in float64: 2 g - fresh is the old batch's weighted half alone.
    const fresh = zeroGradient(target);
    batch.valid.forEach((valid, s) => {
      if (valid)
        addLogProbGradient(
          target,
          batch.obs.slice(s * 8, s * 8 + 8),
          batch.actions[s] as number,
          (batch.advantages[s] as number) / numEnvs,
          fresh,
        );
    });
    const g = flatten(batch.gradient);
    const freshFlat = flatten(fresh);
    mixed.push(g);
    importanceHalf.push(g.map((x, k) => 2 * x - freshFlat[k]!));
  }
  trainer.destroy();
  return { mixed, importanceHalf, exact: exactStoppingGradient(target) };
}

describe('importance-weighted estimators with random termination', () => {
  it.each(['per-decision', 'trajectory'] as const)("%s weights: unbiased from the older policy's batch", async (kind) => {
    const { importanceHalf, exact } = await offPolicyEstimates(kind, false, 2048);
    expect(worstError(importanceHalf, exact)).toBeLessThan(5);
  });
  it('self-normalised per-decision weights: consistent (N = 4096 within the bound)', async () => {
    const { mixed, exact } = await offPolicyEstimates('per-decision', true, 4096);
    expect(worstError(mixed, exact)).toBeLessThan(5);
  });
});
