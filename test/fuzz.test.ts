// Bad input, systematically (issue #18): valid policy files, environment specs, LQR configurations, reference-vector
// files and batch files mutated at random (deleted, retyped, NaN-like, huge, negative, wrong-length, wrongly nested,
// extra fields; test/helpers/fuzz.ts), thousands of cases from one printed seed, through the validators the CLI and
// the API use. Each case is accepted (and then holds nothing non-finite where the GPU will read it) or refused with a
// ReinforceError / UsageError of one line naming the field. test/fuzzCheckpoint.test.ts fuzzes checkpoints and
// test/fuzzCli.test.ts argument lists and the CLI process itself.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleBatch } from '../src/algo/batch.js';
import { type ResolvedOptions, resolveOptions } from '../src/algo/options.js';
import { environmentFromFlags, readJsonFlag } from '../src/cli/environmentFlags.js';
import { readPolicyFlag } from '../src/cli/files.js';
import { parseTransitions } from '../src/envs/checkEnvironment.js';
import type { EnvironmentDescriptor } from '../src/envs/environment.js';
import { environmentConstants } from '../src/envs/environmentSource.js';
import { defaultLqrConfig, type LqrConfig, lqrEnvironment } from '../src/envs/lqr.js';
import { builtInEnvironments } from '../src/envs/registry.js';
import { environmentFromSpec } from '../src/envs/userEnvironment.js';
import { headParameterCount, outputDim } from '../src/policy/head.js';
import { packParameters, policyLayout } from '../src/policy/layout.js';
import { initialPolicy, type PolicyFile, validatePolicy } from '../src/policy/policyFile.js';
import { allFinite, count, fuzzRandom, handled, mutateJson, pick, report, type Tally, tally } from './helpers/fuzz.js';
import { testSeed } from './helpers/seed.js';

// FUZZ_CASES=N runs more (or fewer) cases per kind.
const CASES = Number(process.env.FUZZ_CASES ?? 1500);
const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-fuzz-'));
const example = (name: string) => readFileSync(new URL(`../examples/user-environment/${name}`, import.meta.url), 'utf8');
const vectors = (name: string) =>
  JSON.parse(readFileSync(new URL(`./data/gymnasium-vectors/${name}`, import.meta.url), 'utf8')) as { single: unknown[] };

function policies(): PolicyFile[] {
  const { cartpole, pendulum, lqr } = builtInEnvironments as Record<string, EnvironmentDescriptor>;
  return [
    [cartpole, [3]],
    [pendulum, [2, 2]],
    [lqr, []],
  ].map(([env, hidden]) => {
    const e = env as EnvironmentDescriptor;
    return initialPolicy({
      env: e.name,
      obsDim: e.obsDim,
      action: e.action,
      hidden: hidden as number[],
      activation: 'tanh',
      seed: 7,
    });
  });
}

/** What the GPU will read of an accepted policy is finite float32. */
function usablePolicy(policy: PolicyFile): void {
  const action = policy.action;
  const layout = policyLayout(
    policy.obsDim,
    outputDim(action),
    policy.layers.slice(0, -1).map((l) => l.outDim),
    'tanh',
    headParameterCount(action),
  );
  const packed = packParameters(layout, policy.layers, policy.logStd);
  expect(packed.every(Number.isFinite), 'an accepted policy packs to non-finite float32 values').toBe(true);
}

const tallies: Record<string, Tally> = {};
const kind = (name: string) => {
  tallies[name] = tally();
  return tallies[name];
};
const started = performance.now();

describe('fuzzed input files', () => {
  const random = fuzzRandom(testSeed('fuzz (files)'));

  it('policy files: validatePolicy and the trainer options that load them', () => {
    const t = kind('policy file');
    const bases = policies();
    for (let i = 0; i < CASES; i++) {
      const base = pick(random, bases);
      const input = mutateJson(random, base);
      const names =
        /^policy: ((the file|format|version|env|obsDim|action|logStd|layers)[\w.[\]]* |was trained on|has obsDim|must have the action)/;
      count(
        t,
        handled('validatePolicy', input, names, () => {
          const policy = validatePolicy(input, 'policy');
          usablePolicy(policy);
          resolveOptions({ env: base.env, policy });
        }),
      );
    }
  });

  it('environment specs: environmentFromSpec as --env-spec and createTrainer({ env }) read them', () => {
    const t = kind('environment spec');
    const wgsl = example('point-mass.wgsl');
    const bases = [
      JSON.parse(example('point-mass.json')),
      {
        name: 'corridor',
        obsDim: 8,
        action: { kind: 'categorical', n: 2 },
        horizon: 20,
        rewardThreshold: 5,
        constants: { f32: { GOAL_REWARD: 10 } },
      },
      { ...JSON.parse(example('point-mass.json')), angularState: [0], constants: { u32: { K: [1, 2] }, bool: { FLAG: true } } },
    ];
    for (let i = 0; i < CASES; i++) {
      const input = mutateJson(random, pick(random, bases));
      count(
        t,
        handled('environmentFromSpec', input, /^env-spec[\w.[\]$"-]*: /, () => {
          const env = environmentFromSpec(input, wgsl, 'point-mass.wgsl');
          const constants = environmentConstants(env, true);
          expect(constants, 'an accepted spec makes a non-finite WGSL constant').not.toMatch(/NaN|Infinity/);
          expect(allFinite({ ...env, shader: undefined }), 'an accepted spec holds a non-finite number').toBe(true);
          resolveOptions({ env });
        }),
      );
    }
  });

  it('LQR configurations: the --lqr file (merged with the defaults) and lqrEnvironment()', () => {
    const t = kind('LQR config');
    const bases: Partial<LqrConfig>[] = [
      defaultLqrConfig,
      { A: [1, 0.1, 0.2, 0.9], noiseStd: 0 },
      {
        stateDim: 3,
        actionDim: 2,
        A: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        B: [1, 0, 0, 1, 0.5, 0.5],
        Q: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        R: [1, 0, 0, 1],
      },
    ];
    for (let i = 0; i < CASES; i++) {
      const input = mutateJson(random, pick(random, bases));
      const usable = (env: EnvironmentDescriptor) => {
        expect(environmentConstants(env, true), 'an accepted LQR makes a non-finite WGSL constant').not.toMatch(/NaN|Infinity/);
        expect(Number.isFinite(env.optimalReturn?.(env.horizon)), 'an accepted LQR has a non-finite optimum').toBe(true);
      };
      // In the process, NaN and Infinity as the API may pass them...
      const merged = { ...defaultLqrConfig, ...(input as Partial<LqrConfig>) };
      count(
        t,
        handled('lqrEnvironment', input, /^lqr(\.\w+|\[[^\]]*\]): /, () => usable(lqrEnvironment(merged))),
      );
      // ...and through the CLI's reading of a file (JSON: NaN and Infinity become null).
      const path = join(dir, 'lqr.json');
      writeFileSync(path, JSON.stringify(input) ?? '');
      const flags = { env: 'lqr', envFile: undefined, envSpec: undefined, lqr: path };
      count(
        t,
        handled('--lqr', input, /^--lqr: /, () => usable(environmentFromFlags(flags))),
      );
    }
  });

  it('reference-vector files: parseTransitions and the shape check-env needs', () => {
    const t = kind('vector file');
    const envs = builtInEnvironments as Record<string, EnvironmentDescriptor>;
    const pointMass = { ...JSON.parse(example('point-mass.json')), shader: { source: '' } } as EnvironmentDescriptor;
    const bases: [EnvironmentDescriptor, unknown][] = [
      [envs.cartpole as EnvironmentDescriptor, { single: vectors('CartPole-v1.json').single.slice(0, 3) }],
      [envs.pendulum as EnvironmentDescriptor, { single: vectors('Pendulum-v1.json').single.slice(0, 3) }],
      [pointMass, { single: JSON.parse(example('point-mass-vectors.json')).single.slice(0, 3) }],
    ];
    for (let i = 0; i < CASES; i++) {
      const [env, base] = pick(random, bases);
      const input = mutateJson(random, base);
      const names = /^vectors\.json: ("single"|single\[\d+\](\.\w+)?) /;
      count(
        t,
        handled('parseTransitions', input, names, () => {
          const transitions = parseTransitions(input, 'vectors.json');
          const used = transitions.map(({ state, action, nextState, reward, uniforms }) => [
            state,
            action,
            nextState,
            reward,
            uniforms,
          ]);
          expect(allFinite(used), 'accepted transitions hold a non-finite number').toBe(true);
          parseTransitions(input, 'vectors.json', env);
        }),
      );
    }
  });

  it('batch files: nothing reads them back; given where a policy file goes they are refused, their policy checked', () => {
    const t = kind('batch file');
    const env = builtInEnvironments.cartpole as EnvironmentDescriptor;
    const policy = policies()[0] as PolicyFile;
    const layout = policyLayout(4, 2, [3], 'tanh');
    const words = (n: number, fill = 0) => new Float32Array(n).fill(fill).buffer;
    const episodes = new Uint32Array([2, 0, 0, 0, 3, 0, 0, 0]).buffer;
    const options = { numEnvs: 2, horizon: 3, env, gamma: 1, rewardToGo: true, baseline: 'perTimestep' } as ResolvedOptions;
    const batch = assembleBatch({
      options,
      layout,
      policy,
      observations: words(2 * 3 * 4, 0.25),
      actions: new Uint32Array(6).fill(1).buffer,
      rewards: words(6, 1),
      logProbs: words(6, -0.69),
      advantages: words(6, 0.5),
      episodes,
      gradient: words(layout.param4 * 4, 0.01),
    });
    const path = join(dir, 'batch.json');
    for (let i = 0; i < CASES / 3; i++) {
      const input = mutateJson(random, batch) as { policy?: unknown };
      writeFileSync(path, JSON.stringify(input) ?? '');
      count(
        t,
        handled(
          '--load batch',
          input,
          /^--load: \S+: (the file|format|version|env|obsDim|action|logStd|layers)/,
          () => void readPolicyFlag('load', path),
        ),
      );
      count(
        t,
        handled('batch.policy', input?.policy, /^batch\.policy: /, () => void validatePolicy(input?.policy, 'batch.policy')),
      );
    }
  });

  it('JSON text cut short, a character gone or one too many: the CLI readers refuse it naming the flag', () => {
    const t = kind('JSON text');
    const texts: [string, string][] = [
      ['load', JSON.stringify(policies()[1], null, 2)],
      ['env-spec', example('point-mass.json')],
      ['lqr', JSON.stringify(defaultLqrConfig, null, 1)],
      [
        'vectors',
        example('point-mass-vectors.json')
          .slice(0, 2000)
          .replace(/,\s*\{[^{]*$/, ']}'),
      ],
    ];
    const path = join(dir, 'text.json');
    const wgsl = join(dir, 'env.wgsl');
    writeFileSync(wgsl, example('point-mass.wgsl'));
    const readers: Record<string, () => unknown> = {
      load: () => readPolicyFlag('load', path),
      'env-spec': () => environmentFromFlags({ env: 'user', envFile: wgsl, envSpec: path, lqr: undefined }),
      lqr: () => environmentFromFlags({ env: 'lqr', envFile: undefined, envSpec: undefined, lqr: path }),
      vectors: () => parseTransitions(readJsonFlag('vectors', path), path),
    };
    for (let i = 0; i < CASES / 3; i++) {
      const [flag, text] = pick(random, texts);
      const at = Math.floor(random() * text.length);
      const edit = random();
      const corrupt =
        edit < 0.3
          ? text.slice(0, at)
          : edit < 0.6
            ? text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 8))
            : text.slice(0, at) +
              pick(random, ['{', '}', '[', ']', ',', ':', '"', '\n', '-', 'a', '0', '\u0000']) +
              text.slice(at);
      writeFileSync(path, corrupt);
      const names = new RegExp(`^(--${flag}[: ]|${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: )`);
      count(
        t,
        handled(`--${flag} text`, corrupt, names, () => void (readers[flag] as () => unknown)()),
      );
    }
  });

  it('prints the counts', () => {
    report('fuzz (files)', tallies, (performance.now() - started) / 1000);
    for (const t of Object.values(tallies)) expect(t.accepted + t.refused).toBe(t.cases);
  });
});
