// Mistakes in a user's WGSL environment (issue #18) are reported with the user's file and line, never at a line of
// the engine's kernel that calls the function: a compile error, a missing function, a wrong signature (argument count,
// argument types, return type), an observation of another size than obsDim says; through createTrainer and
// check-env alike (examples/user-environment/point-mass.wgsl, edited). A `loop {}` with no way out is refused by the
// compiler at its line; a loop whose exit is never taken is not caught by anything (README, "Writing an environment").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEnvironment } from '../src/envs/checkEnvironment.js';
import type { EnvironmentDescriptor } from '../src/envs/environment.js';
import { createTrainer, ReinforceError, type Trainer } from '../src/index.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';

const source = readFileSync(new URL('../examples/user-environment/point-mass.wgsl', import.meta.url), 'utf8');
const spec = JSON.parse(readFileSync(new URL('../examples/user-environment/point-mass.json', import.meta.url), 'utf8'));
const trainers = trainersReleasedAfterAll<Trainer>();

/** The 1-based line of `text` in `wgsl`. */
const lineOf = (wgsl: string, text: string) => {
  const line = wgsl.split('\n').findIndex((l) => l.includes(text)) + 1;
  expect(line, `"${text}" is not in the source`).toBeGreaterThan(0);
  return line;
};

/** The error createTrainer and check-env give for this WGSL (and spec changes): the same, both naming the file. */
async function errors(wgsl: string, change: Record<string, unknown> = {}): Promise<ReinforceError[]> {
  const device = await testDevice();
  const env = { ...spec, ...change, shader: { source: wgsl, fileName: 'point-mass.wgsl' } } as EnvironmentDescriptor;
  const found: ReinforceError[] = [];
  const transition = { state: [0, 0], action: [0], nextState: [0, 0], reward: 0, terminated: false };
  const attempts: (() => Promise<unknown>)[] = [
    async () => trainers.push(await createTrainer({ device, env, numEnvs: 8, hidden: [4] })),
    () => checkEnvironment(device, env, [transition]),
  ];
  for (const attempt of attempts) {
    const error = await Promise.resolve()
      .then(attempt)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error, 'accepted').toBeInstanceOf(ReinforceError);
    found.push(error as ReinforceError);
  }
  return found;
}

describe("a user's WGSL environment", () => {
  const signatureCases: [string, string, string, string][] = [
    [
      'envReset returning another type',
      source.replace(
        'fn envReset(u: vec4f) -> EnvState {\n  return EnvState(2.0 * u.x - 1.0, 0.0);',
        'fn envReset(u: vec4f) -> f32 {\n  return u.x;',
      ),
      'fn envReset(',
      'envReset returns f32; the interface is fn envReset(u: vec4f) -> EnvState',
    ],
    [
      'envReset taking another type',
      source.replace('fn envReset(u: vec4f)', 'fn envReset(u: f32)').replace('2.0 * u.x', '2.0 * u'),
      'fn envReset(',
      "envReset's argument u is f32",
    ],
    [
      'envStep taking the state by value',
      source.replace('fn envStep(s: ptr<function, EnvState>', 'fn envStep(s: EnvState').replace(/\(\*s\)/g, 's'),
      'fn envStep(',
      "envStep's argument s is EnvState; the interface is fn envStep(s: ptr<function, EnvState>",
    ],
    [
      'envStep taking an f32 action',
      source.replace('action: Action', 'action: f32').replace('clipAction(action)[0]', 'action'),
      'fn envStep(',
      "envStep's argument action is f32",
    ],
    [
      'envStep returning the reward alone',
      source.replace(') -> vec2f {', ') -> f32 {').replace('return vec2f(reward, 0.0);', 'return reward;'),
      'fn envStep(',
      'envStep returns f32',
    ],
    [
      'envStep with a fourth argument',
      source.replace('action: Action, u: vec4f)', 'action: Action, u: vec4f, extra: f32)'),
      'fn envStep(',
      'envStep takes 4 arguments; the interface is fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f',
    ],
    [
      'an observation of two vec4s for obsDim 2',
      source.replace(/array<vec4f, OBS4>/g, 'array<vec4f, 2>').replace('0.0, 0.0))', '0.0, 0.0), vec4f())'),
      'fn envObserve(',
      'envObserve returns array<vec4<f32>, 2>; the interface is fn envObserve(s: EnvState) -> array<vec4f, OBS4> (OBS4 = 1 for obsDim 2)',
    ],
  ];
  it.each(signatureCases)('names the line of %s', async (_, wgsl, at, message) => {
    for (const error of await errors(wgsl)) {
      expect(error.code).toBe('ENVIRONMENT');
      expect(error.message).toContain(`environment "point-mass": point-mass.wgsl line ${lineOf(wgsl, at)}: ${message}`);
    }
  });

  it('names a missing function and its signature, and a missing struct', async () => {
    const wgsl = source.replace(/fn envObserve[\s\S]*?\n}\n/, '').replace('struct EnvState', 'struct State');
    for (const error of await errors(wgsl.replace(/EnvState\(/g, 'State(').replace(/EnvState/g, 'State'))) {
      expect(error.code).toBe('ENVIRONMENT');
      expect(error.message).toContain('point-mass.wgsl: struct EnvState { ... } is missing');
      expect(error.message).toContain('point-mass.wgsl: fn envObserve(s: EnvState) -> array<vec4f, OBS4> is missing');
    }
  });

  it('names the line of a compile error, of an observation too short for obsDim, and of a loop with no exit', async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      [source.replace('let reward =', 'let reward = UNKNOWN +'), {}, 'UNKNOWN', "unresolved value 'UNKNOWN'"],
      [source, { obsDim: 6 }, 'return array<vec4f, OBS4>', 'array constructor has too few elements'],
      [source.replace('let force =', 'loop {}\n  let force ='), {}, 'loop {}', 'loop does not exit'],
    ];
    for (const [wgsl, change, at, message] of cases) {
      for (const error of await errors(wgsl, change)) {
        // Bad input (the CLI exits 2), on one line with the line's text.
        expect(error.code).toBe('ENVIRONMENT');
        expect(error.message).not.toMatch(/\n/);
        expect(error.message).toContain(`point-mass.wgsl line ${lineOf(wgsl, at)}: ${message}`);
        expect(error.message).toContain(wgsl.split('\n')[lineOf(wgsl, at) - 1]?.trim());
      }
    }
  });

  it('accepts the interface spelled with vec4<f32>, an alias or u32 for a categorical Action', async () => {
    const device = await testDevice();
    // vec4<f32> for vec4f, and an alias for the observation's array: the same types.
    const wgsl = source
      .replace('fn envReset(u: vec4f)', 'fn envReset(u: vec4<f32>)')
      .replace(') -> vec2f {', ') -> vec2<f32> {')
      .replace(
        'fn envObserve(s: EnvState) -> array<vec4f, OBS4>',
        'alias Obs = array<vec4f, OBS4>;\nfn envObserve(s: EnvState) -> Obs',
      );
    const pointMass = { ...spec, shader: { source: wgsl, fileName: 'point-mass.wgsl' } } as EnvironmentDescriptor;
    trainers.push(await createTrainer({ device, env: pointMass, numEnvs: 8, hidden: [4] }));
    // The categorical action spelled u32.
    const corridor = readFileSync(new URL('./envs/corridor.wgsl', import.meta.url), 'utf8').replace(
      'action: Action',
      'action: u32',
    );
    const env = { name: 'corridor', obsDim: 8, action: { kind: 'categorical', n: 2 }, horizon: 20 } as const;
    const shader = { source: corridor, fileName: 'corridor.wgsl' };
    trainers.push(await createTrainer({ device, env: { ...env, shader, constants: { f32: { GOAL_REWARD: 10 } } }, numEnvs: 8 }));
  });
});
