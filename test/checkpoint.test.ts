// Resumable runs (src/algo/checkpoint.ts): a run stopped at iteration k and resumed from its checkpoint produces the
// same per-iteration statistics, bit for bit, as the run never stopped, on-policy and off-policy (the replay's kept
// batches travel in the checkpoint); a checkpoint that does not fit is refused naming the field. And faults: a
// non-finite gradient stops with NON_FINITE and leaves the last finite parameters; a lost device rejects pending
// steps with DEVICE_LOST instead of hanging.
import { describe, expect, it } from 'vitest';
import { defaultLqrConfig, lqrEnvironment } from '../src/envs/lqr.js';
import { requestDevice } from '../src/gpu/device.js';
import { createTrainer, type IterationStats, ReinforceError, resumeTrainer, type Trainer } from '../src/index.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const track = (t: Trainer) => {
  trainers.push(t);
  return t;
};
const seed = testSeed('checkpoint.test.ts');

/** The statistics that depend on the run alone (not on the clock). */
const deterministic = ({ seconds: _s, stepsPerSecond: _r, ...rest }: IterationStats) => rest;

async function steps(trainer: Trainer, count: number): Promise<ReturnType<typeof deterministic>[]> {
  const out = [];
  for (let i = 0; i < count; i++) out.push(deterministic(await trainer.step()));
  return out;
}

describe('resuming a checkpoint', () => {
  const runs = [
    {
      name: 'on-policy, CartPole, per-timestep baseline',
      options: { env: 'cartpole', hidden: [8], baseline: 'perTimestep' as const },
    },
    {
      name: 'off-policy (reuse 3, epochs 2), Pendulum, normalised advantages',
      options: { env: 'pendulum', hidden: [8], reuse: 3, epochs: 2, normalizeAdvantages: true, importanceClip: 5 },
    },
  ];
  it.each(runs)('gives the uninterrupted run, bit for bit: $name', async ({ options }) => {
    const device = await testDevice();
    const common = { device, numEnvs: 40, horizon: 60, seed, lr: 0.03, ...options };
    // An evaluation after the second step advances the random streams: the checkpoint must carry that too.
    const run = async (trainer: Trainer, first: number) => {
      const stats = await steps(trainer, first);
      if (first === 2) await trainer.evaluate();
      return stats;
    };
    const whole = track(await createTrainer(common));
    const reference = [...(await run(whole, 2)), ...(await steps(whole, 4))];

    const stopped = track(await createTrainer(common));
    const before = await run(stopped, 2);
    const checkpoint = JSON.parse(JSON.stringify(await stopped.readCheckpoint()));
    stopped.destroy();
    const resumed = track(await resumeTrainer(checkpoint, { device }));
    const after = await steps(resumed, 4);
    expect([...before, ...after]).toEqual(reference);
  });

  it('refuses a checkpoint of another version, environment or network, naming the field', async () => {
    const device = await testDevice();
    const trainer = track(await createTrainer({ device, numEnvs: 8, hidden: [4], seed }));
    await trainer.step();
    const good = await trainer.readCheckpoint();
    const refused = async (checkpoint: unknown, place = {}) => {
      const error = await resumeTrainer(checkpoint, { device, ...place }).catch((e) => e);
      expect(error).toBeInstanceOf(ReinforceError);
      return error as ReinforceError;
    };
    expect((await refused({ ...good, version: 99 })).field).toBe('version');
    expect((await refused({ ...good, format: 'policy' })).field).toBe('format');
    expect((await refused(good, { env: 'acrobot' })).field).toBe('env.name');
    expect((await refused({ ...good, options: { ...good.options, hidden: [5] } })).field).toBe('buffers.policyParams');
    const nan = new Float32Array(1).fill(Number.NaN);
    const poisoned = `${btoa(String.fromCharCode(...new Uint8Array(nan.buffer)))}${good.buffers.policyParams?.slice(8)}`;
    expect((await refused({ ...good, buffers: { ...good.buffers, policyParams: poisoned } })).field).toBe('buffers.policyParams');
    expect((await refused({ ...good, buffers: { ...good.buffers, adamMoments: 'not base64!' } })).field).toBe(
      'buffers.adamMoments',
    );
    expect((await refused({ ...good, trainState: { rollouts: -1 } })).field).toBe('trainState');
  });
});

describe('non-finite numbers', () => {
  it('stop with NON_FINITE naming the iteration, and keep the last finite parameters', async () => {
    const device = await testDevice();
    // An unstable LQR (eigenvalues 1.5): the states, and so the costs, leave float32's range within the horizon.
    const env = lqrEnvironment({ ...defaultLqrConfig, A: [1.5, 0.1, 0, 1.5], horizon: 400 });
    const trainer = track(await createTrainer({ device, env, numEnvs: 16, hidden: [], seed }));
    const policy = await trainer.readPolicy();
    const error = await trainer.step().catch((e) => e);
    expect(error).toBeInstanceOf(ReinforceError);
    expect(error.code).toBe('NON_FINITE');
    expect(error.message).toMatch(/^iteration 1: .* NaN or infinite.*lr .*reward scale/);
    expect(await trainer.readPolicy()).toEqual(policy);
    const checkpoint = await trainer.readCheckpoint(); // finite: it may be written
    expect(checkpoint.trainState.optimizerSteps).toBe(0);
  });

  it('are flagged by the GPU, not by reading the parameters: a finite run is not flagged', async () => {
    const device = await testDevice();
    const trainer = track(await createTrainer({ device, numEnvs: 16, hidden: [4], seed }));
    const stats = await trainer.step();
    expect(Number.isFinite(stats.gradNorm)).toBe(true);
    expect((await trainer.readCheckpoint()).trainState.optimizerSteps).toBe(1);
  });
});

describe('device loss', () => {
  for (const when of ['mid-iteration', 'between iterations'] as const) {
    it(`rejects pending and later steps with DEVICE_LOST (${when}), and nothing hangs`, async () => {
      const { device } = await requestDevice();
      const trainer = await createTrainer({ device, numEnvs: 64, hidden: [8], seed });
      await trainer.step();
      const pending = when === 'mid-iteration' ? [trainer.step(), trainer.step()] : [];
      device.destroy();
      if (when === 'between iterations') pending.push(trainer.step());
      for (const step of pending) {
        const error = await step.catch((e) => e);
        expect(error).toBeInstanceOf(ReinforceError);
        expect(error.code).toBe('DEVICE_LOST');
      }
      expect((await trainer.step().catch((e) => e)).code).toBe('DEVICE_LOST');
      expect((await trainer.readCheckpoint().catch((e) => e)).code).toBe('DEVICE_LOST');
      trainer.destroy();
    });
  }
});
