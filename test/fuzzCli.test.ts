// Bad input, systematically (issue #18), on the command line: thousands of argument lists (random flag names,
// missing values, garbage numbers, duplicates, stray tokens) through parseTrainArgs / parseEvalArgs /
// parseCheckEnvArgs in the process; then a sample through the real CLI (`node bin/webgpu-reinforce.js`, a timeout per
// case) with mutated argument lists and mutated input files (policy, spec, LQR, vectors, batch, checkpoint): the exit
// code is 0, 1 or 2; on 2, stderr is one line naming the flag and no file was written; no stack trace, ever.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCheckpoint } from '../src/algo/checkpoint.js';
import { parseCheckEnvArgs, parseEvalArgs } from '../src/cli/args.js';
import { parseTrainArgs } from '../src/cli/trainArgs.js';
import { createTrainer } from '../src/index.js';
import { initialPolicy, validatePolicy } from '../src/policy/policyFile.js';
import {
  allFinite,
  count,
  fuzzRandom,
  handled,
  mutateJson,
  pick,
  type Random,
  report,
  type Tally,
  tally,
} from './helpers/fuzz.js';
import { testDevice } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

// FUZZ_CASES=N runs more (or fewer) argument lists per command; FUZZ_CLI_CASES=M more (or fewer) CLI processes.
const CASES = Number(process.env.FUZZ_CASES ?? 1500);
const PROCESSES = Number(process.env.FUZZ_CLI_CASES ?? 32);
const CLI = new URL('../bin/webgpu-reinforce.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-fuzz-cli-'));
const example = (name: string) => new URL(`../examples/user-environment/${name}`, import.meta.url).pathname;

const ENVIRONMENT_FLAGS = ['--env', '--env-file', '--env-spec', '--lqr'];
const FLAGS: Record<string, string[]> = {
  train: [
    ...ENVIRONMENT_FLAGS,
    ...['--envs', '--hidden', '--activation', '--lr', '--seed', '--iters', '--target', '--baseline', '--no-reward-to-go'],
    ...['--gamma', '--normalize-advantages', '--max-grad-norm', '--json', '--save', '--load', '--dump-batch', '--log-std'],
    ...['--fixed-std', '--epochs', '--reuse', '--is', '--is-clip', '--is-self-normalize', '--checkpoint', '--checkpoint-every'],
    '--resume',
  ],
  eval: [...ENVIRONMENT_FLAGS, '--policy', '--episodes', '--seed', '--deterministic', '--json'],
  'check-env': [...ENVIRONMENT_FLAGS, '--vectors', '--json'],
};
const ODD_FLAGS = ['--foo', '--ENVS', '-e', '-', '--', '---envs', '--no-json', '--json=1', '--envs=', '--lr=abc', '-h', '--help'];
const ODD_ARGS = [
  ...['-1', '0', '1', '2', '1.5', '1e3', '1e999', 'NaN', 'Infinity', '-Infinity', '0x10', '', ' ', 'abc', '--', '-'],
  ...['4294967296', '99999999999', '1,2', '8,,8', 'two\nlines', '-0', '+1', '.5', '5.', '1_000', 'none', 'tanh', 'relu'],
  ...['cartpole', 'lqr', 'pendulum', 'mean', 'ratio', 'x.json', '/nonexistent/dir/x.json', '-1e-3', '\uff13'],
];
const PARSERS: Record<string, (argv: string[]) => unknown> = {
  train: parseTrainArgs,
  eval: parseEvalArgs,
  'check-env': parseCheckEnvArgs,
};
const BASES: Record<string, string[]> = {
  train: ['--env', 'cartpole', '--envs', '16', '--hidden', '4', '--iters', '1'],
  eval: ['--policy', 'p.json', '--episodes', '16'],
  'check-env': ['--env', 'cartpole', '--vectors', 'v.json'],
};
/** A refusal names a flag (or the stray argument or option it did not expect, or the command). */
const namesFlag = /(^|[\s'"(])--?[A-Za-z]|argument|command|option '/;

/** 1 to 3 edits: a token dropped (a value gone missing), a flag inserted, a value replaced, a pair repeated, two swapped. */
function mutateArgv(random: Random, base: string[], flags: string[]): string[] {
  const argv = [...base];
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (argv.length + 1));
    const kind = Math.floor(random() * 6);
    if (kind === 0 && argv.length > 0) argv.splice(Math.min(at, argv.length - 1), 1);
    else if (kind === 1) {
      const flag = random() < 0.8 ? pick(random, flags) : pick(random, ODD_FLAGS);
      argv.splice(at, 0, ...(random() < 0.7 ? [flag, pick(random, ODD_ARGS)] : [flag]));
    } else if (kind === 2 && argv.length > 0) argv[Math.min(at, argv.length - 1)] = pick(random, ODD_ARGS);
    else if (kind === 3 && argv.length > 1) {
      const i = 2 * Math.floor(random() * Math.floor(argv.length / 2));
      argv.push(argv[i] as string, argv[i + 1] as string);
    } else if (kind === 4 && argv.length > 1) {
      const i = Math.min(at, argv.length - 2);
      [argv[i], argv[i + 1]] = [argv[i + 1] as string, argv[i] as string];
    } else argv.push(pick(random, ODD_ARGS));
  }
  return argv;
}

/** A mutated command line that, if it parses, runs briefly: at most 64 environments or episodes, 3 iterations, 64 units. */
function cheapMutation(random: Random, argv: string[]): string[] {
  const [command, ...rest] = argv as [string, ...string[]];
  for (;;) {
    const mutated = mutateArgv(random, rest, FLAGS[command] as string[]);
    let parsed: Record<string, unknown>;
    try {
      parsed = (PARSERS[command] as (argv: string[]) => Record<string, unknown>)(mutated);
    } catch {
      return mutated;
    }
    const size = (key: string) => (parsed[key] as number | undefined) ?? 0;
    const units = ((parsed.hidden as number[] | undefined) ?? []).reduce((a, b) => a + b, 0);
    if (size('envs') <= 64 && size('episodes') <= 64 && size('iters') <= 3 && units <= 64) return mutated;
  }
}

describe('fuzzed command lines', () => {
  const random = fuzzRandom(testSeed('fuzz (command lines)'));

  it('argument lists: parsed, or refused in one line naming the flag', () => {
    const started = performance.now();
    const tallies: Record<string, Tally> = {};
    for (const command of Object.keys(PARSERS)) {
      const t = tally();
      tallies[`${command} arguments`] = t;
      for (let i = 0; i < CASES; i++) {
        const argv = mutateArgv(random, BASES[command] as string[], FLAGS[command] as string[]);
        const run = () => expect(allFinite((PARSERS[command] as (argv: string[]) => unknown)(argv))).toBe(true);
        count(t, handled(`${command} ${JSON.stringify(argv)}`, argv, namesFlag, run));
      }
    }
    report('fuzz (command lines)', tallies, (performance.now() - started) / 1000);
  });

  it('through the CLI process: exit 0, 1 or 2; on 2 one line and no file written; never a stack trace', async () => {
    const started = performance.now();
    const inputs = join(dir, 'inputs');
    mkdirSync(inputs);
    const policy = initialPolicy({
      env: 'cartpole',
      obsDim: 4,
      action: { kind: 'categorical', n: 2 },
      hidden: [4],
      activation: 'tanh',
      seed: 3,
    });
    const trainer = await createTrainer({ device: await testDevice(), numEnvs: 16, hidden: [4], horizon: 20 });
    await trainer.step();
    const checkpoint = JSON.parse(JSON.stringify(await trainer.readCheckpoint()));
    trainer.destroy();
    const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
    const vectors = read(new URL('./data/gymnasium-vectors/CartPole-v1.json', import.meta.url).pathname).single.slice(0, 3);
    const batch = { format: 'webgpu-reinforce.batch', version: 1, env: 'cartpole', numEnvs: 1, horizon: 1, policy };
    const small = ['--envs', '16', '--hidden', '4', '--iters', '1', '--target', '1000'];
    // Each kind: a valid file to mutate (or none), and the command line that reads it (IN: the file; OUT: the outputs).
    const kinds: { name: string; file?: unknown; argv: string[] }[] = [
      { name: 'train arguments', argv: ['train', ...small, '--save', 'OUT/p.json', '--dump-batch', 'OUT/b.json'] },
      { name: 'eval arguments', argv: ['eval', '--policy', 'IN', '--episodes', '16'], file: policy },
      {
        name: '--load policy',
        argv: ['train', '--envs', '16', '--iters', '1', '--load', 'IN', '--save', 'OUT/p.json'],
        file: policy,
      },
      {
        name: '--env-spec',
        argv: ['train', ...small, '--env-file', example('point-mass.wgsl'), '--env-spec', 'IN'],
        file: read(example('point-mass.json')),
      },
      {
        name: '--lqr',
        argv: ['train', ...small, '--env', 'lqr', '--lqr', 'IN', '--save', 'OUT/p.json'],
        file: { A: [1, 0.1, 0, 1] },
      },
      { name: '--vectors', argv: ['check-env', '--env', 'cartpole', '--vectors', 'IN'], file: { single: vectors } },
      { name: '--load batch', argv: ['train', ...small, '--load', 'IN', '--save', 'OUT/p.json'], file: batch },
      { name: '--resume', argv: ['train', '--resume', 'IN', '--iters', '2', '--checkpoint', 'OUT/c.json'], file: checkpoint },
    ];
    const tallies: Record<string, Tally> = {};
    for (let i = 0; i < PROCESSES; i++) {
      const kind = kinds[i % kinds.length] as (typeof kinds)[number];
      const out = join(dir, `case-${i}`);
      mkdirSync(out);
      const input = join(inputs, `case-${i}.json`);
      let argv = kind.argv;
      // The first case as it stands (it trains and writes both files): the refusals are the mutations'.
      if (kind.file === undefined) {
        if (i > 0) argv = [argv[0] as string, ...cheapMutation(random, argv)];
      } else {
        // A mutated file, or (one case in four) its text cut short or with a character removed: JSON that does not parse.
        const text = JSON.stringify(mutateJson(random, kind.file), null, 1) ?? '';
        const cut = Math.floor(random() * text.length);
        writeFileSync(input, random() < 0.25 ? text.slice(0, cut) + text.slice(cut + 1 + Math.floor(random() * 40)) : text);
      }
      argv = argv.map((a) => (a === 'IN' ? input : a.replace(/^OUT\//, `${out}/`)));
      // In the case's own folder: a relative path among the mutations writes there, where it is checked.
      const result = spawnSync(process.execPath, [CLI, ...argv], { cwd: out, encoding: 'utf8', timeout: 120_000 });
      const where = `${kind.name} case ${i}: webgpu-reinforce ${JSON.stringify(argv)} (input ${input})\n${result.stderr}`;
      expect(result.error, where).toBeUndefined(); // a timeout (a hang) shows here
      expect([0, 1, 2], where).toContain(result.status);
      expect(result.stderr, where).not.toMatch(/^\s+at /m);
      tallies[kind.name] ??= tally();
      const t = tallies[kind.name] as Tally;
      if (result.status === 2) {
        expect(result.stderr.trimEnd().split('\n'), where).toHaveLength(1);
        expect(result.stderr, where).toMatch(/^webgpu-reinforce: /);
        // The flag, or the line of the user's WGSL that does not compile with the spec given.
        expect(result.stderr.slice('webgpu-reinforce: '.length), where).toMatch(
          new RegExp(`${namesFlag.source}|\\.wgsl line \\d+: `),
        );
        expect(readdirSync(out), where).toEqual([]);
        count(t, 'refused');
      } else {
        const written = readdirSync(out);
        expect(
          written.filter((f) => f.endsWith('.tmp')),
          where,
        ).toEqual([]);
        if (written.includes('p.json')) validatePolicy(read(join(out, 'p.json')));
        if (written.includes('c.json')) validateCheckpoint(read(join(out, 'c.json')));
        if (written.includes('b.json')) expect(read(join(out, 'b.json')).format).toBe('webgpu-reinforce.batch');
        if (i === 0) expect(written.sort(), where).toEqual(['b.json', 'p.json']);
        count(t, 'accepted');
      }
    }
    report('fuzz (CLI processes)', tallies, (performance.now() - started) / 1000);
  });
});
