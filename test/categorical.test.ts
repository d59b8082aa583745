// The categorical head: sampling frequencies against the softmax (chi-square), log-probabilities and entropy
// against float64, on fresh random logits.
import { describe, expect, it } from 'vitest';
import { nanFilled, seededRandom, testDevice } from './helpers/gpu.js';
import { runTestKernel, storageBuffer, testKernel } from './helpers/testKernel.js';
import { softmax } from './reference/mlp.js';

const ACTIONS = 5;
const ROWS = 4;
const DRAWS = 20000;
// chi-square with 4 degrees of freedom: P(X > 18.47) = 0.001
const CHI_SQUARE_999 = 18.47;

describe('categorical sampling', () => {
  it('frequencies follow the softmax (chi-square, p > 0.001) and log-probs/entropy match float64 to 1e-5', async () => {
    const device = await testDevice();
    // A statistical test: fixed seed, so the 0.1% false-alarm rate cannot make CI flaky.
    const random = seededRandom(20261125);
    const logits = Array.from({ length: ROWS }, (_, r) => Array.from({ length: ACTIONS }, () => (random() - 0.5) * (r + 1) * 2));
    const prelude = `const ACTION_COUNT: u32 = ${ACTIONS}u;\nconst SEED: u32 = ${Math.floor(random() * 1e9)}u;`;
    const kernel = await testKernel(device, 'categorical.wgsl', prelude);
    const draws = storageBuffer(device, nanFilled(ROWS * DRAWS * 16));
    const out = new Float32Array(
      await runTestKernel(
        device,
        kernel,
        { logitRows: storageBuffer(device, new Float32Array(logits.flat())), draws },
        Math.ceil((ROWS * DRAWS) / 64),
        'draws',
      ),
    );
    logits.forEach((row, r) => {
      const p = softmax(row);
      const entropy = -p.reduce((a, x) => a + x * Math.log(x), 0);
      const counts = new Array(ACTIONS).fill(0);
      for (let d = 0; d < DRAWS; d++) {
        const o = (r * DRAWS + d) * 4;
        const action = out[o] as number;
        counts[action]++;
        expect(Math.abs((out[o + 1] as number) - Math.log(p[action] as number))).toBeLessThan(1e-5);
        expect(Math.abs((out[o + 2] as number) - entropy)).toBeLessThan(1e-5);
      }
      const chiSquare = counts.reduce((a, c, k) => a + (c - DRAWS * (p[k] as number)) ** 2 / (DRAWS * (p[k] as number)), 0);
      expect(chiSquare).toBeLessThan(CHI_SQUARE_999);
    });
  });
});
