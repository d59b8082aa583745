// The policy gradient, log-probabilities, per-trajectory ||g(tau)||^2 and one Adam step, against float64
// references on a batch the engine really sampled (fresh seed each run), for the categorical head (CartPole)
// and the Gaussian head (Pendulum with learned log-stds, the LQR with a linear policy and fixed log-stds).
// The gradient must satisfy relative L2 error <= 1e-4 against (1/N) sum_i sum_t grad log pi(a_it|s_it) A_it
// computed in float64; log-probabilities agree to 1e-5 absolute (Gaussian: 1e-5 * max(1, |log pi|)).
// Over 300 lines on purpose: one suite, one reference (test/reference/mlp.ts), many cases of one claim.
import { describe, expect, it } from 'vitest';
import { createTrainerWithPlan } from '../src/algo/createTrainer.js';
import { UNROLLED_MAX_PARAM4 } from '../src/algo/kernelPlan.js';
import { readTrainerBuffer, runKernel, writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import type { Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import { isSoftwareDevice, nanFilled, relativeL2, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { addLogProbGradient, flatten, logProb, zeroGradient } from './reference/mlp.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = testSeed('gradient.test.ts');

// samplesPerInvocation: the CPU shape (2 samples per backward invocation) and the GPU shape (1), whatever the adapter;
// with 2, weight blocks shared across a subgroup where the device allows it (the default on SwiftShader) and, in one
// case, loaded by every invocation for itself. storeActivations: the backward pass
// reads the hidden rows the rollout kept (the default on SwiftShader with two or more hidden layers) or recomputes
// them (false), for both sample shapes and three hidden layers. laneGradients: each backward invocation adds its
// samples into its own copy of the gradient (shaders/cpu/laneGradients.wgsl: the default on SwiftShader where it fits)
// or the workgroup shares the gradient's weight blocks (false: backward.wgsl, the GPU default), for both sample
// shapes, both heads and the binary search over 7 trajectories per workgroup. privateWeights: the rollout's paired
// forward pass from a private copy of the weights (the default on SwiftShader with pairs; its log-probs are checked
// below) or from the buffer (false).
interface GradientCase {
  env: string;
  hidden: number[];
  activation: 'tanh' | 'relu';
  baseline: 'mean' | 'perTimestep' | 'optimal';
  numEnvs: number;
  samplesPerInvocation?: 1 | 2;
  subgroupWeightSharing?: boolean;
  storeActivations?: boolean;
  laneGradients?: boolean;
  privateWeights?: boolean;
  envsPerGroup?: number;
  logStd?: number;
  learnLogStd?: boolean;
}
// A linear policy (no hidden layer) with fixed log-stds.
const lqrCase: GradientCase = {
  env: 'lqr',
  hidden: [] as number[],
  activation: 'tanh' as const,
  baseline: 'mean' as const,
  numEnvs: 40,
  logStd: 0.2,
  learnLogStd: false,
};
const cases: GradientCase[] = [
  { env: 'cartpole', hidden: [16, 8], activation: 'tanh' as const, baseline: 'perTimestep' as const, numEnvs: 64 },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'perTimestep' as const,
    numEnvs: 64,
    laneGradients: false,
    privateWeights: false,
  },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'mean' as const,
    numEnvs: 31,
    samplesPerInvocation: 1 as const,
    laneGradients: true,
  },
  {
    env: 'pendulum',
    hidden: [8],
    activation: 'tanh' as const,
    baseline: 'mean' as const,
    numEnvs: 24,
    logStd: -0.3,
    laneGradients: false,
  },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'mean' as const,
    numEnvs: 29,
    envsPerGroup: 7,
    laneGradients: false,
  },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'optimal' as const,
    numEnvs: 33,
    samplesPerInvocation: 1 as const,
  },
  { env: 'cartpole', hidden: [12], activation: 'relu' as const, baseline: 'optimal' as const, numEnvs: 50 },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'optimal' as const,
    numEnvs: 45,
    subgroupWeightSharing: false,
  },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'perTimestep' as const,
    numEnvs: 40,
    storeActivations: false,
  },
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'relu' as const,
    baseline: 'optimal' as const,
    numEnvs: 35,
    samplesPerInvocation: 1 as const,
    storeActivations: false,
  },
  // Kept rows asked for, so that a GPU runs them too (pairs here, one sample per invocation in the relu case below).
  {
    env: 'pendulum',
    hidden: [16, 12, 8],
    activation: 'tanh' as const,
    baseline: 'mean' as const,
    numEnvs: 26,
    storeActivations: true,
    laneGradients: true,
  },
  // 7 trajectories per backward workgroup: the binary search for each sample's trajectory over a non-power of two.
  {
    env: 'cartpole',
    hidden: [16, 8],
    activation: 'tanh' as const,
    baseline: 'optimal' as const,
    numEnvs: 29,
    envsPerGroup: 7,
  },
  {
    env: 'cartpole',
    hidden: [16, 12, 8],
    activation: 'relu' as const,
    baseline: 'optimal' as const,
    numEnvs: 30,
    samplesPerInvocation: 1 as const,
    storeActivations: true,
  },
  // Wide layers: more backward invocations than samples per tile share the weight blocks (backwardShape).
  { env: 'cartpole', hidden: [128, 128], activation: 'tanh' as const, baseline: 'optimal' as const, numEnvs: 20 },
  { env: 'pendulum', hidden: [8], activation: 'tanh' as const, baseline: 'optimal' as const, numEnvs: 24, logStd: -0.3 },
  lqrCase,
];

const labelled = cases.map((c) => ({
  ...c,
  shape:
    `${c.samplesPerInvocation ?? 2} per invocation${c.subgroupWeightSharing === false ? ', per-invocation weight loads' : ''}` +
    (c.storeActivations === false ? ', hidden rows recomputed' : '') +
    (c.laneGradients === undefined ? '' : c.laneGradients ? ', gradient copy per invocation' : ', shared weight blocks') +
    (c.privateWeights === false ? ', rollout weights from the buffer' : '') +
    (c.envsPerGroup ? `, ${c.envsPerGroup} trajectories per workgroup` : ''),
}));

describe.each(labelled)(
  'gradient of a sampled batch: $env, hidden $hidden $activation, baseline $baseline, samples $shape',
  (c) => {
    const { hidden, activation, baseline, numEnvs } = c;
    it('log-probs, advantages-weighted gradient and Adam step match float64', async () => {
      const device = await testDevice();
      const learnLogStd = c.learnLogStd ?? true;
      const trainer = await createTrainerWithPlan(
        {
          device,
          env: c.env,
          numEnvs,
          hidden,
          activation,
          baseline,
          seed,
          maxGradNorm: 5,
          lr: 0.01,
          logStd: c.logStd,
          learnLogStd,
        },
        {
          samplesPerInvocation: c.samplesPerInvocation ?? 2,
          subgroupWeightSharing: c.subgroupWeightSharing,
          storeActivations: c.storeActivations,
          laneGradients: c.laneGradients,
          privateWeights: c.privateWeights,
          envsPerGroup: c.envsPerGroup,
        },
      );
      trainers.push(trainer);
      const plan = trainer.plan;
      // Per-invocation gradient copies: asked for, or the default on a software adapter wherever they fit (the
      // 128-unit layers' gradient does not fit 32 KiB of workgroup memory).
      const copies = c.laneGradients ?? Math.max(0, ...hidden) <= 64;
      if (c.laneGradients !== undefined || (await isSoftwareDevice())) expect(plan.laneGradients).toBe(copies);
      // The rollout's private weight copy: asked for, or the default on a software adapter with pairs, same size bound.
      const privateCopy =
        c.privateWeights ?? ((c.samplesPerInvocation ?? 2) === 2 && trainer.layout.param4 <= UNROLLED_MAX_PARAM4);
      if (c.privateWeights !== undefined || (await isSoftwareDevice())) expect(plan.privateWeights).toBe(privateCopy);
      // Kept hidden rows: asked for, or the default on a software adapter wherever they can be used.
      const keeps = hidden.length >= 2 && c.storeActivations !== false;
      if (c.storeActivations === true || (await isSoftwareDevice())) expect(plan.storeActivations).toBe(keeps);
      // The default CPU shape shares weight loads across the subgroup where the device allows (SwiftShader does).
      const shares = (c.samplesPerInvocation ?? 2) === 2 && c.subgroupWeightSharing !== false;
      if (shares && (await isSoftwareDevice()) && device.features.has('subgroups')) {
        expect(plan.subgroupWeightSharing).toBe(true);
      }
      if (!shares) expect(plan.subgroupWeightSharing).toBe(false);
      // Outputs poisoned: anything the kernels fail to write shows up as NaN.
      for (const name of [
        'observations',
        'storedActivations',
        'logProbs',
        'advantages',
        'partialGradients',
        'gradient',
        'trajectoryGradSq',
      ]) {
        writeTrainerBuffer(trainer, name, nanFilled((await readTrainerBuffer(trainer, name)).byteLength));
      }
      const momentsBefore = new Float32Array(await readTrainerBuffer(trainer, 'adamMoments'));
      await trainer.step({ captureBatch: true });
      const batch = await trainer.readBatch();
      const { policy } = batch;
      const T = batch.horizon;
      const obsDim = policy.obsDim;
      const dim = policy.action.kind === 'gaussian' ? policy.action.dim : 1;
      const actionAt = (s: number) =>
        policy.action.kind === 'categorical' ? (batch.actions[s] as number) : batch.actions.slice(s * dim, (s + 1) * dim);

      // log pi(a|s): float32 forward on the GPU vs float64, absolute error <= 1e-5 (log-probs are O(1)).
      let maxLogProbError = 0;
      const gradient = zeroGradient(policy);
      const trajectoryGrad = new Array(numEnvs).fill(0).map(() => zeroGradient(policy));
      for (let i = 0; i < numEnvs; i++) {
        for (let t = 0; t < T; t++) {
          const s = i * T + t;
          if (!batch.valid[s]) continue;
          const obs = batch.obs.slice(s * obsDim, (s + 1) * obsDim);
          const a = actionAt(s);
          const expectedLogProb = logProb(policy, obs, a);
          const error = Math.abs(expectedLogProb - (batch.logProbs[s] as number)) / Math.max(1, Math.abs(expectedLogProb));
          maxLogProbError = Math.max(maxLogProbError, error);
          addLogProbGradient(policy, obs, a, (batch.advantages[s] as number) / numEnvs, gradient, learnLogStd);
          addLogProbGradient(policy, obs, a, 1, trajectoryGrad[i]!, learnLogStd);
        }
      }
      expect(maxLogProbError).toBeLessThan(1e-5);
      const expected = flatten(gradient);
      const actual = flatten(batch.gradient);
      expect(actual.every(Number.isFinite)).toBe(true);
      expect(relativeL2(actual, expected)).toBeLessThan(1e-4);

      if (baseline === 'optimal') {
        const gradSq = new Float32Array(await readTrainerBuffer(trainer, 'trajectoryGradSq'));
        const expectedSq = trajectoryGrad.map((g) => flatten(g).reduce((a, x) => a + x * x, 0));
        expect(relativeL2(Array.from(gradSq.subarray(0, numEnvs)), expectedSq)).toBeLessThan(1e-4);
        if (trainer.options.rewardToGo) {
          // ||G_i +- H_i||^2, H_i = sum_t grad log pi R_it, and b* = sum <G_i, H_i> / sum ||G_i||^2 (the minimiser for
          // reward-to-go). b* subtracts two float32 squares: relative error <= 1e-3 of sum |G_i| |H_i| / sum ||G_i||^2.
          const returns = new Float32Array(await readTrainerBuffer(trainer, 'returns'));
          const H = new Array(numEnvs).fill(0).map(() => zeroGradient(policy));
          for (let i = 0; i < numEnvs; i++)
            for (let t = 0; t < T; t++) {
              const s = i * T + t;
              if (batch.valid[s])
                addLogProbGradient(
                  policy,
                  batch.obs.slice(s * obsDim, (s + 1) * obsDim),
                  actionAt(s),
                  returns[s] as number,
                  H[i]!,
                  learnLogStd,
                );
            }
          const G = trajectoryGrad.map((g) => flatten(g));
          const Hf = H.map((h) => flatten(h));
          const square = (i: number, sign: number) => G[i]!.reduce((a, g, k) => a + (g + sign * Hf[i]![k]!) ** 2, 0);
          const plus = G.map((_, i) => square(i, 1));
          const minus = G.map((_, i) => square(i, -1));
          expect(relativeL2(Array.from(gradSq.subarray(numEnvs, 2 * numEnvs)), plus)).toBeLessThan(1e-4);
          expect(relativeL2(Array.from(gradSq.subarray(2 * numEnvs, 3 * numEnvs)), minus)).toBeLessThan(1e-4);
          const dot = (i: number) => G[i]!.reduce((a, g, k) => a + g * Hf[i]![k]!, 0);
          const norm = (v: number[]) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
          const denominator = expectedSq.reduce((a, x) => a + x, 0);
          const bStar = G.reduce((a, _, i) => a + dot(i), 0) / denominator;
          const scale = G.reduce((a, g, i) => a + norm(g) * norm(Hf[i]!), 0) / denominator;
          const gpuBaseline = new Float32Array(await readTrainerBuffer(trainer, 'baseline'))[0] as number;
          expect(Math.abs(gpuBaseline - bStar)).toBeLessThanOrEqual(1e-3 * scale);
        }
      }

      // One Adam step (step count 1, clipped to maxGradNorm 5), theta += lr * m_hat / (sqrt(v_hat) + eps).
      const o = trainer.options;
      const norm = Math.sqrt(actual.reduce((a, x) => a + x * x, 0));
      const scale = norm > o.maxGradNorm ? o.maxGradNorm / norm : 1;
      const before = packParameters(trainer.layout, policy.layers, policy.logStd);
      const gradPacked = packParameters(trainer.layout, batch.gradient.layers, batch.gradient.logStd);
      const updated = await trainer.readPolicy();
      const after = packParameters(trainer.layout, updated.layers, updated.logStd);
      if (!learnLogStd) expect(updated.logStd).toEqual(policy.logStd);
      const P = before.length;
      const expectedAfter = Array.from(before, (theta, q) => {
        const g = (gradPacked[q] as number) * scale;
        const m = o.beta1 * (momentsBefore[q] as number) + (1 - o.beta1) * g;
        const v = o.beta2 * (momentsBefore[P + q] as number) + (1 - o.beta2) * g * g;
        return theta + (o.lr * (m / (1 - o.beta1))) / (Math.sqrt(v / (1 - o.beta2)) + o.epsilon);
      });
      const step = expectedAfter.map((x, q) => x - (before[q] as number));
      const actualStep = Array.from(after, (x, q) => x - (before[q] as number));
      expect(relativeL2(actualStep, step)).toBeLessThan(1e-3);
    });
  },
);

// The gradient is the same whether the backward pass reads the kept rows or recomputes them, so the tests above
// cannot tell which it did: here the kept rows are replaced after a step and the backward pass run again alone.
describe('kept hidden activations (storeActivations)', () => {
  it('are what the backward pass reads: replacing them changes the gradient, restoring them restores it', async () => {
    const device = await testDevice();
    // lr 1e-12: the Adam step is far below float32 resolution, so the parameters that sampled the rows stay.
    const trainer = await createTrainerWithPlan(
      { device, env: 'cartpole', numEnvs: 32, hidden: [16, 8], seed, lr: 1e-12 },
      { storeActivations: true },
    );
    trainers.push(trainer);
    await trainer.step();
    const partials = Math.ceil(32 / trainer.plan.envsPerGroup);
    const backward = async () => {
      await runKernel(trainer, 'backwardGradient', partials);
      return new Float32Array(await readTrainerBuffer(trainer, 'partialGradients'));
    };
    const kept = new Float32Array(await readTrainerBuffer(trainer, 'storedActivations'));
    const reference = await backward();
    writeTrainerBuffer(trainer, 'storedActivations', new Float32Array(kept.length).fill(0.5));
    expect(relativeL2(Array.from(await backward()), Array.from(reference))).toBeGreaterThan(1e-2);
    writeTrainerBuffer(trainer, 'storedActivations', kept);
    expect(Array.from(await backward())).toEqual(Array.from(reference));
  });

  it('are kept by training rollouts only: an evaluation writes none', async () => {
    const device = await testDevice();
    const trainer = await createTrainerWithPlan(
      { device, env: 'cartpole', numEnvs: 8, hidden: [16, 8], seed },
      { storeActivations: true },
    );
    trainers.push(trainer);
    const bytes = (await readTrainerBuffer(trainer, 'storedActivations')).byteLength;
    writeTrainerBuffer(trainer, 'storedActivations', nanFilled(bytes));
    await trainer.evaluate();
    expect(new Float32Array(await readTrainerBuffer(trainer, 'storedActivations')).every(Number.isNaN)).toBe(true);
    await trainer.step();
    // Sample 0 of environment 0 (step 0 of every episode is valid): its kept rows are written.
    expect(Array.from(new Float32Array(await readTrainerBuffer(trainer, 'storedActivations'), 0, 8)).some(Number.isNaN)).toBe(
      false,
    );
  });
});
