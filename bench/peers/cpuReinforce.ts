// Peer (a) of the benchmark: the same REINFORCE in plain TypeScript, typed-array loops on one thread.
// CartPole-v1 with the float64 reference dynamics (src/envs/cartpole.ts), the same MLP (tanh hidden layers,
// categorical head over 2 actions), reward-to-go with a per-timestep baseline, and Adam; the forward pass is
// recomputed in the backward pass, as the GPU kernels do. Float32 weights and activations.
import { cartpoleReset, cartpoleStep } from '../../src/envs/cartpole.js';
import type { PeerOptions, PeerTiming, ReinforcePeer } from './peer.js';

interface Layer {
  inDim: number;
  outDim: number;
  weight: Float32Array;
  bias: Float32Array;
}

export class CpuReinforce implements ReinforcePeer {
  private readonly layers: Layer[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private steps = 0;
  private random: () => number;
  private readonly horizon: number;
  private readonly numEnvs: number;
  private readonly lr: number;

  constructor({ policy, numEnvs, horizon, lr, seed }: PeerOptions) {
    this.numEnvs = numEnvs;
    this.horizon = horizon;
    this.lr = lr;
    this.layers = policy.layers.map((l) => ({
      inDim: l.inDim,
      outDim: l.outDim,
      weight: Float32Array.from(l.weight),
      bias: Float32Array.from(l.bias),
    }));
    this.m = this.layers.flatMap((l) => [new Float32Array(l.weight.length), new Float32Array(l.bias.length)]);
    this.v = this.layers.flatMap((l) => [new Float32Array(l.weight.length), new Float32Array(l.bias.length)]);
    let state = seed >>> 0 || 1;
    this.random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 4294967296;
    };
  }

  /** Activations of every layer for one observation (index 0: the observation; last: the logits). */
  private forward(observation: Float32Array): Float32Array[] {
    const activations = [observation];
    this.layers.forEach((layer, l) => {
      const input = activations[l] as Float32Array;
      const out = new Float32Array(layer.outDim);
      const last = l === this.layers.length - 1;
      for (let o = 0; o < layer.outDim; o++) {
        let z = layer.bias[o] as number;
        const row = o * layer.inDim;
        for (let i = 0; i < layer.inDim; i++) z += (layer.weight[row + i] as number) * (input[i] as number);
        out[o] = last ? z : Math.tanh(z);
      }
      activations.push(out);
    });
    return activations;
  }

  /** One episode per environment with the current policy: observations, actions, rewards-to-go. */
  private sample(): {
    observations: Float32Array[][];
    actions: number[][];
    returns: number[][];
    envSteps: number;
    meanReturn: number;
  } {
    const observations: Float32Array[][] = [];
    const actions: number[][] = [];
    const returns: number[][] = [];
    let envSteps = 0;
    for (let e = 0; e < this.numEnvs; e++) {
      let state = cartpoleReset([this.random(), this.random(), this.random(), this.random()]);
      const obs: Float32Array[] = [];
      const acts: number[] = [];
      for (let t = 0; t < this.horizon; t++) {
        const observation = Float32Array.from(state);
        const logits = this.forward(observation).at(-1) as Float32Array;
        const p0 = 1 / (1 + Math.exp((logits[1] as number) - (logits[0] as number)));
        const action = this.random() < p0 ? 0 : 1;
        obs.push(observation);
        acts.push(action);
        const step = cartpoleStep(state, action);
        state = step.next;
        if (step.terminated) break;
      }
      envSteps += acts.length;
      observations.push(obs);
      actions.push(acts);
      returns.push(acts.map((_, t) => acts.length - t)); // reward 1 per step, gamma 1: reward-to-go
    }
    const meanReturn = returns.reduce((a, r) => a + (r[0] ?? 0), 0) / this.numEnvs;
    return { observations, actions, returns, envSteps, meanReturn };
  }

  /** The rollout alone (as evaluation), timed. */
  async rollout(): Promise<PeerTiming> {
    const start = performance.now();
    const { envSteps, meanReturn } = this.sample();
    return { envSteps, seconds: (performance.now() - start) / 1000, meanReturn };
  }

  /** A whole iteration: rollout, returns, per-timestep baseline, the gradient, one Adam step; timed. */
  async iteration(): Promise<PeerTiming> {
    const start = performance.now();
    const batch = this.sample();
    const baseline = new Float64Array(this.horizon);
    const alive = new Float64Array(this.horizon);
    for (const r of batch.returns) {
      r.forEach((value, t) => {
        baseline[t] = (baseline[t] as number) + value;
        alive[t] = (alive[t] as number) + 1;
      });
    }
    for (let t = 0; t < this.horizon; t++)
      if ((alive[t] as number) > 0) baseline[t] = (baseline[t] as number) / (alive[t] as number);
    const grads = this.layers.flatMap((l) => [new Float32Array(l.weight.length), new Float32Array(l.bias.length)]);
    batch.observations.forEach((obs, e) => {
      obs.forEach((observation, t) => {
        const weight = (((batch.returns[e] as number[])[t] as number) - (baseline[t] as number)) / this.numEnvs;
        const activations = this.forward(observation);
        const logits = activations.at(-1) as Float32Array;
        const p0 = 1 / (1 + Math.exp((logits[1] as number) - (logits[0] as number)));
        const action = (batch.actions[e] as number[])[t] as number;
        let delta = Float32Array.from([weight * ((action === 0 ? 1 : 0) - p0), weight * ((action === 1 ? 1 : 0) - (1 - p0))]);
        for (let l = this.layers.length - 1; l >= 0; l--) {
          const layer = this.layers[l] as Layer;
          const input = activations[l] as Float32Array;
          const gw = grads[2 * l] as Float32Array;
          const gb = grads[2 * l + 1] as Float32Array;
          for (let o = 0; o < layer.outDim; o++) {
            const d = delta[o] as number;
            gb[o] = (gb[o] as number) + d;
            const row = o * layer.inDim;
            for (let i = 0; i < layer.inDim; i++) gw[row + i] = (gw[row + i] as number) + d * (input[i] as number);
          }
          if (l === 0) break;
          const below = new Float32Array(layer.inDim);
          for (let o = 0; o < layer.outDim; o++) {
            const d = delta[o] as number;
            const row = o * layer.inDim;
            for (let i = 0; i < layer.inDim; i++) below[i] = (below[i] as number) + (layer.weight[row + i] as number) * d;
          }
          for (let i = 0; i < layer.inDim; i++) below[i] = (below[i] as number) * (1 - (input[i] as number) ** 2);
          delta = below;
        }
      });
    });
    this.steps++;
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    this.layers.forEach((layer, l) => {
      [layer.weight, layer.bias].forEach((params, k) => {
        const g = grads[2 * l + k] as Float32Array;
        const m = this.m[2 * l + k] as Float32Array;
        const v = this.v[2 * l + k] as Float32Array;
        for (let q = 0; q < params.length; q++) {
          m[q] = b1 * (m[q] as number) + (1 - b1) * (g[q] as number);
          v[q] = b2 * (v[q] as number) + (1 - b2) * (g[q] as number) ** 2;
          const mHat = (m[q] as number) / (1 - b1 ** this.steps);
          const vHat = (v[q] as number) / (1 - b2 ** this.steps);
          params[q] = (params[q] as number) + (this.lr * mHat) / (Math.sqrt(vHat) + eps);
        }
      });
    });
    return { envSteps: batch.envSteps, seconds: (performance.now() - start) / 1000, meanReturn: batch.meanReturn };
  }

  dispose(): void {}
}
