// The LQR ground truth (src/envs/lqr.ts) and the Gaussian policy-gradient estimator against it.
//  - Riccati optimum: a scalar two-step problem solved by hand; a lower bound on every stationary linear policy's
//    cost and within 1% of the best one for the default task (the policy sees x, not t).
//  - linearPolicyReturn (exact J of u ~ N(Kx + b, sigma^2)) against a float64 Monte Carlo rollout of the
//    reference dynamics: within 4 standard errors.
//  - Unbiasedness of the engine's Gaussian estimator: M = 32 batches of N = 8192 trajectories from the same
//    parameters; the mean estimate of dJ/d(K, b, logStd) matches the exact gradient (central differences of
//    linearPolicyReturn) with every component within 5 standard errors (se = sample std / sqrt(M)), fixed seeds.
import { describe, expect, it } from 'vitest';
import { writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import { defaultLqrConfig, type LqrConfig, linearPolicyReturn, lqrEnvironment, optimalCost } from '../src/envs/lqr.js';
import { createTrainer, type Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import { initialPolicy } from '../src/policy/policyFile.js';
import { seededRandom, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { flatten } from './reference/mlp.js';

describe('LQR ground truth', () => {
  it('Riccati matches a scalar two-step problem solved by hand', () => {
    const [a, b, q, r, s0, sw] = [1.3, 0.7, 2, 0.5, 0.8, 0.3];
    const config: LqrConfig = {
      stateDim: 1,
      actionDim: 1,
      A: [a],
      B: [b],
      Q: [q],
      R: [r],
      noiseStd: sw,
      initStd: s0,
      horizon: 2,
    };
    // P_2 = 0, P_1 = Q, P_0 = Q + A^2 Q - (A Q B)^2 / (R + B^2 Q); J* = s0^2 P_0 + sw^2 P_1.
    const p0 = q + a * a * q - (a * q * b) ** 2 / (r + b * b * q);
    expect(optimalCost(config)).toBeCloseTo(s0 * s0 * p0 + sw * sw * q, 12);
  });

  it('is a lower bound on stationary linear policies, within 1% of the best of them (default task)', () => {
    const c = defaultLqrConfig;
    const optimum = optimalCost(c);
    let best = Number.POSITIVE_INFINITY;
    for (let k1 = -5; k1 <= 0; k1 += 0.1) {
      for (let k2 = -5; k2 <= 0; k2 += 0.1) best = Math.min(best, -linearPolicyReturn(c, [k1, k2], [0], [-30]));
    }
    expect(best).toBeGreaterThanOrEqual(optimum);
    expect(best / optimum).toBeLessThan(1.01);
  });

  it('linearPolicyReturn matches a float64 Monte Carlo rollout of the reference dynamics', () => {
    const env = lqrEnvironment();
    const reference = env.reference!;
    const K = [-1.5, -1];
    const b = [0.3];
    const logStd = [-0.7];
    const random = seededRandom(5);
    const uniform4 = () => [random(), random(), random(), random()].map((u) => Math.max(u, 1e-12));
    const returns: number[] = [];
    for (let episode = 0; episode < 20000; episode++) {
      let x = reference.reset(uniform4());
      let total = 0;
      for (let t = 0; t < defaultLqrConfig.horizon; t++) {
        const z = uniform4();
        const noise = Math.sqrt(-2 * Math.log(z[0]!)) * Math.cos(2 * Math.PI * z[1]!);
        const action = [K[0]! * x[0]! + K[1]! * x[1]! + b[0]! + Math.exp(logStd[0]!) * noise];
        const step = reference.step(x, action, uniform4());
        total += step.reward;
        x = step.next;
      }
      returns.push(total);
    }
    const mean = returns.reduce((a, v) => a + v, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((a, v) => a + (v - mean) ** 2, 0) / (returns.length - 1));
    const exact = linearPolicyReturn(defaultLqrConfig, K, b, logStd);
    expect(Math.abs(mean - exact)).toBeLessThan((4 * sd) / Math.sqrt(returns.length));
  });
});

const trainers = trainersReleasedAfterAll<Trainer>();

describe('Gaussian policy gradient on the LQR', () => {
  it('is unbiased: mean of 32 estimates matches the exact gradient within 5 standard errors', async () => {
    const config: LqrConfig = { ...defaultLqrConfig, horizon: 10 };
    const env = lqrEnvironment(config);
    const K = [-1.2, -0.6];
    const b = [0.4];
    const logStd = [-0.4];
    const policy = initialPolicy({
      env: 'lqr',
      obsDim: 2,
      action: env.action,
      hidden: [],
      activation: 'tanh',
      seed: 1,
      logStd: 0,
    });
    policy.layers[0]!.weight = K.map(Math.fround);
    policy.layers[0]!.bias = b.map(Math.fround);
    policy.logStd = logStd.map(Math.fround);
    const theta = [...policy.layers[0]!.weight, ...policy.layers[0]!.bias, ...policy.logStd];
    const J = (p: number[]) => linearPolicyReturn(config, p.slice(0, 2), p.slice(2, 3), p.slice(3, 4));
    const h = 1e-5;
    const exact = theta.map((_, k) => {
      const plus = [...theta];
      const minus = [...theta];
      plus[k]! += h;
      minus[k]! -= h;
      return (J(plus) - J(minus)) / (2 * h);
    });

    const device = await testDevice();
    const N = 8192;
    const M = 32;
    const trainer = await createTrainer({ device, env, policy, numEnvs: N, baseline: 'perTimestep', rewardToGo: true, seed: 21 });
    trainers.push(trainer);
    const params = packParameters(trainer.layout, policy.layers, policy.logStd);
    const estimates: number[][] = [];
    for (let m = 0; m < M; m++) {
      writeTrainerBuffer(trainer, 'policyParams', params);
      await trainer.step({ captureBatch: true });
      estimates.push(flatten((await trainer.readBatch()).gradient));
    }
    const means = exact.map((_, k) => estimates.reduce((a, e) => a + e[k]!, 0) / M);
    exact.forEach((g, k) => {
      const se = Math.sqrt(estimates.reduce((a, e) => a + (e[k]! - means[k]!) ** 2, 0) / (M - 1) / M);
      const report = `dJ/dtheta[${k}]: exact ${g.toFixed(4)}, mean estimate ${means[k]!.toFixed(4)}, se ${se.toFixed(4)}`;
      expect(Math.abs(means[k]! - g) / se, report).toBeLessThan(5);
    });
    // The bound is informative: the standard errors are small next to the gradient (the estimator's variance is
    // large on this task; that the mean sits within them is the claim).
    const totalSe = Math.sqrt(
      exact.reduce((a, _, k) => a + estimates.reduce((b, e) => b + (e[k]! - means[k]!) ** 2, 0) / (M - 1) / M, 0),
    );
    expect(totalSe).toBeLessThan(0.2 * Math.hypot(...exact));
  });
});
