// Every built-in environment: its WGSL kernel against its float64 reference (src/envs/) on fresh random states,
// actions and random draws, its reset against the reference reset, and both against the transitions Gymnasium
// 1.4.0's own code produced (test/data/gymnasium-vectors) through check-env.
// Bound: each next-state component, reward and observation within relative error 1e-4 of float64, measured
// against max(|expected|, 1) (angles modulo 2 pi); inputs are rounded to float32 before the reference sees them.
// Where the step is so ill-conditioned that moving the float32 state by one rounding unit moves the exact result by
// more than that (acrobot near its velocity clip: 1.9e-4), no float32 kernel can meet 1e-4: those components are
// held to 4x the reference's own change under such perturbations instead, and at most 2% of the cases may need it.
// Termination may differ only where a float64 state lies within 1e-5 of a threshold, which these draws avoid.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CHECK_TOLERANCE,
  checkEnvironment,
  componentError,
  parseTransitions,
  resetEnvironment,
  stepEnvironment,
} from '../src/envs/checkEnvironment.js';
import type { EnvironmentDescriptor, ReferenceDynamics } from '../src/envs/environment.js';
import { builtInEnvironments } from '../src/envs/registry.js';
import { seededRandom, testDevice } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

type Random = () => number;
const between = (random: Random, lo: number, hi: number) => lo + (hi - lo) * random();

// Where states and actions are drawn from, per environment (actions reach beyond the bounds to test clipping).
const domains: Record<string, { state: (r: Random) => number[]; action: (r: Random) => number | number[] }> = {
  cartpole: {
    state: (r) => [between(r, -2.3, 2.3), between(r, -3, 3), between(r, -0.2, 0.2), between(r, -3, 3)],
    action: (r) => (r() < 0.5 ? 0 : 1),
  },
  'cartpole-pomdp': {
    state: (r) => [between(r, -2.3, 2.3), between(r, -3, 3), between(r, -0.2, 0.2), between(r, -3, 3)],
    action: (r) => (r() < 0.5 ? 0 : 1),
  },
  acrobot: {
    state: (r) => [
      between(r, -Math.PI, Math.PI),
      between(r, -Math.PI, Math.PI),
      between(r, -4 * Math.PI, 4 * Math.PI),
      between(r, -9 * Math.PI, 9 * Math.PI),
    ],
    action: (r) => Math.floor(r() * 3),
  },
  pendulum: {
    state: (r) => [between(r, -3 * Math.PI, 3 * Math.PI), between(r, -8, 8)],
    action: (r) => [between(r, -3, 3)],
  },
  'mountaincar-continuous': {
    state: (r) => [between(r, -1.2, 0.6), between(r, -0.07, 0.07)],
    action: (r) => [between(r, -2, 2)],
  },
  lqr: {
    state: (r) => [between(r, -3, 3), between(r, -3, 3)],
    action: (r) => [between(r, -5, 5)],
  },
};

const vectorFiles: Record<string, string> = {
  cartpole: 'CartPole-v1',
  acrobot: 'Acrobot-v1',
  pendulum: 'Pendulum-v1',
  'mountaincar-continuous': 'MountainCarContinuous-v0',
};
const vectorsUrl = (file: string) => new URL(`./data/gymnasium-vectors/${file}.json`, import.meta.url);

const f32 = (xs: readonly number[]) => xs.map(Math.fround);
const seed = testSeed('environments.test.ts');

describe.each(Object.entries(builtInEnvironments))('environment %s', (name, env: EnvironmentDescriptor) => {
  const reference = env.reference as ReferenceDynamics;
  const domain = domains[name];
  const angular = new Set(env.angularState ?? []);

  it('has a float64 reference and a test domain', () => {
    expect(reference).toBeDefined();
    expect(domain).toBeDefined();
  });

  it('WGSL step matches the float64 reference on 400 fresh random states and actions', async () => {
    if (!domain) return;
    const random = seededRandom(seed);
    const cases = Array.from({ length: 400 }, () => {
      const action = domain.action(random);
      return {
        state: f32(domain.state(random)),
        action: typeof action === 'number' ? action : f32(action),
        uniforms: f32([random(), random(), random(), random()]),
      };
    });
    const gpu = await stepEnvironment(await testDevice(), env, cases);
    let worst = 0;
    let terminationMismatches = 0;
    let illConditioned = 0;
    const perturb = seededRandom(seed + 1);
    // Error in units of its bound, scaled so that CHECK_TOLERANCE is the limit either way.
    const scaled = (error: number, sensitivity: number) => (CHECK_TOLERANCE * error) / Math.max(CHECK_TOLERANCE, 4 * sensitivity);
    gpu.forEach((g, i) => {
      const c = cases[i]!;
      const expected = reference.step(c.state, c.action, c.uniforms);
      // The exact step's change (next state, reward, observation) when the float32 state moves by up to one
      // rounding unit, in 8 random directions.
      const observed = reference.observe(expected.next);
      const sensitivity = { next: expected.next.map(() => 0), reward: 0, observation: observed.map(() => 0) };
      for (let trial = 0; trial < 8; trial++) {
        const moved = reference.step(
          c.state.map((x) => x * (1 + (2 * perturb() - 1) * 2 ** -24)),
          c.action,
          c.uniforms,
        );
        moved.next.forEach((x, k) => {
          sensitivity.next[k] = Math.max(sensitivity.next[k]!, componentError(x, expected.next[k]!, angular.has(k)));
        });
        sensitivity.reward = Math.max(sensitivity.reward, componentError(moved.reward, expected.reward));
        reference.observe(moved.next).forEach((o, k) => {
          sensitivity.observation[k] = Math.max(sensitivity.observation[k]!, componentError(o, observed[k]!));
        });
      }
      const all = [...sensitivity.next, sensitivity.reward, ...sensitivity.observation];
      if (all.some((e) => e > CHECK_TOLERANCE / 4)) illConditioned++;
      g.next.forEach((x, k) => {
        worst = Math.max(worst, scaled(componentError(x, expected.next[k]!, angular.has(k)), sensitivity.next[k]!));
      });
      worst = Math.max(worst, scaled(componentError(g.reward, expected.reward), sensitivity.reward));
      observed.forEach((o, k) => {
        worst = Math.max(worst, scaled(componentError(g.observation[k]!, o), sensitivity.observation[k]!));
      });
      if (g.terminated !== expected.terminated) terminationMismatches++;
    });
    expect(worst).toBeLessThan(CHECK_TOLERANCE);
    expect(terminationMismatches).toBe(0);
    expect(illConditioned).toBeLessThanOrEqual(cases.length * 0.02);
  });

  it('WGSL reset matches the float64 reference on 200 random draws', async () => {
    const random = seededRandom(seed + 1);
    const uniforms = Array.from({ length: 200 }, () => f32([random(), random(), random(), random()]));
    const gpu = await resetEnvironment(await testDevice(), env, uniforms);
    let worst = 0;
    gpu.forEach((g, i) => {
      const expected = reference.reset(uniforms[i]!);
      g.next.forEach((x, k) => {
        worst = Math.max(worst, componentError(x, expected[k]!));
      });
      reference.observe(expected).forEach((o, k) => {
        worst = Math.max(worst, componentError(g.observation[k]!, o));
      });
    });
    expect(worst).toBeLessThan(CHECK_TOLERANCE);
  });

  const file = vectorFiles[name];
  if (file === undefined) return; // cartpole-pomdp and lqr have no Gymnasium counterpart

  it(`float64 reference reproduces Gymnasium 1.4.0's transitions (relative 1e-6)`, () => {
    const transitions = parseTransitions(JSON.parse(readFileSync(vectorsUrl(file as string), 'utf8')), file as string);
    for (const t of transitions) {
      const r = reference.step(t.state, t.action, [0.5, 0.5, 0.5, 0.5]);
      r.next.forEach((x, k) => {
        expect(componentError(x, t.nextState[k]!, angular.has(k))).toBeLessThan(1e-6);
      });
      expect(componentError(r.reward, t.reward)).toBeLessThan(1e-6);
      expect(r.terminated).toBe(t.terminated);
    }
  });

  it(`check-env passes on Gymnasium 1.4.0's transitions`, async () => {
    const transitions = parseTransitions(JSON.parse(readFileSync(vectorsUrl(file as string), 'utf8')), file as string);
    const report = await checkEnvironment(await testDevice(), env, transitions);
    expect(report).toMatchObject({ env: name, transitions: 200, terminatedMismatches: 0, ok: true });
    expect(report.maxStateError).toBeLessThan(CHECK_TOLERANCE);
  });
});

describe('check-env', () => {
  it('reports a mismatch when a next state is off by 1e-2', async () => {
    const transitions = parseTransitions(JSON.parse(readFileSync(vectorsUrl('CartPole-v1'), 'utf8')), 'CartPole-v1');
    const perturbed = transitions.map((t) => ({ ...t, nextState: t.nextState.map((x, k) => (k === 1 ? x + 1e-2 : x)) }));
    const report = await checkEnvironment(await testDevice(), builtInEnvironments.cartpole!, perturbed);
    expect(report.ok).toBe(false);
    expect(report.maxStateError).toBeGreaterThan(CHECK_TOLERANCE);
  });
});
