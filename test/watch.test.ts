// The watch kernel (shaders/watch.wgsl: agents acting one step per dispatch for the demo's view) against a
// float64 reference: from each agent's state on the GPU, the reference resets it when its episode is over,
// draws the same Philox uniforms, picks the action by inverse CDF on the float64 softmax and steps CartPole.
// Bound: next states within relative 1e-4 (vs max(|x|, 1)); step and episode counters and returns exact.
// Agents whose uniform lies within 1e-4 of a CDF boundary (float32 vs float64 could pick differently) are skipped.
import { describe, expect, it } from 'vitest';
import { cartpoleReset, cartpoleStep } from '../src/envs/cartpole.js';
import { componentError } from '../src/envs/checkEnvironment.js';
import { readBuffer } from '../src/gpu/readback.js';
import { createTrainer, createWatch, type Trainer } from '../src/index.js';
import { philox4x32, uniform4 } from '../src/random/philox.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { forward, softmax } from './reference/mlp.js';

const trainers = trainersReleasedAfterAll<Trainer>();
const STREAM_WATCH_RESET = 3;
const STREAM_WATCH_STEP = 4;
const draw = (seed: number, agent: number, step: number, episode: number, stream: number) =>
  uniform4(philox4x32([agent, step, episode, stream], [seed, 0x5eed]));

describe('watch kernel', () => {
  it('steps every agent as the float64 reference does, resetting finished episodes', async () => {
    const device = await testDevice();
    const seed = testSeed('watch.test.ts');
    const trainer = await createTrainer({ device, numEnvs: 16, hidden: [8], seed });
    trainers.push(trainer);
    const policy = await trainer.readPolicy();
    const count = 100;
    const watch = await createWatch(trainer, count);
    let states = new Float32Array(count * 4);
    let agents = new Uint32Array(count * 4);
    let compared = 0;
    let resets = 0;
    for (let frame = 0; frame < 40; frame++) {
      const encoder = device.createCommandEncoder();
      watch.encodeStep(encoder);
      device.queue.submit([encoder.finish()]);
      const nextStates = new Float32Array(await readBuffer(device, watch.states));
      const nextAgents = new Uint32Array(await readBuffer(device, watch.agents));
      const nextReturns = new Float32Array(nextAgents.buffer);
      const returns = new Float32Array(agents.buffer);
      for (let i = 0; i < count; i++) {
        const [step, episode] = [agents[4 * i] as number, agents[4 * i + 1] as number];
        const start =
          step === 0
            ? cartpoleReset(draw(seed, i, 0, episode, STREAM_WATCH_RESET).map(Math.fround)).map(Math.fround)
            : Array.from(states.subarray(4 * i, 4 * i + 4));
        const probabilities = softmax(forward(policy, start).activations.at(-1) as number[]);
        const u = draw(seed, i, step, episode, STREAM_WATCH_STEP)[0] as number;
        if (Math.abs(u - (probabilities[0] as number)) < 1e-4) continue;
        const action = u < (probabilities[0] as number) ? 0 : 1;
        const expected = cartpoleStep(start, action);
        for (let k = 0; k < 4; k++)
          expect(componentError(nextStates[4 * i + k] as number, expected.next[k] as number)).toBeLessThan(1e-4);
        const finished = expected.terminated || step + 1 >= 500;
        expect(nextAgents[4 * i]).toBe(finished ? 0 : step + 1);
        expect(nextAgents[4 * i + 1]).toBe(finished ? episode + 1 : episode);
        const episodeReturn = (returns[4 * i + 2] as number) + 1;
        expect(nextReturns[4 * i + 2]).toBe(finished ? 0 : episodeReturn);
        if (finished) {
          expect(nextReturns[4 * i + 3]).toBe(episodeReturn);
          resets++;
        }
        compared++;
      }
      states = nextStates;
      agents = nextAgents;
    }
    expect(compared).toBeGreaterThan(0.95 * 40 * count);
    expect(resets).toBeGreaterThan(0); // a fresh policy drops the pole within 40 steps now and then
    watch.destroy();
  });
});
