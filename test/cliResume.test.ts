import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCheckpoint } from '../src/algo/checkpoint.js';
import { cli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-cli-'));

/** The JSON lines of a run, the per-iteration ones without their clock fields (seconds, stepsPerSecond). */
function iterationLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => !l.done)
    .map(({ seconds: _s, stepsPerSecond: _r, ...rest }) => rest);
}

describe('webgpu-reinforce train --checkpoint / --resume', () => {
  // The run stopped at 3 and resumed to 6 prints the uninterrupted run's statistics, bit for bit.
  const settings: [string, string[]][] = [
    ['on-policy', []],
    ['off-policy (--reuse 2 --epochs 2)', ['--reuse', '2', '--epochs', '2']],
  ];
  for (const [name, flags] of settings) {
    it(`${name}: a run checkpointed at iteration 3 and resumed to 6 prints the 6-iteration run's statistics`, () => {
      const base = ['train', '--envs', '64', '--hidden', '8', '--seed', '3', ...flags, '--json'];
      const whole = cli(...base, '--iters', '6');
      expect(whole.code, whole.stderr).toBe(1); // CartPole's 475 not reached
      const checkpoint = join(dir, `resume-${flags.length}.json`);
      const first = cli(...base, '--iters', '3', '--checkpoint', checkpoint);
      expect(first.code, first.stderr).toBe(1);
      const stored = validateCheckpoint(JSON.parse(readFileSync(checkpoint, 'utf8')));
      expect(stored.iterations).toBe(3);
      const second = cli('train', '--resume', checkpoint, '--iters', '6', '--json');
      expect(second.code, second.stderr).toBe(1);
      const expected = iterationLines(whole.stdout);
      expect(expected).toHaveLength(6);
      expect([...iterationLines(first.stdout), ...iterationLines(second.stdout)]).toEqual(expected);
      if (flags.length > 0) for (const line of expected) expect(line).toHaveProperty('essFraction');
      // --iters at the checkpoint's count: nothing more to train, exit 0.
      const nothing = cli('train', '--resume', checkpoint, '--iters', '3', '--json');
      expect(nothing.code).toBe(0);
      expect(JSON.parse(nothing.stdout.trim())).toMatchObject({ done: true, iters: 3, meanReturn: null });
    });
  }

  it('--json prints every statistic: an off-policy run carries ess, essFraction, maxWeight, truncatedFraction', () => {
    const run = cli('train', '--envs', '64', '--hidden', '8', '--iters', '2', '--reuse', '2', '--epochs', '2', '--json');
    const lines = iterationLines(run.stdout);
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['ess', 'essFraction', 'maxWeight', 'truncatedFraction']));
  });

  it('checkpoint every K iterations; a bad or mismatched checkpoint is one line naming --resume, the file and the field', () => {
    const checkpoint = join(dir, 'every.json');
    const run = cli(
      'train',
      '--envs',
      '64',
      '--hidden',
      '8',
      '--iters',
      '3',
      '--checkpoint',
      checkpoint,
      '--checkpoint-every',
      '2',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`checkpoint written to ${checkpoint}`);
    const stored = JSON.parse(readFileSync(checkpoint, 'utf8'));
    expect(stored.iterations).toBe(3);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ ...stored, version: 99 }, [], 'version: this version of webgpu-reinforce reads checkpoint version 1'],
      [{ ...stored, trainState: {} }, [], 'trainState: must be'],
      [stored, ['--env', 'acrobot'], `env.name: the checkpoint's run trained "cartpole", not "acrobot"`],
      [{ ...stored, buffers: { ...stored.buffers, policyParams: 'AAAA' } }, [], 'buffers.policyParams: holds 3 bytes'],
    ];
    for (const [content, flags, message] of cases) {
      const bad = join(dir, 'bad-checkpoint.json');
      writeFileSync(bad, JSON.stringify(content));
      const refused = cli('train', '--resume', bad, ...flags);
      expect(refused.code, message).toBe(2);
      expect(refused.stderr).toContain(`webgpu-reinforce: --resume ${bad}: ${message}`);
      expect(refused.stderr.split('\n')).toHaveLength(1);
    }
  });

  it('--load names the flag and the file when the policy does not fit the environment', () => {
    const policy = (obsDim: number, n: number) => ({
      format: 'webgpu-reinforce.policy',
      version: 1,
      env: 'cartpole',
      obsDim,
      action: { kind: 'categorical', n },
      layers: [
        { inDim: obsDim, outDim: n, activation: 'linear', weight: new Array(obsDim * n).fill(0), bias: new Array(n).fill(0) },
      ],
    });
    const cases: [unknown, string][] = [
      [policy(3, 2), 'obsDim is 3, cartpole needs 4'],
      [policy(4, 3), 'its action is 3 discrete actions, cartpole needs 2 discrete actions'],
      [{ ...policy(4, 2), env: 'acrobot' }, 'trained on "acrobot", not on cartpole'],
    ];
    for (const [content, message] of cases) {
      const file = join(dir, 'bad-obsdim.json');
      writeFileSync(file, JSON.stringify(content));
      const run = cli('train', '--load', file);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`webgpu-reinforce: --load ${file}: ${message}`);
    }
  });
});
