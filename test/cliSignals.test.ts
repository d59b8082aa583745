// How a CLI training run stops early, and what it leaves: SIGINT / SIGTERM (the iteration in flight finished, the
// checkpoint and the policy written, exit 130 / 143, the checkpoint resumable; a second Ctrl-C exits at once and
// leaves no half-written file), a non-finite gradient (one line, the last finite parameters written, exit 1, no NaN
// in any file) and a lost device (one line naming the last checkpoint written, exit 4).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateCheckpoint } from '../src/algo/checkpoint.js';
import { EXIT_DEVICE_LOST, train } from '../src/cli/train.js';
import { parseTrainArgs } from '../src/cli/trainArgs.js';
import { validatePolicy } from '../src/policy/policyFile.js';

const CLI = new URL('../bin/webgpu-reinforce.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-cli-signals-'));

interface Run {
  code: number | null;
  /** The signal the process died of (a second Ctrl-C), if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Every line of stderr, stack traces included (none is expected). */
  stderr: string;
}

/**
 * Runs the CLI; with `signals`, sends the first once the first iteration's line is out and each later one `gap`
 * milliseconds after the one before.
 */
function cli(args: string[], signals: NodeJS.Signals[] = [], gap = 300): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!signalled && signals.length > 0 && /"iter":1\b|^iter +1 /m.test(stdout)) {
        signalled = true;
        signals.forEach((signal, i) => {
          setTimeout(() => child.kill(signal), i * gap);
        });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr: stderr.trim() });
    });
  });
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('webgpu-reinforce train: signals', () => {
  it('SIGINT: finishes the iteration in flight, writes the checkpoint and the policy, exits 130; the run resumes', async () => {
    const checkpoint = join(dir, 'interrupted.json');
    const policy = join(dir, 'interrupted-policy.json');
    const flags = ['--envs', '64', '--hidden', '8', '--target', '100000'];
    const run = await cli(
      ['train', ...flags, '--iters', '100000', '--checkpoint', checkpoint, '--save', policy, '--json'],
      ['SIGINT'],
    );
    expect(run.code, run.stderr).toBe(130);
    const lines = jsonLines(run.stdout);
    const last = lines.at(-1).iter as number;
    expect(lines.every((l) => l.done === undefined)).toBe(true);
    expect(run.stderr).toBe(
      `webgpu-reinforce: SIGINT: stopped after iteration ${last}; checkpoint written to ${checkpoint}, ` +
        `policy written to ${policy} (continue with --resume ${checkpoint})`,
    );
    const stored = validateCheckpoint(JSON.parse(readFileSync(checkpoint, 'utf8')));
    expect(stored.iterations).toBe(last);
    validatePolicy(JSON.parse(readFileSync(policy, 'utf8')));
    const resumed = await cli(['train', '--resume', checkpoint, '--iters', String(last + 1), '--target', '100000', '--json']);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(jsonLines(resumed.stdout).map((l) => l.iter)).toEqual([last + 1, undefined]);
  });

  it('SIGTERM: exits 143, saying that nothing was asked to be written', async () => {
    const run = await cli(['train', '--envs', '64', '--hidden', '8', '--iters', '100000', '--target', '100000'], ['SIGTERM']);
    expect(run.code, run.stderr).toBe(143);
    expect(run.stderr).toMatch(
      /^webgpu-reinforce: SIGTERM: stopped after iteration \d+; nothing written \(no --checkpoint or --save\)$/,
    );
  });

  it('a second SIGINT ends the process at once (by SIGINT: 130 in a shell), leaving no temporary or half-written file', async () => {
    const sub = mkdtempSync(join(dir, 'twice-'));
    const checkpoint = join(sub, 'checkpoint.json');
    const run = await cli(
      ['train', '--envs', '4096', '--hidden', '8', '--iters', '100000', '--target', '100000', '--checkpoint', checkpoint],
      ['SIGINT', 'SIGINT'],
    );
    // The first signal's stop may also have finished before the second arrived: then it exited 130 itself.
    if (run.signal === null) expect(run.code, run.stderr).toBe(130);
    else expect(run.signal).toBe('SIGINT');
    expect(run.stderr).toMatch(
      /^webgpu-reinforce: SIGINT(: stopped after iteration| again: stopped at once; nothing more written)/,
    );
    expect(readdirSync(sub).filter((f) => f !== 'checkpoint.json')).toEqual([]);
    // The first signal's checkpoint is written whole or not at all.
    if (existsSync(checkpoint)) validateCheckpoint(JSON.parse(readFileSync(checkpoint, 'utf8')));
  });
});

describe('webgpu-reinforce train: faults', () => {
  it('a non-finite gradient: the engine line, the last finite parameters written, exit 1, no NaN in any file', async () => {
    const checkpoint = join(dir, 'non-finite.json');
    const policy = join(dir, 'non-finite-policy.json');
    const run = await cli([
      'train',
      '--envs',
      '64',
      '--lr',
      '1e6',
      '--iters',
      '5',
      '--checkpoint',
      checkpoint,
      '--save',
      policy,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      new RegExp(
        '^webgpu-reinforce: iteration 2: the policy gradient is NaN or infinite, .*likely causes: a learning rate too large \\(lr 1000000\\).*' +
          `; checkpoint written to ${checkpoint}; policy written to ${policy}$`,
      ),
    );
    expect(jsonLines(run.stdout).map((l) => l.iter)).toEqual([1]);
    const policyText = readFileSync(policy, 'utf8');
    expect(policyText).not.toMatch(/NaN|null|Infinity/);
    validatePolicy(JSON.parse(policyText));
    validateCheckpoint(JSON.parse(readFileSync(checkpoint, 'utf8')));
  });

  describe('a lost device (in process: the device is destroyed after an iteration, the next one in flight)', () => {
    afterEach(() => vi.restoreAllMocks());

    async function trainLosingDevice(argv: string[], afterIter: number) {
      const errors: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((...parts) => errors.push(parts.join(' ')));
      vi.spyOn(console, 'log').mockImplementation(() => {});
      const code = await train(parseTrainArgs(argv), {
        afterIteration(trainer, stats) {
          if (stats.iter === afterIter) trainer.device.destroy();
        },
      });
      return { code, errors };
    }

    it('exits 4 with one line naming the last checkpoint written; --save is not written', async () => {
      const checkpoint = join(dir, 'lost.json');
      const policy = join(dir, 'lost-policy.json');
      const flags = ['--envs', '64', '--hidden', '8', '--iters', '8', '--json'];
      const { code, errors } = await trainLosingDevice(
        [...flags, '--checkpoint', checkpoint, '--checkpoint-every', '2', '--save', policy],
        3,
      );
      expect(code).toBe(EXIT_DEVICE_LOST);
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^webgpu-reinforce: the GPU device was lost: .*; the last checkpoint written is ${checkpoint} \\(iteration 2\\)$`,
          ),
        ),
      ]);
      expect(validateCheckpoint(JSON.parse(readFileSync(checkpoint, 'utf8'))).iterations).toBe(2);
      expect(existsSync(policy)).toBe(false);

      const without = await trainLosingDevice(flags, 1);
      expect(without.code).toBe(EXIT_DEVICE_LOST);
      expect(without.errors).toEqual([
        expect.stringMatching(/^webgpu-reinforce: the GPU device was lost: .*; no checkpoint was written$/),
      ]);
    });
  });
});
