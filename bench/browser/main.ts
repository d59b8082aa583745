// The benchmark's browser page: bench/run.ts opens it in headless Chromium (served from 127.0.0.1 with
// cross-origin isolation, so Wasm peers may use threads) and calls these functions with page.evaluate.
import type { PolicyFile } from '../../src/index.js';
import { requestDevice } from '../../src/index.js';
import { type CeilingResult, measureCeiling } from '../ceiling.js';
import { type LearningCurve, learnPeer, measureEngine, measurePeer } from '../measure.js';
import type { PeerOptions, ReinforcePeer } from '../peers/peer.js';
import type { EngineMeasure, PeerMeasure, Workload } from '../workload.js';

export type BrowserPeer = 'tfjs-webgpu' | 'tfjs-wasm' | 'jax-js-webgpu';

async function createBrowserPeer(name: BrowserPeer, options: PeerOptions): Promise<ReinforcePeer> {
  if (name === 'jax-js-webgpu') return (await import('../peers/jaxReinforce.js')).createJaxPeer('webgpu', options);
  const { createTfjsPeer } = await import('../peers/tfjsReinforce.js');
  return createTfjsPeer(name === 'tfjs-webgpu' ? 'webgpu' : 'wasm', options);
}

const benchPage = {
  isolated: () => globalThis.crossOriginIsolated === true,
  engine: (w: Workload, policy: PolicyFile, reps: number): Promise<EngineMeasure> => measureEngine(w, policy, reps),
  peer: async (name: BrowserPeer, w: Workload, policy: PolicyFile, reps: number): Promise<PeerMeasure> =>
    measurePeer(await createBrowserPeer(name, { policy, numEnvs: w.numEnvs, horizon: w.horizon, lr: 1e-7, seed: 1 }), reps),
  learn: async (name: BrowserPeer, options: PeerOptions, maxIterations: number, target: number): Promise<LearningCurve> =>
    learnPeer(await createBrowserPeer(name, options), maxIterations, target),
  ceiling: async (size: number, reps: number): Promise<CeilingResult> => {
    const { device } = await requestDevice();
    try {
      return await measureCeiling(device, size, reps);
    } finally {
      device.destroy();
    }
  },
};

export type BenchPage = typeof benchPage;
(globalThis as unknown as { benchPage: BenchPage }).benchPage = benchPage;
document.title = 'ready';
