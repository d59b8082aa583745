// advantage.wgsl: each baseline, the advantages and their normalisation, against float64 loops on fresh random
// returns, lengths and squared gradient norms. Outputs poisoned with NaN before each run.
import { describe, expect, it } from 'vitest';
import { readTrainerBuffer, runKernel, writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import { type BaselineKind, createTrainer, type Trainer } from '../src/index.js';
import { nanFilled, seededRandom, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

const T = 29;
const trainers = trainersReleasedAfterAll<Trainer>();

async function run(baseline: BaselineKind, rewardToGo: boolean, normalize: boolean, N: number) {
  const device = await testDevice();
  const trainer = await createTrainer({
    device,
    numEnvs: N,
    horizon: T,
    baseline,
    rewardToGo,
    normalizeAdvantages: normalize,
    hidden: [4],
  });
  trainers.push(trainer);
  const random = seededRandom(testSeed('advantage.test.ts'));
  const lengths = Array.from({ length: N }, (_, i) => (i === 0 ? T : 1 + Math.floor(random() * T)));
  const fullReturn = lengths.map(() => (random() - 0.4) * 50);
  const returns = new Float32Array(N * T);
  lengths.forEach((length, i) => {
    for (let t = 0; t < length; t++) returns[i * T + t] = rewardToGo ? (random() - 0.4) * 50 : (fullReturn[i] as number);
    if (rewardToGo) returns[i * T] = fullReturn[i] as number;
  });
  // ||G_i||^2, then ||G_i + H_i||^2 and ||G_i - H_i||^2 (the optimal baseline with reward-to-go reads all three).
  const gradSq = new Float32Array(3 * N).map(() => random() * 10);
  const episodes = new ArrayBuffer(N * 16);
  lengths.forEach((length, i) => {
    new Uint32Array(episodes, i * 16, 1)[0] = length;
    new Float32Array(episodes, i * 16 + 4, 3).set([0, 0, fullReturn[i] as number]);
  });
  writeTrainerBuffer(trainer, 'returns', returns);
  writeTrainerBuffer(trainer, 'episodes', new Uint8Array(episodes));
  writeTrainerBuffer(trainer, 'trajectoryGradSq', gradSq);
  writeTrainerBuffer(trainer, 'advantages', nanFilled(N * T * 4));
  writeTrainerBuffer(trainer, 'advantageMoments', nanFilled(16));
  if (baseline === 'none') writeTrainerBuffer(trainer, 'baseline', new Float32Array(T));
  else writeTrainerBuffer(trainer, 'baseline', nanFilled((2 * T + 2 + N) * 4));
  if (baseline === 'mean' || baseline === 'meanLeaveOneOut') await runKernel(trainer, 'meanBaseline', 1);
  // The plan reduces with a workgroup per time step from PER_TIMESTEP_WORKGROUP_MIN_ENVS environments (N 2100 below).
  const perTimestep = trainer.plan.perTimestepWorkgroups ? 'perTimestepBaseline' : 'perTimestepBaselineByStep';
  if (baseline === 'perTimestep' || baseline === 'perTimestepLeaveOneOut') await runKernel(trainer, perTimestep, 1);
  if (baseline === 'optimal') await runKernel(trainer, 'optimalBaseline', 1);
  await runKernel(trainer, 'advantage', Math.ceil((N * T) / 64));
  if (normalize) {
    await runKernel(trainer, 'reduceAdvantageMoments', 1);
    await runKernel(trainer, 'normalizeAdvantage', Math.ceil((N * T) / 64));
  }
  const gpuBaseline = new Float32Array(await readTrainerBuffer(trainer, 'baseline'));
  const advantages = new Float32Array(await readTrainerBuffer(trainer, 'advantages'));
  return { lengths, fullReturn, returns, gradSq, gpuBaseline, advantages };
}

function expectedBaseline(kind: BaselineKind, rewardToGo: boolean, r: Awaited<ReturnType<typeof run>>): number[] {
  const { lengths, fullReturn, returns, gradSq } = r;
  const N = lengths.length;
  const valid = (i: number, t: number) => t < (lengths[i] as number);
  if (kind === 'none') return new Array(T).fill(0);
  if (kind === 'mean') {
    if (!rewardToGo) return new Array(T).fill(fullReturn.reduce((a, b) => a + b, 0) / N);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < N; i++)
      for (let t = 0; t < T; t++)
        if (valid(i, t)) {
          sum += returns[i * T + t] as number;
          count++;
        }
    return new Array(T).fill(sum / count);
  }
  if (kind === 'optimal') {
    // b* = E[||G||^2 r(tau)] / E[||G||^2]; with reward-to-go E[<G, H>] / E[||G||^2], <G, H> = (||G+H||^2 - ||G-H||^2) / 4
    let num = 0;
    let den = 0;
    for (let i = 0; i < N; i++) {
      const cross = rewardToGo
        ? ((gradSq[N + i] as number) - (gradSq[2 * N + i] as number)) / 4
        : (gradSq[i] as number) * (fullReturn[i] as number);
      num += cross;
      den += gradSq[i] as number;
    }
    return new Array(T).fill(num / den);
  }
  return Array.from({ length: T }, (_, t) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < N; i++)
      if (valid(i, t)) {
        sum += returns[i * T + t] as number;
        count++;
      }
    return count ? sum / count : 0;
  });
}

/** The baseline of sample (i, t): b_t, or for the leave-one-out forms the mean over the other trajectories. */
function expectedSampleBaseline(kind: BaselineKind, rewardToGo: boolean, r: Awaited<ReturnType<typeof run>>) {
  const { lengths, fullReturn, returns } = r;
  const N = lengths.length;
  const valid = (i: number, t: number) => t < (lengths[i] as number);
  if (kind === 'perTimestepLeaveOneOut') {
    return (i: number, t: number) => {
      let sum = 0;
      let count = 0;
      for (let j = 0; j < N; j++)
        if (j !== i && valid(j, t)) {
          sum += returns[j * T + t] as number;
          count++;
        }
      return count ? sum / count : 0;
    };
  }
  if (kind === 'meanLeaveOneOut') {
    const own = lengths.map((length, j) => {
      if (!rewardToGo) return [fullReturn[j] as number, 1];
      let sum = 0;
      for (let t = 0; t < length; t++) sum += returns[j * T + t] as number;
      return [sum, length];
    });
    const total = own.reduce(
      (a, [sum, count]) => [(a[0] as number) + (sum as number), (a[1] as number) + (count as number)],
      [0, 0],
    );
    return (i: number) => {
      const [sum, count] = own[i] as number[];
      const others = (total[1] as number) - (count as number);
      return others > 0 ? ((total[0] as number) - (sum as number)) / others : 0;
    };
  }
  const b = expectedBaseline(kind, rewardToGo, r);
  return (_i: number, t: number) => b[t] as number;
}

describe('baselines and advantages', () => {
  // N 2100: past PER_TIMESTEP_WORKGROUP_MIN_ENVS, the per-timestep baseline's workgroup-per-step kernel.
  const cases: [BaselineKind, boolean, boolean, number][] = [
    ['none', true, false, 37],
    ['mean', false, false, 37],
    ['mean', true, false, 37],
    ['perTimestep', true, false, 37],
    ['perTimestep', true, false, 2100],
    ['optimal', false, false, 37],
    ['optimal', true, true, 37],
    ['perTimestep', true, true, 37],
    ['meanLeaveOneOut', false, false, 37],
    ['meanLeaveOneOut', true, false, 37],
    ['perTimestepLeaveOneOut', true, false, 37],
    ['perTimestepLeaveOneOut', true, false, 2100],
    ['perTimestepLeaveOneOut', false, true, 37],
  ];
  for (const [kind, rewardToGo, normalize, N] of cases) {
    it(`${kind} baseline, rewardToGo ${rewardToGo}, normalize ${normalize}, N ${N}: relative error <= 1e-5`, async () => {
      const r = await run(kind, rewardToGo, normalize, N);
      if (!kind.endsWith('LeaveOneOut')) {
        const b = expectedBaseline(kind, rewardToGo, r);
        // Relative to the scale of the returns (|R| < 50 here).
        for (let t = 0; t < T; t++) expect(Math.abs((r.gpuBaseline[t] as number) - (b[t] as number)) / 50).toBeLessThan(1e-5);
      }
      const baselineOf = expectedSampleBaseline(kind, rewardToGo, r);
      let expected: number[] = [];
      for (let i = 0; i < N; i++)
        for (let t = 0; t < T; t++)
          expected.push(t < (r.lengths[i] as number) ? (r.returns[i * T + t] as number) - baselineOf(i, t) : 0);
      if (normalize) {
        const validValues = expected.filter((_, s) => s % T < (r.lengths[Math.floor(s / T)] as number));
        const mean = validValues.reduce((a, x) => a + x, 0) / validValues.length;
        const std = Math.sqrt(validValues.reduce((a, x) => a + (x - mean) ** 2, 0) / validValues.length);
        expected = expected.map((x, s) => (s % T < (r.lengths[Math.floor(s / T)] as number) ? (x - mean) / (std + 1e-8) : 0));
      }
      const scale = Math.max(...expected.map(Math.abs), 1);
      expected.forEach((x, s) => {
        expect(Math.abs((r.advantages[s] as number) - x) / scale).toBeLessThan(1e-5);
      });
    });
  }
});
