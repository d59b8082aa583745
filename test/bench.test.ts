// The benchmark's own contracts: widened starting policies act exactly as the trained one,
// `npm run bench -- --json` ends with the one-line summary scripts read (a tiny Node-only run here; the
// full suite, with Chromium and every peer, is `npm run bench`), the A/B section, and the bench kit for machines
// without npm (`npm run bench:kit`) running from an empty folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AbResult } from '../bench/ab.js';
import type { CeilingResult } from '../bench/ceiling.js';
import { benchPolicy } from '../bench/policies.js';
import type { ScalingResult } from '../bench/scaling.js';
import { backwardFlops, forwardFlops } from '../bench/workload.js';
import { seededRandom } from './helpers/gpu.js';
import { forward } from './reference/mlp.js';

describe('benchmark starting policies', () => {
  it.each([128, 256])('64x64 padded to %i units per layer gives the same logits (float64, 1e-12)', (width) => {
    const trained = benchPolicy([64, 64]).policy;
    const wide = benchPolicy([width, width]).policy;
    expect(wide.layers.map((l) => [l.inDim, l.outDim])).toEqual([
      [4, width],
      [width, width],
      [width, 2],
    ]);
    const random = seededRandom(width);
    for (let n = 0; n < 50; n++) {
      const observation = [0, 0, 0, 0].map(() => 0.2 * (2 * random() - 1));
      const expected = forward(trained, observation).activations.at(-1) as number[];
      const actual = forward(wide, observation).activations.at(-1) as number[];
      for (const [k, z] of actual.entries()) expect(Math.abs(z - (expected[k] as number))).toBeLessThan(1e-12);
    }
  });

  it('names the widths it has no policy for', () => {
    expect(() => benchPolicy([48])).toThrow(/no starting policy for hidden 48/);
  });
});

/** The parts of a run's result file these tests read (bench/run.ts writes it). */
interface WrittenResult {
  ceiling: { node?: CeilingResult };
  scaling: ScalingResult;
  ab?: AbResult;
}

/** Runs `npm run bench` in Node (no browser) with `args`, writing into a fresh folder: its last printed line and the
 *  result file it wrote. */
function runBench(args: string[]): { lastLine: string; result: WrittenResult } {
  const out = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const stdout = execFileSync(
      process.execPath,
      ['bin/run-ts.js', 'bench/run.ts', ...args, '--reps', '1', '--skip-browser', '--out', out],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 240_000 },
    );
    const [file] = readdirSync(out).filter((f) => f.endsWith('.json'));
    return {
      lastLine: stdout.trim().split('\n').at(-1) as string,
      result: JSON.parse(readFileSync(join(out, file as string), 'utf8')),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('npm run bench -- --json', () => {
  it('prints {adapter, machine, workloads:[{env,numEnvs,hidden,phase,engine,peers}]} as its last line', () => {
    const { lastLine } = runBench(['--json', '--sections', 'compare', '--envs', '32', '--slice', '5', '--peers', 'cpu-ts']);
    const summary = JSON.parse(lastLine);
    expect(typeof summary.adapter).toBe('string');
    expect(typeof summary.machine).toBe('string');
    expect(summary.dawnToggles).toEqual([]);
    expect(summary.workloads.map((w: { phase: string }) => w.phase)).toEqual(['rollout', 'train']);
    for (const w of summary.workloads) {
      expect(w).toMatchObject({ env: 'cartpole', numEnvs: 32, hidden: [64, 64] });
      expect(w.engine.stepsPerSecond).toBeGreaterThan(0);
      expect(w.peers['cpu-ts'].stepsPerSecond).toBeGreaterThan(0);
    }
  });
});

describe('bench FLOP counts', () => {
  it('count what the kernels compute at 64x64: forward 8,960; backward 26,368, or 18,176 with the hidden rows kept', () => {
    expect(forwardFlops([64, 64])).toBe(2 * (4 * 64 + 64 * 64 + 64 * 2));
    expect(backwardFlops([64, 64], false)).toBe(8960 + (8960 - 512) + 8960);
    expect(backwardFlops([64, 64], true)).toBe(512 + 256 + (8960 - 512) + 8960);
    // One hidden layer: nothing is kept, the forward pass is computed whole.
    expect(backwardFlops([32], true)).toBe(backwardFlops([32], false));
  });
});

describe('npm run bench -- --no-robustness', () => {
  it('labels its summary with the Dawn toggle it set for every WebGPU device (the engine runs with it)', () => {
    const args = ['--json', '--no-robustness', '--sections', 'compare', '--envs', '32', '--slice', '5', '--peers', 'cpu-ts'];
    const summary = JSON.parse(runBench(args).lastLine);
    expect(summary.dawnToggles).toEqual(['disable_robustness']);
    for (const w of summary.workloads) expect(w.engine.stepsPerSecond).toBeGreaterThan(0);
  });
});

describe('npm run bench -- --sections ceiling,scaling', () => {
  it('re-measures the ceiling next to every scaling row and writes it with the row', () => {
    const sizes = [
      '--ceiling-size',
      '64',
      '--scaling-envs',
      '16',
      '--scaling-horizon',
      '5',
      '--widths',
      '32',
      '--width-envs',
      '16',
    ];
    const { ceiling, scaling } = runBench(['--sections', 'ceiling,scaling', ...sizes]).result;
    expect(ceiling.node?.gflops).toBeGreaterThan(0);
    const rows = [...scaling.envs, ...scaling.widths];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.ceilingGflops).toBeGreaterThan(0);
      expect(typeof row.kernelShape.storeActivations).toBe('boolean');
    }
  });
});

describe('npm run bench -- --sections ab', () => {
  it('times the defaults and a kernel-option variant in interleaved rounds and writes both shapes and the ratios', () => {
    const args = ['--sections', 'ab', '--ab', '{"samplesPerInvocation":1}', '--envs', '32', '--slice', '5', '--ab-rounds', '2'];
    const ab = runBench(args).result.ab as AbResult;
    expect(ab.variant).toEqual({ samplesPerInvocation: 1 });
    expect(ab.kernelShapes.b.samplesPerInvocation).toBe(1);
    expect(ab.rounds.map((r: { first: string }) => r.first)).toEqual(['A', 'B']);
    for (const r of ab.rounds) expect(r.b.trainStepsPerSecond).toBeGreaterThan(0);
    expect(ab.trainRatio).toBeGreaterThan(0);
    expect(Number.isFinite(ab.rolloutRatio)).toBe(true);
  });

  it('refuses options that would change what is computed', () => {
    const run = () =>
      execFileSync(process.execPath, ['bin/run-ts.js', 'bench/run.ts', '--sections', 'ab', '--ab', '{"lr":1}'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(run).toThrow(
      /"lr" is not one of samplesPerInvocation, subgroupWeightSharing, laneGradients, privateWeights, storeActivations, envsPerGroup/,
    );
  });
});

describe('npm run bench:kit', () => {
  it('builds a kit whose bench runs outside the repository, without its node_modules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-kit-'));
    try {
      const kit = join(dir, 'kit');
      execFileSync(process.execPath, ['scripts/benchKit.mjs', '--out', kit], { stdio: 'ignore', timeout: 120_000 });
      const args = ['--json', '--sections', 'compare', '--envs', '32', '--slice', '5', '--reps', '1'];
      const stdout = execFileSync('bash', [join(kit, 'bench.sh'), ...args, '--peers', 'cpu-ts,jax-js-wasm', '--out', dir], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 240_000,
      });
      const summary = JSON.parse(stdout.trim().split('\n').at(-1) as string);
      expect(summary.workloads.map((w: { phase: string }) => w.phase)).toEqual(['rollout', 'train']);
      for (const w of summary.workloads) {
        expect(w.engine.stepsPerSecond).toBeGreaterThan(0);
        expect(w.peers['cpu-ts'].stepsPerSecond).toBeGreaterThan(0);
        expect(w.peers['jax-js-wasm'].stepsPerSecond).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
