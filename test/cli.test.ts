import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../src/algo/batch.js';
import { validatePolicy } from '../src/policy/policyFile.js';
import { cli } from './helpers/cli.js';
import { relativeL2 } from './helpers/gpu.js';
import { addLogProbGradient, flatten, zeroGradient } from './reference/mlp.js';

const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-cli-'));

describe('webgpu-reinforce train / eval', () => {
  it('trains with --json, saves the policy, dumps the first batch, and eval reads the policy back', () => {
    const policyPath = join(dir, 'policy.json');
    const batchPath = join(dir, 'batch.json');
    const run = cli(
      'train',
      '--envs',
      '96',
      '--hidden',
      '8,8',
      '--iters',
      '3',
      '--seed',
      '4',
      '--json',
      '--save',
      policyPath,
      '--dump-batch',
      batchPath,
      '--target',
      '1000',
    );
    expect(run.code).toBe(1); // the target was not reached
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const [i, line] of lines.slice(0, 3).entries()) {
      expect(Object.keys(line)).toEqual([
        'iter',
        'envSteps',
        'meanReturn',
        'minReturn',
        'maxReturn',
        'meanLength',
        'gradNorm',
        'entropy',
        'pseudoLoss',
        'seconds',
        'stepsPerSecond',
      ]);
      expect(line.iter).toBe(i + 1);
    }
    expect(lines[3]).toMatchObject({ done: true, solved: false, iters: 3 });
    expect(Object.keys(lines[3])).toEqual(['done', 'solved', 'iters', 'seconds', 'meanReturn', 'adapter']);

    const policy = validatePolicy(JSON.parse(readFileSync(policyPath, 'utf8')));
    expect(policy.layers.map((l) => [l.inDim, l.outDim, l.activation])).toEqual([
      [4, 8, 'tanh'],
      [8, 8, 'tanh'],
      [8, 2, 'linear'],
    ]);

    const batch = JSON.parse(readFileSync(batchPath, 'utf8')) as Batch;
    expect(batch).toMatchObject({
      format: 'webgpu-reinforce.batch',
      version: 1,
      env: 'cartpole',
      numEnvs: 96,
      horizon: 500,
      gamma: 1,
      rewardToGo: true,
      baseline: 'perTimestepLeaveOneOut',
    });
    const gradient = zeroGradient(batch.policy);
    for (let s = 0; s < batch.numEnvs * batch.horizon; s++) {
      if (batch.valid[s])
        addLogProbGradient(
          batch.policy,
          batch.obs.slice(s * 4, s * 4 + 4),
          batch.actions[s]!,
          batch.advantages[s]! / batch.numEnvs,
          gradient,
        );
    }
    expect(relativeL2(flatten(batch.gradient), flatten(gradient))).toBeLessThan(1e-4);
    expect(lines[0].envSteps).toBe(batch.valid.reduce((a, v) => a + v, 0));

    const evaluation = cli('eval', '--policy', policyPath, '--episodes', '64', '--json');
    expect(evaluation.code).toBe(0);
    expect(JSON.parse(evaluation.stdout.trim())).toMatchObject({ env: 'cartpole', episodes: 64 });
  });

  const bad: [string[], RegExp][] = [
    [['train', '--envs', '0'], /--envs must be an integer from 1 to/],
    [['train', '--envs', 'many'], /--envs must be an integer/],
    [['train', '--lr', '0'], /--lr must be a number > 0/],
    [['train', '--hidden', '64,x'], /--hidden must be comma-separated layer widths/],
    [['train', '--env', 'pong'], /--env must be one of cartpole/],
    [['train', '--baseline', 'best'], /--baseline must be one of none, mean, perTimestep, optimal/],
    [['train', '--gamma', '2'], /--gamma must be a number in \[0, 1\]/],
    [['train', '--frobnicate'], /Unknown option '--frobnicate'/],
    // A negative number is a value; a flag where a value belongs is a missing value.
    [['train', '--iters', '-1'], /--iters must be an integer from 1 to 1000000, got "-1"/],
    [['train', '--target', '-100', '--iters', '-1'], /--iters must be an integer from 1 to 1000000, got "-1"/],
    [['train', '--env', 'pendulum', '--log-std', '-0.5', '--lr', '-1e-3'], /--lr must be a number > 0, got "-1e-3"/],
    [['train', '--lr', '--seed', '3'], /^webgpu-reinforce: --lr needs a value, got the flag "--seed"$/],
    [['train', '--seed', '3', '--lr'], /^webgpu-reinforce: --lr needs a value$/],
    [['train', '--save', '-p.json'], /--save needs a value, got "-p.json" \(a value starting with a dash: --save=-p.json\)/],
    [['eval', '--policy', 'p.json', '--episodes', '-5'], /--episodes must be an integer from 1 to/],
    // --resume keeps the checkpoint's settings.
    [['train', '--resume', 'c.json', '--lr', '0.1'], /^webgpu-reinforce: --lr: a resumed run keeps the checkpoint's settings$/],
    [['train', '--resume', 'c.json', '--hidden', '8'], /--hidden: a resumed run keeps the checkpoint's settings/],
    [['train', '--resume', 'c.json', '--reuse', '2'], /--reuse: a resumed run keeps the checkpoint's settings/],
    [['train', '--resume', '/nonexistent/c.json'], /--resume: cannot read "\/nonexistent\/c.json"/],
    [['train', '--checkpoint-every', '5'], /--checkpoint-every needs --checkpoint FILE/],
    [['train', '--checkpoint', 'c.json', '--checkpoint-every', '0'], /--checkpoint-every must be an integer from 1 to/],
    [['train', '--checkpoint', '/nonexistent/dir/c.json'], /--checkpoint: directory "\/nonexistent\/dir" does not exist/],
    [['train', '--load', '/nonexistent/policy.json'], /--load: cannot read/],
    [['train', '--save', '/nonexistent/dir/policy.json'], /--save: directory "\/nonexistent\/dir" does not exist/],
    [['eval'], /--policy is required/],
    [['fly'], /unknown command "fly"/],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(' ')} with exit code 2`, () => {
      const run = cli(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.split('\n')).toHaveLength(1);
    });
  }

  it('refuses corrupt and mismatched policy files without writing --save', () => {
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "webgpu-reinforce.policy", "version": 1, "env": "cartpole", "obsDim": 4');
    const save = join(dir, 'never-written.json');
    const run = cli('train', '--load', corrupt, '--save', save);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--load: .* is not valid JSON/);
    expect(existsSync(save)).toBe(false);
    const mismatched = join(dir, 'mismatched.json');
    writeFileSync(
      mismatched,
      JSON.stringify({
        format: 'webgpu-reinforce.policy',
        version: 1,
        env: 'cartpole',
        obsDim: 3,
        action: { kind: 'categorical', n: 2 },
        layers: [],
      }),
    );
    const second = cli('eval', '--policy', mismatched);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/--policy: .*layers must be a non-empty array/);
  });
});

const VECTORS = new URL('./data/gymnasium-vectors/', import.meta.url).pathname;
const EXAMPLE = new URL('../examples/user-environment/', import.meta.url).pathname;

describe('webgpu-reinforce with other environments', () => {
  it('check-env: --json report, exit 0 on Gymnasium 1.4.0 Acrobot transitions, exit 1 on a mismatch', () => {
    const run = cli('check-env', '--env', 'acrobot', '--vectors', join(VECTORS, 'Acrobot-v1.json'), '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim());
    expect(Object.keys(report).sort()).toEqual([
      'env',
      'maxRewardError',
      'maxStateError',
      'ok',
      'terminatedMismatches',
      'transitions',
    ]);
    expect(report).toMatchObject({ env: 'acrobot', transitions: 200, terminatedMismatches: 0, ok: true });

    const vectors = JSON.parse(readFileSync(join(VECTORS, 'Pendulum-v1.json'), 'utf8'));
    vectors.single[7].reward += 0.01;
    const wrong = join(dir, 'pendulum-wrong.json');
    writeFileSync(wrong, JSON.stringify(vectors));
    const mismatch = cli('check-env', '--env', 'pendulum', '--vectors', wrong, '--json');
    expect(mismatch.code).toBe(1);
    expect(JSON.parse(mismatch.stdout.trim())).toMatchObject({ ok: false, terminatedMismatches: 0 });
  });

  it('a user environment: check-env against its own vectors, then train (the shipped example)', () => {
    const flags = ['--env-file', join(EXAMPLE, 'point-mass.wgsl'), '--env-spec', join(EXAMPLE, 'point-mass.json')];
    const check = cli('check-env', ...flags, '--vectors', join(EXAMPLE, 'point-mass-vectors.json'), '--json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout.trim())).toMatchObject({ env: 'point-mass', transitions: 50, ok: true });
    const train = cli('train', ...flags, '--envs', '64', '--iters', '2', '--json');
    expect(train.code).toBe(0);
    const lines = train.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ done: true, iters: 2 });
  });

  it('lqr: the final line carries the Riccati optimum and the greedy policy return', () => {
    const run = cli('train', '--env', 'lqr', '--hidden', 'none', '--envs', '256', '--iters', '2', '--log-std=-1', '--json');
    expect(run.code).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    expect(last.optimalReturn).toBeCloseTo(-13.1312, 3);
    expect(last.deterministicReturn).toBeLessThan(last.optimalReturn);
  });

  it('refuses bad environment flags with one line naming the flag and exit code 2', () => {
    const spec = join(dir, 'bad-spec.json');
    writeFileSync(spec, JSON.stringify({ name: 'x', obsDim: 0, action: { kind: 'categorical', n: 2 }, horizon: 10 }));
    const cases: [string[], string][] = [
      [
        ['train', '--env', 'walker'],
        '--env must be one of cartpole, cartpole-pomdp, acrobot, pendulum, mountaincar-continuous, lqr',
      ],
      [['train', '--env-file', join(EXAMPLE, 'point-mass.wgsl')], '--env-file and --env-spec go together'],
      [
        ['train', '--env-file', join(EXAMPLE, 'point-mass.wgsl'), '--env-spec', spec],
        '--env-spec: env-spec.obsDim: must be an integer from 1 to 256',
      ],
      [['train', '--env', 'cartpole', '--lqr', spec], '--lqr (an LQR configuration file) needs --env lqr'],
      [['train', '--env', 'lqr', '--lqr', spec], '--lqr: "name" is not an LQR field'],
      [['check-env', '--env', 'cartpole'], '--vectors is required'],
      [['check-env', '--env', 'cartpole', '--vectors', spec], '"single" must be a non-empty array'],
      [['train', '--env', 'pendulum', '--log-std', '9'], '--log-std must be a number in [-10, 5]'],
    ];
    for (const [args, message] of cases) {
      const run = cli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
