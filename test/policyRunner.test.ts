// The policy runner (embedding API): encodeAct on the caller's own buffers, act() for CPU callers and the policy
// evaluated in float64 agree on 10^4 observations: the argmax for categorical policies (rows whose top two
// logits lie within 1e-4 of each other are skipped: float32 may order them either way), the mean for Gaussian
// ones (relative 1e-5). Sampled actions follow the policy (Gaussian: z-scores N(0, 1)) and change between
// calls. The caller's device and buffers keep working after destroy().
import { describe, expect, it } from 'vitest';
import { readBuffer } from '../src/gpu/readback.js';
import { createPolicyRunner, initialPolicy, type PolicyFile } from '../src/index.js';
import { seededRandom, testDevice } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { forward } from './reference/mlp.js';

const ROWS = 10_000;

function sharpened(policy: PolicyFile): PolicyFile {
  const p = structuredClone(policy);
  const last = p.layers.at(-1)!;
  last.weight = last.weight.map((w) => Math.fround(w * 300));
  return p;
}

function callerBuffer(device: GPUDevice, bytes: number): GPUBuffer {
  return device.createBuffer({
    size: Math.ceil(bytes / 16) * 16,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
}

describe('policy runner', () => {
  it('categorical: encodeAct on caller buffers = act() = float64 argmax, for 10^4 observations', async () => {
    const device = await testDevice();
    const policy = sharpened(
      initialPolicy({
        env: 'acrobot',
        obsDim: 6,
        action: { kind: 'categorical', n: 3 },
        hidden: [16, 8],
        activation: 'tanh',
        seed: 4,
      }),
    );
    const random = seededRandom(testSeed('policyRunner.test.ts'));
    const observations = Float32Array.from({ length: ROWS * 6 }, () => (random() - 0.5) * 4);
    const runner = await createPolicyRunner({ device, policy });
    const input = callerBuffer(device, observations.byteLength);
    const output = callerBuffer(device, ROWS * 4);
    device.queue.writeBuffer(input, 0, observations);
    const encoder = device.createCommandEncoder();
    runner.encodeAct(encoder, { observations: input, actions: output, count: ROWS, deterministic: true });
    device.queue.submit([encoder.finish()]);
    const fromBuffers = new Uint32Array(await readBuffer(device, output, ROWS * 4));
    const fromAct = (await runner.act(observations, { deterministic: true })) as Uint32Array;
    let compared = 0;
    for (let r = 0; r < ROWS; r++) {
      const logits = forward(policy, observations.subarray(r * 6, r * 6 + 6)).activations.at(-1) as number[];
      const sorted = [...logits].sort((a, b) => b - a);
      if ((sorted[0] as number) - (sorted[1] as number) < 1e-4) continue;
      const best = logits.indexOf(sorted[0] as number);
      expect(fromBuffers[r]).toBe(best);
      expect(fromAct[r]).toBe(best);
      compared++;
    }
    expect(compared).toBeGreaterThan(0.99 * ROWS);
    runner.destroy();
    runner.destroy(); // idempotent
    // The caller's buffers still work: write, then map a copy.
    device.queue.writeBuffer(output, 0, new Uint32Array([7, 8, 9, 10]));
    expect(Array.from(new Uint32Array(await readBuffer(device, output, 16)))).toEqual([7, 8, 9, 10]);
    input.destroy();
    output.destroy();
  });

  it('Gaussian: the mean when deterministic (= float64, relative 1e-5); samples are N(mean, sigma^2) and change per call', async () => {
    const device = await testDevice();
    const policy = initialPolicy({
      env: 'pendulum',
      obsDim: 3,
      action: { kind: 'gaussian', dim: 1, low: [-2], high: [2] },
      hidden: [8],
      activation: 'tanh',
      seed: 6,
      logStd: -0.7,
    });
    policy.layers.at(-1)!.weight = policy.layers.at(-1)!.weight.map((w) => Math.fround(w * 100));
    const random = seededRandom(99);
    const observations = Float32Array.from({ length: ROWS * 3 }, () => (random() - 0.5) * 4);
    const runner = await createPolicyRunner({ device, policy, seed: 3 });
    const means = (await runner.act(observations, { deterministic: true })) as Float32Array;
    const first = (await runner.act(observations)) as Float32Array;
    const second = (await runner.act(observations)) as Float32Array;
    const sigma = Math.exp(policy.logStd?.[0] as number);
    let sum = 0;
    let sumSq = 0;
    let differ = 0;
    for (let r = 0; r < ROWS; r++) {
      const mean = (forward(policy, observations.subarray(r * 3, r * 3 + 3)).activations.at(-1) as number[])[0] as number;
      expect(Math.abs((means[r] as number) - mean)).toBeLessThan(1e-5 * Math.max(1, Math.abs(mean)));
      const z = ((first[r] as number) - mean) / sigma;
      sum += z;
      sumSq += z * z;
      if (first[r] !== second[r]) differ++;
    }
    expect(Math.abs(sum / ROWS)).toBeLessThan(5 / Math.sqrt(ROWS));
    expect(Math.abs(sumSq / ROWS - 1)).toBeLessThan(5 * Math.sqrt(2 / ROWS));
    expect(differ).toBeGreaterThan(0.99 * ROWS);
    runner.destroy();
  });

  it('refuses buffers that cannot hold the rows, naming the field', async () => {
    const device = await testDevice();
    const policy = initialPolicy({
      env: 'cartpole',
      obsDim: 4,
      action: { kind: 'categorical', n: 2 },
      hidden: [4],
      activation: 'tanh',
      seed: 1,
    });
    const runner = await createPolicyRunner({ device, policy });
    const small = callerBuffer(device, 16);
    const encoder = device.createCommandEncoder();
    expect(() => runner.encodeAct(encoder, { observations: small, actions: small, count: 10 })).toThrow(
      'observations: 10 rows need 160 bytes',
    );
    const noStorage = device.createBuffer({ size: 1024, usage: GPUBufferUsage.COPY_DST });
    expect(() => runner.encodeAct(encoder, { observations: noStorage, actions: small, count: 1 })).toThrow(
      'observations: the buffer needs GPUBufferUsage.STORAGE',
    );
    runner.destroy();
    expect(() => runner.encodeAct(encoder, { observations: small, actions: small, count: 1 })).toThrow('destroyed');
    small.destroy();
    noStorage.destroy();
  });
});
