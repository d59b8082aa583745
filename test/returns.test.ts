// returns.wgsl: the reverse reward-to-go scan against a plain loop, at awkward sizes (T = 123, N = 7) with
// episodes ending at odd places, gamma < 1, for reward-to-go on and off. Outputs poisoned with NaN first.
import { describe, expect, it } from 'vitest';
import { readTrainerBuffer, runKernel, writeTrainerBuffer } from '../src/algo/trainerProbe.js';
import { createTrainer, type Trainer } from '../src/index.js';
import { nanFilled, seededRandom, testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

const N = 7;
const T = 123;
const gamma = 0.97;
const trainers = trainersReleasedAfterAll<Trainer>();

async function runReturns(rewardToGo: boolean) {
  const device = await testDevice();
  const trainer = await createTrainer({ device, numEnvs: N, horizon: T, gamma, rewardToGo, hidden: [4] });
  trainers.push(trainer);
  const random = seededRandom(testSeed('returns.test.ts'));
  const lengths = [T, 1, 2, 61, 122, 97, 5];
  const rewards = new Float32Array(N * T).map(() => (random() - 0.3) * 10);
  const episodes = new ArrayBuffer(N * 16);
  lengths.forEach((length, i) => {
    new Uint32Array(episodes, i * 16, 1)[0] = length;
    new Float32Array(episodes, i * 16 + 4, 3).fill(Number.NaN);
  });
  writeTrainerBuffer(trainer, 'rewards', rewards);
  writeTrainerBuffer(trainer, 'episodes', new Uint8Array(episodes));
  writeTrainerBuffer(trainer, 'returns', nanFilled(N * T * 4));
  await runKernel(trainer, 'computeReturns', 1);
  const returns = new Float32Array(await readTrainerBuffer(trainer, 'returns'));
  const discounted = new Float32Array(await readTrainerBuffer(trainer, 'episodes'));
  return { lengths, rewards, returns, discounted };
}

describe('returns kernel', () => {
  for (const rewardToGo of [true, false]) {
    it(`matches a plain loop (rewardToGo ${rewardToGo}), relative error <= 1e-5`, async () => {
      const { lengths, rewards, returns, discounted } = await runReturns(rewardToGo);
      lengths.forEach((length, i) => {
        const expected = new Array(T).fill(0);
        let running = 0;
        for (let t = length - 1; t >= 0; t--) {
          running = (rewards[i * T + t] as number) + gamma * running;
          expected[t] = running;
        }
        if (!rewardToGo) for (let t = 0; t < length; t++) expected[t] = running;
        const scale = Math.max(...expected.map(Math.abs), 1);
        for (let t = 0; t < T; t++) expect(Math.abs((returns[i * T + t] as number) - expected[t]) / scale).toBeLessThan(1e-5);
        expect(Math.abs((discounted[i * 4 + 3] as number) - running) / scale).toBeLessThan(1e-5);
      });
    });
  }
});
