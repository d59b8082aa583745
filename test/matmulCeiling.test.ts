// The benchmark's ceiling kernel (shaders/bench/matmulTiled.wgsl) against a float64 product on fresh random
// inputs; the output is poisoned (NaN) before each run.
import { describe, expect, it } from 'vitest';
import { createMatmul } from '../bench/ceiling.js';
import { seededRandom, testDevice } from './helpers/gpu.js';

describe('register-tiled matmul', () => {
  it.each([
    [64, 64, 16],
    [128, 192, 80],
  ])('%i x %i x %i matches float64 to 1e-5 relative (L-inf over the max |C|)', async (m, n, k) => {
    const device = await testDevice();
    const random = seededRandom(m + n + k);
    const a = Float32Array.from({ length: m * k }, () => 2 * random() - 1);
    const b = Float32Array.from({ length: k * n }, () => 2 * random() - 1);
    const matmul = await createMatmul(device, m, n, k);
    const c = await matmul.run(a, b);
    matmul.destroy();
    let maxError = 0;
    let maxValue = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let expected = 0;
        for (let q = 0; q < k; q++) expected += (a[i * k + q] as number) * (b[q * n + j] as number);
        maxError = Math.max(maxError, Math.abs((c[i * n + j] as number) - expected));
        maxValue = Math.max(maxValue, Math.abs(expected));
      }
    expect(maxError / maxValue).toBeLessThan(1e-5);
  });

  it('refuses sizes the tiling does not cover, naming them', async () => {
    const device = await testDevice();
    await expect(createMatmul(device, 100, 64, 16)).rejects.toThrow(/multiples of 64.*100 x 64 x 16/);
  });
});
