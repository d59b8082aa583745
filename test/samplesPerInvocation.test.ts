// The CPU kernel shape (two environments per rollout invocation, two samples per backward invocation; weight blocks
// loaded by each invocation, or shared across a subgroup) and the GPU shape (one) run the same algorithm on the same
// random numbers: the same seed must give the same episodes (lengths and discrete actions exactly, floats to 1e-6)
// and, up to float32 summation order, the same gradient (optimal baseline: the per-trajectory ||g||^2 pass is paired
// too), for a categorical and a Gaussian policy and an odd N (the last rollout invocation has one environment, and
// the rest of its subgroup none). Subgroup sharing hands every invocation the same weights it would have loaded
// itself, so it must match the per-invocation loads exactly.
import { describe, expect, it } from 'vitest';
import { createTrainerWithPlan } from '../src/algo/createTrainer.js';
import type { Trainer } from '../src/index.js';
import { isSoftwareDevice, relativeL2, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { flatten } from './reference/mlp.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const seed = testSeed('samplesPerInvocation.test.ts');

const cases = [
  { env: 'cartpole', hidden: [16, 8], numEnvs: 37 },
  { env: 'pendulum', hidden: [12], numEnvs: 21 },
];

describe.each(cases)('samples per invocation 1 and 2 agree: $env, N $numEnvs', (c) => {
  it(`same episodes and gradient (seed ${seed})`, async () => {
    const device = await testDevice();
    const batches = [];
    // The third shape shares weight loads wherever the host allows it (src/algo/kernelPlan.ts subgroupWeightSharing): on
    // SwiftShader, which has subgroups, it must; elsewhere it may fall back to per-invocation loads. The fourth runs
    // the paired rollout from a private copy of the weights (privateWeights; the default on SwiftShader), the second
    // and third from the buffer.
    const shapes = [
      { samplesPerInvocation: 1, subgroupWeightSharing: false },
      { samplesPerInvocation: 2, subgroupWeightSharing: false, privateWeights: false },
      { samplesPerInvocation: 2, subgroupWeightSharing: undefined, privateWeights: false },
      { samplesPerInvocation: 2, privateWeights: true },
    ] as const;
    let shares = false;
    for (const shape of shapes) {
      const trainer = await createTrainerWithPlan({ device, ...c, seed, baseline: 'optimal' }, shape);
      trainers.push(trainer);
      expect(trainer.plan.samplesPerInvocation).toBe(shape.samplesPerInvocation);
      shares = trainer.plan.subgroupWeightSharing;
      await trainer.step({ captureBatch: true });
      batches.push(await trainer.readBatch());
    }
    if ((await isSoftwareDevice()) && device.features.has('subgroups')) expect(shares).toBe(true);
    const [one, two, shared, copied] = batches as NonNullable<(typeof batches)[0]>[];
    if (!one || !two || !shared || !copied) throw new Error('no batch');
    expect(copied.valid).toEqual(two.valid);
    expect(copied.actions).toEqual(two.actions);
    expect(relativeL2(copied.obs, two.obs)).toBeLessThan(1e-6);
    expect(relativeL2(copied.logProbs, two.logProbs)).toBeLessThan(1e-6);
    expect(shared.valid).toEqual(two.valid);
    expect(shared.actions).toEqual(two.actions);
    expect(relativeL2(shared.obs, two.obs)).toBeLessThan(1e-6);
    expect(relativeL2(shared.logProbs, two.logProbs)).toBeLessThan(1e-6);
    expect(relativeL2(flatten(shared.gradient), flatten(two.gradient))).toBeLessThan(1e-6);
    expect(one.valid.reduce((a, b) => a + b, 0)).toBeGreaterThan(c.numEnvs);
    expect(two.valid).toEqual(one.valid);
    // Exact on SwiftShader; a GPU compiler may fuse the two pipelines' multiply-adds differently, hence 1e-6.
    if (c.env === 'cartpole') expect(two.actions).toEqual(one.actions);
    else expect(relativeL2(two.actions, one.actions)).toBeLessThan(1e-6);
    expect(relativeL2(two.obs, one.obs)).toBeLessThan(1e-6);
    expect(relativeL2(two.rewards, one.rewards)).toBeLessThan(1e-6);
    expect(relativeL2(two.logProbs, one.logProbs)).toBeLessThan(1e-6);
    const gradient = flatten(one.gradient);
    expect(gradient.some((g) => g !== 0)).toBe(true);
    expect(relativeL2(flatten(two.gradient), gradient)).toBeLessThan(1e-5);
  });
});
