// Trainer.profileStep: one real iteration, timed kernel by kernel (GPU timestamps, or the CPU clock on a device
// without them); it must do exactly the work of step(). And the buffer-memory accounting the benchmark reports.
import { describe, expect, it } from 'vitest';
import { readTrainerBuffer } from '../src/algo/trainerProbe.js';
import { createTrainer, liveBufferBytes, peakBufferBytes, requestDevice } from '../src/index.js';
import { testDevice } from './helpers/gpu.js';

const options = { numEnvs: 64, hidden: [8], horizon: 60, seed: 7, lr: 0.01 };
const perTimestepKernels = [
  'rollout',
  'computeReturns',
  'perTimestepBaselineByStep', // 64 environments: a thread per time step (kernelPlan.ts perTimestepWorkgroups)
  'advantage',
  'computePseudoLossTerms',
  'backwardGradient',
  'reduceGradient',
  'gradientNorm',
  'adam',
  'reduceStats',
];

async function stepsAgainstProfiles(device: GPUDevice, expectedClock: string): Promise<void> {
  const plain = await createTrainer({ ...options, device });
  const profiled = await createTrainer({ ...options, device });
  for (let i = 0; i < 2; i++) {
    const expected = await plain.step();
    const profile = await profiled.profileStep();
    expect(profile.clock).toBe(expectedClock);
    expect(profile.stats.iter).toBe(expected.iter);
    expect(profile.stats.meanReturn).toBe(expected.meanReturn);
    expect(profile.stats.envSteps).toBe(expected.envSteps);
    expect(profile.kernels.map((k) => k.kernel)).toEqual(perTimestepKernels);
    for (const k of profile.kernels) {
      expect(k.dispatches).toBe(1);
      expect(Number.isFinite(k.milliseconds) && k.milliseconds >= 0).toBe(true);
    }
  }
  expect(Array.from(new Float32Array(await readTrainerBuffer(profiled, 'policyParams')))).toEqual(
    Array.from(new Float32Array(await readTrainerBuffer(plain, 'policyParams'))),
  );
  plain.destroy();
  profiled.destroy();
}

describe('profileStep', () => {
  it('with timestamp queries: same statistics and parameters as step(), one timed dispatch per kernel', async () => {
    const device = await testDevice();
    expect(device.features.has('timestamp-query')).toBe(true); // SwiftShader and real GPUs offer it
    await stepsAgainstProfiles(device, 'gpu-timestamps');
  });

  it('without them: the CPU clock, labelled, and still the same work', async () => {
    const { device } = await requestDevice({ timestampQueries: false });
    expect(device.features.has('timestamp-query')).toBe(false);
    await stepsAgainstProfiles(device, 'cpu-clock');
    device.destroy();
  });

  it('counts the bytes of GPU buffers the library holds, and their peak', async () => {
    const device = await testDevice();
    const before = liveBufferBytes(device);
    const trainer = await createTrainer({ ...options, device });
    const held = liveBufferBytes(device) - before;
    // At least the rollout's per-sample buffers: observations (16 B), action, reward, log-prob, return, advantage.
    expect(held).toBeGreaterThanOrEqual(options.numEnvs * options.horizon * (16 + 5 * 4));
    expect(peakBufferBytes(device)).toBeGreaterThanOrEqual(before + held);
    trainer.destroy();
    expect(liveBufferBytes(device)).toBe(before);
  });
});
