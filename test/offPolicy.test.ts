// Off-policy gradient steps (src/algo/offPolicy.ts, shaders/importance.wgsl) through the engine's own kernels.
//  1. With phi' = phi every estimator reduces to the on-policy one: parameters reset before every step, so the
//     replayed batch was sampled by the current parameters; the gradient over 2 kept batches must equal the mean
//     of the two on-policy gradients (an on-policy trainer with the same seed draws the same batches). Bound:
//     relative L2 <= 1e-4 (float32 rounding of the recomputed log-probabilities); ESS = all samples, weights 1.
//  2. Unbiasedness on the two-step MDP (test/reference/twostep.ts): one batch sampled by pi_old, one by pi_new,
//     the gradient taken at pi_new. Its off-policy half, g_IS = 2 g - g_fresh (g_fresh: the fresh batch's
//     on-policy gradient in float64), estimates grad J(pi_new) from pi_old's samples. M = 24 estimates of
//     N = 2048 trajectories: per-decision and whole-trajectory weights within 5 standard errors of the exact
//     gradient in every component. On 100-step CartPole episodes the whole-trajectory estimator's total
//     variance is more than 1.5 times the per-decision one's (two steps are too few to tell them apart).
//  3. The importance kernels on a real replay (every estimator, truncation on) against float64: gradient relative
//     L2 <= 1e-4, ESS and max weight relative 1e-4.
//  4. Weights never overflow: 500-step LQR episodes whose behaviour log-probabilities are pushed to +-80 per step
//     (ratio products up to e^40000): gradient, its norm and the weights stay finite (weights capped at e^20).
// Over 300 lines on purpose: each numbered claim below needs its own trainer set-up; split, they would share it.
import { describe, expect, it } from 'vitest';
import { readTrainerBuffer, writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import { createTrainer, defaultLqrConfig, type ImportanceKind, lqrEnvironment, type Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import type { PolicyFile } from '../src/policy/policyFile.js';
import { relativeL2, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { addLogProbGradient, flatten, logProb, zeroGradient } from './reference/mlp.js';
import { exactGradient, testPolicy, twostep } from './reference/twostep.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const track = (t: Trainer) => {
  trainers.push(t);
  return t;
};

describe("off-policy gradient with phi' = phi", () => {
  const cases: { importance: ImportanceKind; selfNormalize: boolean; env: string }[] = [
    { importance: 'per-decision', selfNormalize: false, env: 'cartpole' },
    { importance: 'trajectory', selfNormalize: false, env: 'cartpole' },
    { importance: 'ratio', selfNormalize: false, env: 'cartpole' },
    { importance: 'prefix', selfNormalize: false, env: 'cartpole' },
    { importance: 'per-decision', selfNormalize: true, env: 'cartpole' },
    { importance: 'per-decision', selfNormalize: false, env: 'pendulum' },
  ];
  it.each(cases)('reduces to the on-policy estimator: $importance, self-normalise $selfNormalize, $env', async (c) => {
    const device = await testDevice();
    const common = { device, env: c.env, numEnvs: 48, hidden: [8], seed: 5, gamma: 0.99 };
    const onPolicy = track(await createTrainer(common));
    const offPolicy = track(
      await createTrainer({
        ...common,
        reuse: 2,
        epochs: 1,
        importance: c.importance,
        importanceSelfNormalize: c.selfNormalize,
        importanceClip: 10,
      }),
    );
    const initial = await onPolicy.readPolicy();
    const params = packParameters(onPolicy.layout, initial.layers, initial.logStd);
    const onGradients: number[][] = [];
    let off: number[] = [];
    let stats: Awaited<ReturnType<Trainer['step']>> | undefined;
    for (let i = 0; i < 2; i++) {
      writeTrainerBuffer(onPolicy, 'policyParams', params);
      writeTrainerBuffer(offPolicy, 'policyParams', params);
      await onPolicy.step({ captureBatch: true });
      onGradients.push(flatten((await onPolicy.readBatch()).gradient));
      stats = await offPolicy.step({ captureBatch: true });
      off = flatten((await offPolicy.readBatch()).gradient);
    }
    const mean = (onGradients[0] as number[]).map((g, k) => (g + (onGradients[1] as number[])[k]!) / 2);
    expect(relativeL2(off, mean)).toBeLessThan(1e-4);
    expect(stats?.essFraction).toBeCloseTo(1, 4);
    expect(stats?.maxWeight).toBeCloseTo(1, 4);
    expect(stats?.truncatedFraction).toBe(0);
  });
});

/** A second policy for the two-step MDP, some distance from the first (log-probabilities shifted by ~0.5). */
function movedPolicy(policy: PolicyFile): PolicyFile {
  const moved = structuredClone(policy);
  moved.layers[1]!.bias = moved.layers[1]!.bias.map((b, k) => Math.fround(b + (k === 0 ? 0.6 : -0.4)));
  return moved;
}

async function importanceEstimates(importance: ImportanceKind, M: number): Promise<number[][]> {
  const device = await testDevice();
  const N = 2048;
  const oldPolicy = testPolicy();
  const newPolicy = movedPolicy(oldPolicy);
  const trainer = track(
    await createTrainer({
      device,
      env: twostep,
      policy: oldPolicy,
      numEnvs: N,
      baseline: 'none',
      rewardToGo: true,
      reuse: 2,
      epochs: 1,
      importance,
      seed: 13,
    }),
  );
  const oldParams = packParameters(trainer.layout, oldPolicy.layers);
  const newParams = packParameters(trainer.layout, newPolicy.layers);
  const estimates: number[][] = [];
  for (let m = 0; m < M; m++) {
    writeTrainerBuffer(trainer, 'policyParams', oldParams);
    await trainer.step();
    writeTrainerBuffer(trainer, 'policyParams', newParams);
    await trainer.step({ captureBatch: true });
    const batch = await trainer.readBatch();
    const fresh = zeroGradient(newPolicy);
    for (let s = 0; s < N * 2; s++) {
      if (!batch.valid[s]) continue;
      addLogProbGradient(
        newPolicy,
        batch.obs.slice(s * 3, s * 3 + 3),
        batch.actions[s] as number,
        (batch.advantages[s] as number) / N,
        fresh,
      );
    }
    const freshFlat = flatten(fresh);
    estimates.push(flatten(batch.gradient).map((g, k) => 2 * g - freshFlat[k]!));
  }
  return estimates;
}

function summary(samples: number[][]) {
  const M = samples.length;
  const mean = (samples[0] as number[]).map((_, k) => samples.reduce((a, s) => a + s[k]!, 0) / M);
  const variance = mean.map((m, k) => samples.reduce((a, s) => a + (s[k]! - m) ** 2, 0) / (M - 1));
  return { mean, variance, total: variance.reduce((a, v) => a + v, 0) };
}

describe('importance-sampled gradient on an enumerable MDP', () => {
  const exact = exactGradient(movedPolicy(testPolicy()));
  it.each(['per-decision', 'trajectory'] as const)(
    "%s weights: unbiased for the new policy from the old policy's samples",
    async (kind) => {
      const { mean, variance } = summary(await importanceEstimates(kind, 24));
      mean.forEach((m, k) => {
        const se = Math.sqrt(variance[k]! / 24);
        if (se > 0) expect(Math.abs(m - exact[k]!) / se, `component ${k}: ${m} vs ${exact[k]}, se ${se}`).toBeLessThan(5);
        else expect(Math.abs(m - exact[k]!)).toBeLessThan(1e-6);
      });
    },
  );
});

describe('variance of the importance-sampled estimators on longer episodes', () => {
  // CartPole, 100-step horizon: a batch from pi_old weighted for pi_new (output bias moved by 0.3), M = 16
  // estimates each. Whole-trajectory weights multiply every step's ratio into every term: larger variance.
  it('whole-trajectory weights have a larger total variance than per-decision ones', async () => {
    const device = await testDevice();
    const totalVariance = async (importance: ImportanceKind) => {
      const trainer = track(
        await createTrainer({
          device,
          numEnvs: 256,
          hidden: [8],
          horizon: 100,
          seed: 21,
          reuse: 2,
          epochs: 1,
          importance,
          baseline: 'perTimestep',
        }),
      );
      const oldPolicy = await trainer.readPolicy();
      const newPolicy = structuredClone(oldPolicy);
      newPolicy.layers.at(-1)!.bias = [0.3, -0.3];
      const samples: number[][] = [];
      for (let m = 0; m < 16; m++) {
        writeTrainerBuffer(trainer, 'policyParams', packParameters(trainer.layout, oldPolicy.layers));
        await trainer.step();
        writeTrainerBuffer(trainer, 'policyParams', packParameters(trainer.layout, newPolicy.layers));
        await trainer.step({ captureBatch: true });
        samples.push(flatten((await trainer.readBatch()).gradient));
      }
      return summary(samples).total;
    };
    const perDecision = await totalVariance('per-decision');
    const trajectory = await totalVariance('trajectory');
    console.log(
      `total variance of the gradient estimate: per-decision ${perDecision.toPrecision(3)}, trajectory ${trajectory.toPrecision(3)}`,
    );
    expect(trajectory).toBeGreaterThan(1.5 * perDecision);
  });
});

describe('weights in log space', () => {
  it.each([
    { importance: 'per-decision' as const, selfNormalize: false, logProb: -80 },
    { importance: 'trajectory' as const, selfNormalize: false, logProb: -80 },
    { importance: 'per-decision' as const, selfNormalize: true, logProb: -80 },
    { importance: 'per-decision' as const, selfNormalize: false, logProb: 80 },
  ])(
    'stay finite over 500 steps with log-ratios of +-80 per step ($importance, self-normalise $selfNormalize, behaviour log-prob $logProb)',
    async (c) => {
      const device = await testDevice();
      const env = lqrEnvironment({ ...defaultLqrConfig, horizon: 500 });
      const trainer = track(
        await createTrainer({
          device,
          env,
          hidden: [],
          numEnvs: 32,
          seed: 9,
          reuse: 2,
          epochs: 1,
          importance: c.importance,
          importanceSelfNormalize: c.selfNormalize,
        }),
      );
      await trainer.step();
      // The replayed batch's behaviour log-probabilities made extreme: every step's ratio is e^(+-80) or so,
      // products over 500 steps reach e^(+-40000), far beyond float32 (e^88).
      const replayLogProbs = new Float32Array((await readTrainerBuffer(trainer, 'replayLogProbs')).byteLength / 4).fill(
        c.logProb,
      );
      writeTrainerBuffer(trainer, 'replayLogProbs', replayLogProbs);
      const stats = await trainer.step({ captureBatch: true });
      const gradient = flatten((await trainer.readBatch()).gradient);
      expect(gradient.every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(stats.gradNorm)).toBe(true);
      expect(Number.isFinite(stats.maxWeight)).toBe(true);
      expect(stats.maxWeight).toBeLessThanOrEqual(Math.exp(20) * 1.0001);
      expect(stats.essFraction).toBeGreaterThan(0);
      if (c.logProb < 0 && !c.selfNormalize) expect(stats.truncatedFraction).toBeGreaterThan(0); // the e^20 cap
    },
  );
});

describe('off-policy options', () => {
  it.each([
    [{ epochs: 0 }, 'epochs: must be an integer from 1 to 64'],
    [{ reuse: 17 }, 'reuse: must be an integer from 1 to 16'],
    [{ importance: 'weighted' as ImportanceKind }, 'importance: must be one of per-decision, trajectory, ratio, prefix'],
    [{ importanceClip: 0.5 }, 'importanceClip: must be 0 (no truncation) or a number >= 1'],
  ])('refuses %o', async (options, message) => {
    await expect(createTrainer({ device: await testDevice(), numEnvs: 8, ...options })).rejects.toThrow(message);
  });
});

describe('importance kernels against float64', () => {
  // CartPole, 2 kept batches (one from the old parameters, one fresh), gamma 0.99, per-timestep baseline: the
  // gradient the engine takes at the new parameters is recomputed in float64 from the replay's own contents.
  // Bound: relative L2 <= 1e-4; ESS and max weight relative 1e-4.
  it.each(['per-decision', 'trajectory', 'ratio', 'prefix'] as const)(
    '%s: the weighted gradient and diagnostics match',
    async (importance) => {
      const device = await testDevice();
      const N = 32;
      const T = 500;
      const trainer = track(
        await createTrainer({
          device,
          numEnvs: N,
          hidden: [8],
          seed: 31,
          gamma: 0.99,
          reuse: 2,
          epochs: 1,
          importance,
          importanceClip: 50,
        }),
      );
      const oldPolicy = await trainer.readPolicy();
      const newPolicy = structuredClone(oldPolicy);
      newPolicy.layers.at(-1)!.bias = [0.15, -0.15];
      writeTrainerBuffer(trainer, 'policyParams', packParameters(trainer.layout, oldPolicy.layers));
      await trainer.step();
      writeTrainerBuffer(trainer, 'policyParams', packParameters(trainer.layout, newPolicy.layers));
      const stats = await trainer.step({ captureBatch: true });
      const batch = await trainer.readBatch();
      const raw = async (name: string) => new Float32Array(await readTrainerBuffer(trainer, name));
      const [observations, logProbs, rewards, advantages] = (await Promise.all(
        ['replayObservations', 'replayLogProbs', 'replayRewards', 'replayAdvantages'].map(raw),
      )) as [Float32Array, Float32Array, Float32Array, Float32Array];
      const actions = new Uint32Array(await readTrainerBuffer(trainer, 'replayActions'));
      const episodes = new Uint32Array(await readTrainerBuffer(trainer, 'replayEpisodes'));
      const gradient = zeroGradient(newPolicy);
      let sumW = 0;
      let sumW2 = 0;
      let maxW = 0;
      let sumLast = 0;
      let sumLast2 = 0;
      const logClip = Math.log(50);
      for (let i = 0; i < 2 * N; i++) {
        const length = episodes[4 * i] as number;
        const obs = (t: number) => Array.from(observations.subarray((i * T + t) * 4, (i * T + t) * 4 + 4));
        const logRatio = Array.from(
          { length },
          (_, t) => logProb(newPolicy, obs(t), actions[i * T + t] as number) - (logProbs[i * T + t] as number),
        );
        const total = logRatio.reduce((a, v) => a + v, 0);
        let cumulative = 0;
        const w = logRatio.map((lr) => {
          cumulative += lr;
          const lw = importance === 'trajectory' ? total : importance === 'ratio' ? lr : cumulative;
          return Math.exp(Math.min(lw, logClip));
        });
        for (let t = 0; t < length; t++) {
          let term = w[t]! * (advantages[i * T + t] as number);
          if (importance === 'per-decision') {
            for (let u = t + 1; u < length; u++) term += 0.99 ** (u - t) * (w[u]! - w[t]!) * (rewards[i * T + u] as number);
          }
          addLogProbGradient(newPolicy, obs(t), actions[i * T + t] as number, term / (2 * N), gradient);
          sumW += w[t]!;
          sumW2 += w[t]! ** 2;
          maxW = Math.max(maxW, w[t]!);
        }
        if (length > 0) {
          sumLast += w[length - 1]!;
          sumLast2 += w[length - 1]! ** 2;
        }
      }
      expect(relativeL2(flatten(batch.gradient), flatten(gradient))).toBeLessThan(1e-4);
      // ESS per trajectory (its last step's weight, counted once) and pooled over the samples.
      expect(Math.abs((stats.ess as number) / ((sumLast * sumLast) / sumLast2) - 1)).toBeLessThan(1e-4);
      expect(Math.abs((stats.essPerSample as number) / ((sumW * sumW) / sumW2) - 1)).toBeLessThan(1e-4);
      expect(Math.abs((stats.maxWeight as number) / maxW - 1)).toBeLessThan(1e-4);
    },
  );
});
