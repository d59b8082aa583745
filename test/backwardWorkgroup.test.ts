// backwardWorkgroup (src/algo/kernelPlan.ts) picks the backward workgroup: the tile (samples staged at once) and the
// invocations. Whatever the layers and the device's limits, its choice must be one the kernel can run: the workgroup
// memory it declares within the limit (each variable rounded up to 16 bytes, as WebGPU counts it), a tile of 4 to 64
// samples, at least as many invocations as samples,
// within the invocation limits, and enough blocks per invocation to cover every weight and bias block. Checked on
// fake devices, so that limits no test machine has are covered too; the gradient tests run the kernels themselves.
import { describe, expect, it } from 'vitest';
import { backwardWorkgroup } from '../src/algo/kernelPlan.js';
import { type PolicyLayout, policyLayout } from '../src/policy/layout.js';

const ceil16 = (n: number) => Math.ceil(n / 16) * 16;

/** The workgroup memory the kernel declares (shaders/backward.wgsl and shaders/common/weightGradient.wgsl), in bytes,
 *  for a given shape. */
function declaredBytes(layout: PolicyLayout, tile: number, threads: number, envsPerGroup: number) {
  const common = ceil16((envsPerGroup + 1) * 4) + ceil16(threads * 4); // lengthPrefix, gradSqScratch
  return common + tile * layout.maxStage4 * 16; // stage
}

function fakeDevice(storage: number, invocations: number): GPUDevice {
  return {
    limits: {
      maxComputeWorkgroupStorageSize: storage,
      maxComputeInvocationsPerWorkgroup: invocations,
      maxComputeWorkgroupSizeX: invocations,
    },
    features: new Set<string>(),
  } as unknown as GPUDevice;
}

const layouts = {
  'cartpole 64x64': policyLayout(4, 2, [64, 64], 'tanh'),
  'cartpole 160': policyLayout(4, 2, [160], 'tanh'),
  'cartpole 256x256': policyLayout(4, 2, [256, 256], 'tanh'),
  'pendulum 12 (Gaussian, log-stds)': policyLayout(3, 1, [12], 'tanh', 1),
  'lqr, no hidden layer': policyLayout(4, 2, [], 'tanh', 2),
  'acrobot 32x8': policyLayout(6, 3, [32, 8], 'relu'),
};
const devices = [
  [16384, 256],
  // 64x64 with 16 environments per group: a tile of 32 needs 16,708 bytes counted exactly, 16,720 as WebGPU counts.
  [16710, 256],
  [32768, 256],
  [49152, 1024],
  [16384, 64],
] as const;

describe.each(Object.entries(layouts))('backwardWorkgroup: %s', (_name, layout) => {
  const blocks = layout.layers.reduce((sum, l, i) => sum + l.out4 * l.in4 + (layout.gradOut4[i] as number), 0);
  it.each(devices.map(([storage, invocations]) => ({ storage, invocations })))(
    'fits: $storage bytes, $invocations invocations',
    ({ storage, invocations }) => {
      for (const envsPerGroup of [1, 16, 256]) {
        const shape = backwardWorkgroup(fakeDevice(storage, invocations), layout, envsPerGroup);
        expect([4, 8, 16, 32, 64]).toContain(shape.tile);
        expect(shape.threads).toBeGreaterThanOrEqual(shape.tile);
        expect(shape.threads).toBeLessThanOrEqual(invocations);
        expect(Number.isInteger(Math.log2(shape.threads / shape.tile))).toBe(true);
        expect(shape.blocksPerInvocation * shape.threads).toBeGreaterThanOrEqual(blocks);
        expect(declaredBytes(layout, shape.tile, shape.threads, envsPerGroup)).toBeLessThanOrEqual(storage);
      }
    },
  );
});

describe('backwardWorkgroup refuses what does not fit', () => {
  it('names hidden', () => {
    const wide = policyLayout(4, 2, [1024, 1024], 'tanh');
    expect(() => backwardWorkgroup(fakeDevice(16384, 256), wide, 16)).toThrow(/^hidden: .*16384-byte workgroup memory/);
  });
});
