// The exact LQR policy gradient (src/envs/lqrGradient.ts), no GPU: the finite differences of linearPolicyReturn
// against the derivative of a scalar two-step problem taken by hand, unchanged under step halving on the default
// task, and packed where the trainer keeps K, b and the log-stds.
import { describe, expect, it } from 'vitest';
import { defaultLqrConfig, type LqrConfig } from '../src/envs/lqr.js';
import { exactLqrGradient, lqrReturnGradient } from '../src/envs/lqrGradient.js';
import { policyLayout } from '../src/policy/layout.js';
import { initialPolicy } from '../src/policy/policyFile.js';

describe('exact LQR gradient', () => {
  it('matches the derivative of a scalar two-step problem taken by hand', () => {
    const [a, B, q, r, s0, sw] = [1.1, 0.6, 2, 0.5, 0.8, 0.3];
    const config: LqrConfig = {
      stateDim: 1,
      actionDim: 1,
      A: [a],
      B: [B],
      Q: [q],
      R: [r],
      noiseStd: sw,
      initStd: s0,
      horizon: 2,
    };
    const [K, b, s] = [-0.7, 0.4, -0.3];
    const v = Math.exp(2 * s); // sigma^2
    // x0 ~ N(0, s0^2), u_t = K x_t + b + sigma e_t, x1 = (a + BK) x0 + B b + B sigma e0 + w. With m1 = E[x1] = B b
    // and v1 = E[x1^2] = (a + BK)^2 s0^2 + B^2 b^2 + B^2 v + sw^2:
    // J = -[q s0^2 + r (K^2 s0^2 + b^2 + v) + q v1 + r (K^2 v1 + 2 K b m1 + b^2 + v)].
    const v1 = (a + B * K) ** 2 * s0 ** 2 + B * B * b * b + B * B * v + sw * sw;
    const dv1dK = 2 * (a + B * K) * B * s0 ** 2;
    const dK = -(2 * r * K * s0 ** 2 + 2 * r * K * v1 + (q + r * K * K) * dv1dK + 2 * r * b * B * b);
    const db = -(2 * r * b + (q + r * K * K) * 2 * B * B * b + 4 * r * K * B * b + 2 * r * b);
    const ds = -(2 * r * v + (q + r * K * K) * 2 * B * B * v + 2 * r * v);
    const g = lqrReturnGradient(config, [K], [b], [s]);
    [dK, db, ds].forEach((expected, k) => {
      expect(Math.abs((g[k] as number) - expected), `component ${k}`).toBeLessThan(1e-8 * Math.max(1, Math.abs(expected)));
    });
  });

  it('is stable under step halving on the default task (50 steps), and agrees with a plain central difference', () => {
    const K = [-1.2, -0.6];
    const b = [0.4];
    const logStd = [-0.4];
    const g = lqrReturnGradient(defaultLqrConfig, K, b, logStd);
    const halved = lqrReturnGradient(defaultLqrConfig, K, b, logStd, { step: 5e-4 });
    const scale = Math.hypot(...g);
    expect(scale).toBeGreaterThan(1);
    g.forEach((x, k) => {
      expect(Math.abs(x - (halved[k] as number))).toBeLessThan(1e-9 * scale);
    });
    const plain = lqrReturnGradient(defaultLqrConfig, K, b, logStd, { step: 1e-6 });
    g.forEach((x, k) => {
      expect(Math.abs(x - (plain[k] as number))).toBeLessThan(1e-5 * scale);
    });
  });

  it('packs K, b and the log-stds where the trainer keeps them; zero log-std entries when they are fixed', () => {
    const config: LqrConfig = { ...defaultLqrConfig, horizon: 10 };
    const action = { kind: 'gaussian' as const, dim: 1, low: [-1e6], high: [1e6] };
    const policy = initialPolicy({ env: 'lqr', obsDim: 2, action, hidden: [], activation: 'tanh', seed: 3, logStd: -0.5 });
    const flat = lqrReturnGradient(config, policy.layers[0]!.weight, policy.layers[0]!.bias, policy.logStd!);
    const layout = policyLayout(2, 1, [], 'tanh', 1);
    const packed = exactLqrGradient(config, policy);
    const l = layout.layers[0]!;
    expect(packed.length).toBe(layout.param4 * 4);
    expect([packed[l.weight4 * 4], packed[l.weight4 * 4 + 1], packed[l.bias4 * 4], packed[layout.headOffset4 * 4]]).toEqual(
      flat.map(Math.fround),
    );
    expect(packed.reduce((a, x) => a + Math.abs(x), 0)).toBeCloseTo(
      flat.reduce((a, x) => a + Math.abs(Math.fround(x)), 0),
      4,
    );
    expect(exactLqrGradient(config, policy, { learnLogStd: false })[layout.headOffset4 * 4]).toBe(0);
    const deep = initialPolicy({ env: 'lqr', obsDim: 2, action, hidden: [4], activation: 'tanh', seed: 3 });
    expect(() => exactLqrGradient(config, deep)).toThrow(/linear/);
  });
});
