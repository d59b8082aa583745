// CartPole-v1: the WGSL kernel and the float64 reference against transitions made by Gymnasium 1.4.0's own
// code (../shared/gymnasium-vectors), and against each other on fresh random states.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CartPoleState, cartpoleStep } from '../src/envs/cartpole.js';
import { loadShaderFile } from '../src/gpu/shaderSource.js';
import { nanFilled, seededRandom, testDevice } from './helpers/gpu.js';
import { runTestKernel, storageBuffer, testKernel } from './helpers/testKernel.js';

interface Single {
  state: number[];
  action: number;
  nextState: number[];
  reward: number;
  terminated: boolean;
}

const VECTORS = new URL('../../shared/gymnasium-vectors/CartPole-v1.json', import.meta.url);
const vectors: Single[] = existsSync(VECTORS) ? JSON.parse(readFileSync(VECTORS, 'utf8')).single : [];

async function gpuSteps(cases: { state: number[]; action: number }[]) {
  const device = await testDevice();
  const input = new ArrayBuffer(cases.length * 32);
  cases.forEach((c, i) => {
    new Float32Array(input, i * 32, 4).set(c.state);
    new Uint32Array(input, i * 32 + 16, 1)[0] = c.action;
  });
  const kernel = await testKernel(device, 'cartpoleStep.wgsl', 'const OBS_DIM: u32 = 4u;\nconst OBS4: u32 = 1u;', {
    name: 'cartpole',
    source: await loadShaderFile('envs/cartpole.wgsl'),
  });
  const results = storageBuffer(device, nanFilled(cases.length * 32));
  const out = new Float32Array(
    await runTestKernel(
      device,
      kernel,
      { transitions: storageBuffer(device, new Uint8Array(input)), results },
      Math.ceil(cases.length / 64),
      'results',
    ),
  );
  return cases.map((_, i) => ({
    next: Array.from(out.subarray(i * 8, i * 8 + 4)),
    reward: out[i * 8 + 4] as number,
    terminated: out[i * 8 + 5] === 1,
    obs0: out[i * 8 + 6],
  }));
}

// Relative error, measured against max(|b|, 1): components near zero are held to 1e-4 absolute (float32 inputs
// already carry ~1e-7 of rounding, which cancellation near zero would otherwise magnify without bound).
const relError = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1);

describe('CartPole-v1 dynamics', () => {
  it.runIf(vectors.length > 0)('float64 reference reproduces Gymnasium transitions to 1e-12', () => {
    for (const v of vectors) {
      const r = cartpoleStep(v.state as CartPoleState, v.action);
      r.next.forEach((x, k) => {
        expect(Math.abs(x - (v.nextState[k] as number))).toBeLessThan(1e-12);
      });
      expect(r.reward).toBe(v.reward);
      expect(r.terminated).toBe(v.terminated);
    }
  });

  it.runIf(vectors.length > 0)('WGSL kernel matches Gymnasium transitions within float32 rounding (relative 1e-4)', async () => {
    const gpu = await gpuSteps(vectors);
    let mismatches = 0;
    gpu.forEach((g, i) => {
      const v = vectors[i] as Single;
      g.next.forEach((x, k) => {
        expect(relError(x, v.nextState[k] as number)).toBeLessThan(1e-4);
      });
      expect(g.reward).toBe(v.reward);
      if (g.terminated !== v.terminated) mismatches++;
      expect(g.obs0).toBe(g.next[0]);
    });
    expect(mismatches).toBe(0);
  });

  it('WGSL kernel matches the float64 reference on fresh random states (relative 1e-4)', async () => {
    const random = seededRandom(Date.now() & 0xffff);
    const cases = Array.from({ length: 500 }, () => ({
      state: [(random() - 0.5) * 4.6, (random() - 0.5) * 6, (random() - 0.5) * 0.4, (random() - 0.5) * 6],
      action: random() < 0.5 ? 0 : 1,
    }));
    const gpu = await gpuSteps(cases);
    gpu.forEach((g, i) => {
      const c = cases[i]!;
      const state = c.state.map(Math.fround) as CartPoleState;
      const r = cartpoleStep(state, c.action);
      g.next.forEach((x, k) => {
        expect(relError(x, r.next[k]!)).toBeLessThan(1e-4);
      });
      // Termination may only differ where the float32 state sits within rounding of a threshold.
      const nearEdge =
        Math.abs(Math.abs(r.next[0]) - 2.4) < 1e-5 || Math.abs(Math.abs(r.next[2]) - (12 * 2 * Math.PI) / 360) < 1e-5;
      if (!nearEdge) expect(g.terminated).toBe(r.terminated);
    });
  });
});
