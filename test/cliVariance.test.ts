// `webgpu-reinforce variance` end to end, as a user runs it: on CartPole after two training iterations, a table
// on the terminal and, with --out, the JSON report and the SVG chart beside it; on the LQR with a linear policy,
// JSON lines against the exact gradient (reference kind "exact"), every estimator within 5 of its noise distance
// of it (an unbiasedness check against the closed-form gradient, not a large batch); bad input: one line naming
// the flag, exit code 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../src/policy/policyFile.js';

const CLI = new URL('../bin/webgpu-reinforce.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-variance-'));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'variance', ...args], { encoding: 'utf8', timeout: 240_000 });
  const stderr = result.stderr.split('\n').filter((l) => l.startsWith('webgpu-reinforce'));
  return { code: result.status, stdout: result.stdout, stderr };
}

describe('webgpu-reinforce variance', () => {
  it('CartPole after 2 iterations: a table on the terminal, the JSON report and the SVG chart with --out', () => {
    const out = join(dir, 'cartpole.json');
    const run = cli(
      ...['--iters', '2', '--envs', '64', '--batches', '4', '--hidden', '8', '--baselines', 'none,perTimestep'],
      ...['--reward-to-go', 'on,off', '--reference-envs', '128', '--reference-batches', '2', '--seed', '3', '--out', out],
    );
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^estimator\s+mean \|g\|\s+distance \(noise\)\s+cosine\s+total variance\s+ratio to plain$/);
    for (const label of ['none, reward-to-go', 'none, whole return', 'perTimestep, reward-to-go', 'perTimestep, whole return'])
      expect(lines.some((l) => l.startsWith(label))).toBe(true);
    expect(lines.find((l) => l.startsWith('none, whole return'))).toMatch(/1\.000$/);
    expect(run.stdout).toMatch(/reference: 2 batches of 128 trajectories/);

    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({
      format: 'webgpu-reinforce.variance',
      version: 1,
      env: 'cartpole',
      parameters: 'trained 2 iterations',
      numEnvs: 64,
      batches: 4,
      reference: { kind: 'large batch', numEnvs: 128, batches: 2 },
    });
    expect(report.estimators).toHaveLength(4);
    for (const e of report.estimators) {
      expect(e.totalVariance).toBeGreaterThan(0);
      expect(Number.isFinite(e.distanceToReference) && Number.isFinite(e.cosineToReference)).toBe(true);
    }
    validatePolicy(report.policy);
    const svg = readFileSync(join(dir, 'cartpole.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(5); // the background and one bar per estimator
    expect(svg).toContain('perTimestep, whole return');
    // The parameters are reusable: the report's policy as --policy.
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(report.policy));
  });

  it('LQR, linear policy: --json lines against the exact gradient, every estimator within 5 noise distances of it', () => {
    const run = cli(
      ...['--env', 'lqr', '--hidden', 'none', '--envs', '256', '--batches', '20', '--json'],
      ...['--baselines', 'none,mean,optimal,perTimestepLeaveOneOut'],
    );
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(9);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ done: true, env: 'lqr', parameters: 'initial', reference: { kind: 'exact' } });
    expect(summary.reference.norm).toBeGreaterThan(1);
    const estimators = lines.slice(0, -1);
    expect(estimators.find((e) => e.baseline === 'none' && !e.rewardToGo).varianceRatio).toBe(1);
    for (const e of estimators) {
      const name = `${e.baseline}/${e.rewardToGo ? 'rtg' : 'whole'}: distance ${e.distanceToReference}, noise ${e.noiseDistance}`;
      expect(e.distanceToReference, name).toBeLessThan(5 * e.noiseDistance);
      expect(e.noiseDistance, name).toBeLessThan(0.5 * summary.reference.norm); // the bound says something
      expect(e.cosineToReference, name).toBeGreaterThan(0.9);
    }
    // Reward-to-go and the baselines cut the variance here.
    for (const e of estimators.filter((x) => x.baseline !== 'none' || x.rewardToGo))
      expect(e.varianceRatio, `${e.baseline}/${e.rewardToGo}`).toBeLessThan(1);
  });

  const bad: [string[], RegExp][] = [
    [['--batches', '1'], /^webgpu-reinforce: --batches must be an integer from 2 to 100000, got "1"$/],
    [['--baselines', 'none,best'], /^webgpu-reinforce: --baselines must be a comma-separated list of none, .*got "best"/],
    [['--baselines', 'none,none'], /^webgpu-reinforce: --baselines lists an item twice/],
    [['--reward-to-go', 'maybe'], /^webgpu-reinforce: --reward-to-go must be a comma-separated list of on, off/],
    [['--envs', '0'], /^webgpu-reinforce: --envs must be an integer/],
    [['--reference-envs', 'x'], /^webgpu-reinforce: --reference-envs must be an integer/],
    [['--gamma', '2'], /^webgpu-reinforce: --gamma must be a number in \[0, 1\]/],
    [['--policy', 'p.json', '--iters', '3'], /^webgpu-reinforce: --iters trains a fresh policy first/],
    [['--policy', join(dir, 'missing.json')], /^webgpu-reinforce: --policy: cannot read/],
    [['--out', join(dir, 'no-such-dir', 'v.json')], /^webgpu-reinforce: --out: directory .* does not exist/],
    [['--bogus'], /^webgpu-reinforce: Unknown option '--bogus'/],
  ];
  it.each(bad)('refuses %j with one line and exit code 2', (args, message) => {
    const run = cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('refuses a policy file that does not fit the environment, naming --policy', () => {
    const policy = join(dir, 'policy.json');
    expect(existsSync(policy)).toBe(true);
    const run = cli('--policy', policy, '--env', 'acrobot', '--batches', '2', '--envs', '8');
    expect(run.code).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(/^webgpu-reinforce: --policy: .*cartpole/);
  });
});
