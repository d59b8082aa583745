// The benchmark's ceiling kernels (shaders/bench/matmulTiled.wgsl, shaders/bench/matmulRegisters.wgsl) against a
// float64 product on fresh random inputs; the output is poisoned (NaN) before each run.
import { describe, expect, it } from 'vitest';
import { createMatmul, MATMUL_KERNELS, type MatmulKernel, measureCeiling } from '../bench/ceiling.js';
import { seededRandom, testDevice } from './helpers/gpu.js';

describe.each(Object.keys(MATMUL_KERNELS) as MatmulKernel[])('register-tiled matmul %s', (kernel) => {
  it.each([
    [64, 64, 16],
    [128, 192, 80],
  ])('%i x %i x %i matches float64 to 1e-5 relative (L-inf over the max |C|)', async (m, n, k) => {
    const device = await testDevice();
    const random = seededRandom(m + n + k);
    const a = Float32Array.from({ length: m * k }, () => 2 * random() - 1);
    const b = Float32Array.from({ length: k * n }, () => 2 * random() - 1);
    const matmul = await createMatmul(device, m, n, k, kernel);
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
    await expect(createMatmul(device, 100, 64, 16, kernel)).rejects.toThrow(/multiples of 64.*100 x 64 x 16/);
  });
});

describe('ceiling', () => {
  it('times every candidate and reports the fastest', async () => {
    const device = await testDevice();
    const ceiling = await measureCeiling(device, 128, 1);
    expect(ceiling.candidates.map((c) => c.kernel).sort()).toEqual(Object.keys(MATMUL_KERNELS).sort());
    for (const c of ceiling.candidates) expect(c.gflops).toBeGreaterThan(0);
    expect(ceiling.gflops).toBe(Math.max(...ceiling.candidates.map((c) => c.gflops)));
  });
});
