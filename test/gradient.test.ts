// The policy gradient, log-probabilities, per-trajectory ||g(tau)||^2 and one Adam step, against float64
// references on a batch the engine really sampled (fresh seed each run). The gradient must satisfy
// relative L2 error <= 1e-4 against (1/N) sum_i sum_t grad log pi(a_it|s_it) A_it computed in float64.
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../src/index.js';
import { packParameters } from '../src/policy/layout.js';
import { nanFilled, relativeL2, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { addLogProbGradient, flatten, logProb, zeroGradient } from './reference/mlp.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = (Date.now() % 100000) + 1;

describe.each([
  { hidden: [16, 8], activation: 'tanh' as const, baseline: 'perTimestep' as const, numEnvs: 64 },
  { hidden: [12], activation: 'relu' as const, baseline: 'optimal' as const, numEnvs: 50 },
])('gradient of a sampled batch: hidden $hidden $activation, baseline $baseline', ({ hidden, activation, baseline, numEnvs }) => {
  it('log-probs, advantages-weighted gradient and Adam step match float64', async () => {
    const device = await testDevice();
    const trainer = await createTrainer({ device, numEnvs, hidden, activation, baseline, seed, maxGradNorm: 5, lr: 0.01 });
    trainers.push(trainer);
    // Outputs poisoned: anything the kernels fail to write shows up as NaN.
    for (const name of ['observations', 'logProbs', 'advantages', 'partialGradients', 'gradient', 'trajectoryGradSq']) {
      trainer.writeRaw(name, nanFilled((await trainer.readRaw(name)).byteLength));
    }
    const momentsBefore = new Float32Array(await trainer.readRaw('adamMoments'));
    await trainer.step({ captureBatch: true });
    const batch = await trainer.readBatch();
    const { policy } = batch;
    const T = batch.horizon;
    const obsDim = policy.obsDim;

    // log pi(a|s): float32 forward on the GPU vs float64, absolute error <= 1e-5 (log-probs are O(1)).
    let maxLogProbError = 0;
    const gradient = zeroGradient(policy);
    const trajectoryGrad = new Array(numEnvs).fill(0).map(() => zeroGradient(policy));
    for (let i = 0; i < numEnvs; i++) {
      for (let t = 0; t < T; t++) {
        const s = i * T + t;
        if (!batch.valid[s]) continue;
        const obs = batch.obs.slice(s * obsDim, (s + 1) * obsDim);
        const a = batch.actions[s] as number;
        maxLogProbError = Math.max(maxLogProbError, Math.abs(logProb(policy, obs, a) - (batch.logProbs[s] as number)));
        addLogProbGradient(policy, obs, a, (batch.advantages[s] as number) / numEnvs, gradient);
        addLogProbGradient(policy, obs, a, 1, trajectoryGrad[i]!);
      }
    }
    expect(maxLogProbError).toBeLessThan(1e-5);
    const expected = flatten(gradient);
    const actual = flatten(batch.gradient.layers);
    expect(actual.every(Number.isFinite)).toBe(true);
    expect(relativeL2(actual, expected)).toBeLessThan(1e-4);

    if (baseline === 'optimal') {
      const gradSq = new Float32Array(await trainer.readRaw('trajectoryGradSq'));
      const expectedSq = trajectoryGrad.map((g) => flatten(g).reduce((a, x) => a + x * x, 0));
      expect(relativeL2(Array.from(gradSq.subarray(0, numEnvs)), expectedSq)).toBeLessThan(1e-4);
    }

    // One Adam step (step count 1, clipped to maxGradNorm 5), theta += lr * m_hat / (sqrt(v_hat) + eps).
    const o = trainer.options;
    const norm = Math.sqrt(actual.reduce((a, x) => a + x * x, 0));
    const scale = norm > o.maxGradNorm ? o.maxGradNorm / norm : 1;
    const before = packParameters(trainer.layout, policy.layers);
    const gradPacked = packParameters(trainer.layout, batch.gradient.layers);
    const after = packParameters(trainer.layout, (await trainer.readPolicy()).layers);
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
});
