// A peer of the benchmark: the same REINFORCE written as an ordinary TensorFlow.js program (tfjs-core with the
// 'webgpu' or the 'wasm' backend). CartPole-v1 is vectorised as tensor ops over numEnvs environments (Gymnasium
// dynamics, float32); finished environments are frozen and masked, not reset. Each step runs the policy, samples
// actions, steps the environments and reads back how many are still alive, to stop when none is. An iteration
// then computes rewards-to-go, the per-timestep baseline and the advantages, and takes one Adam step on the
// pseudo-loss with one batched forward/backward pass over all [T*N] samples (optimizer.minimize).
// Made for a browser page. The wasm backend loads its multithreaded SIMD build only on a cross-origin isolated
// page (COOP: same-origin, COEP: require-corp, for SharedArrayBuffer), else a single-threaded one; the thread
// count is the backend's default (setThreadsCount is not called). Node runs the 'wasm' backend single-threaded,
// but only through a bundler: tfjs-core registers its gradients from ES module files that Node cannot load as is.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients'; // tfjs-core alone registers no gradients
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CARTPOLE } from '../../src/envs/cartpole.js';
import type { PolicyFile } from '../../src/index.js';
import type { PeerOptions, PeerTiming, ReinforcePeer } from './peer.js';

export type TfjsBackend = 'webgpu' | 'wasm';

// CartPole-v1 constants (gymnasium/envs/classic_control/cartpole.py).
const { GRAVITY, MASS_POLE, TOTAL_MASS, HALF_LENGTH, POLE_MASS_LENGTH, FORCE, TAU, THETA_LIMIT, X_LIMIT } = CARTPOLE;

/** The served dist folder of the wasm package in a browser; its folder on disk in Node. */
function wasmBinariesFolder(): string {
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (!isNode) return '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
  return new URL('.', import.meta.resolve('@tensorflow/tfjs-backend-wasm')).pathname;
}

let wasmPathsSet = false;

/** Makes `backend` the active TF.js backend (initialising it the first time). */
async function activateBackend(backend: TfjsBackend): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (backend === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmBinariesFolder());
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the TF.js '${backend}' backend is not available here`);
  await tf.ready();
}

/** A seeded stream of 32-bit integers (linear congruential), to seed each random op differently. */
function seedStream(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** reset(): every state component ~ U(-0.05, 0.05). */
function cartpoleReset(numEnvs: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([numEnvs, 4], -0.05, 0.05, 'float32', seed);
}

/** One Euler step of every environment (action 1 pushes right, 0 left) and whether it terminated. */
function cartpoleStep(state: tf.Tensor2D, action: tf.Tensor1D): { next: tf.Tensor2D; terminated: tf.Tensor1D } {
  const [x, xDot, theta, thetaDot] = tf.unstack(state, 1) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  const force = tf.sub(tf.mul(tf.cast(action, 'float32'), 2 * FORCE), FORCE);
  const cos = tf.cos(theta);
  const sin = tf.sin(theta);
  const temp = tf.div(tf.add(force, tf.mul(POLE_MASS_LENGTH, tf.mul(tf.square(thetaDot), sin))), TOTAL_MASS);
  const thetaAcc = tf.div(
    tf.sub(tf.mul(GRAVITY, sin), tf.mul(cos, temp)),
    tf.mul(HALF_LENGTH, tf.sub(4 / 3, tf.div(tf.mul(MASS_POLE, tf.square(cos)), TOTAL_MASS))),
  );
  const xAcc = tf.sub(temp, tf.div(tf.mul(POLE_MASS_LENGTH, tf.mul(thetaAcc, cos)), TOTAL_MASS));
  const nextX = tf.add(x, tf.mul(TAU, xDot));
  const nextTheta = tf.add(theta, tf.mul(TAU, thetaDot));
  const nextXDot = tf.add(xDot, tf.mul(TAU, xAcc));
  const nextThetaDot = tf.add(thetaDot, tf.mul(TAU, thetaAcc));
  const next = tf.stack([nextX, nextXDot, nextTheta, nextThetaDot], 1);
  const terminated = tf.logicalOr(tf.greater(tf.abs(nextX), X_LIMIT), tf.greater(tf.abs(nextTheta), THETA_LIMIT));
  return { next: next as tf.Tensor2D, terminated: terminated as tf.Tensor1D };
}

interface DenseLayer {
  /** [outDim, inDim], the policy file's row-major layout. */
  weight: tf.Variable;
  bias: tf.Variable;
  tanh: boolean;
}

function policyVariables(policy: PolicyFile): DenseLayer[] {
  return tf.tidy(() =>
    policy.layers.map((layer) => ({
      weight: tf.variable(tf.tensor2d(layer.weight, [layer.outDim, layer.inDim]), true),
      bias: tf.variable(tf.tensor1d(layer.bias), true),
      tanh: layer.activation === 'tanh',
    })),
  );
}

/** Logits [batch, 2] of the MLP for observations [batch, 4]. */
function policyLogits(layers: DenseLayer[], observations: tf.Tensor2D): tf.Tensor2D {
  let h = observations;
  for (const layer of layers) {
    const z = tf.add(tf.matMul(h, layer.weight, false, true), layer.bias) as tf.Tensor2D;
    h = layer.tanh ? tf.tanh(z) : z;
  }
  return h;
}

/** Actions [N] (int32): 1 where a uniform draw is at least pi(0|s). The draws come from tf.randomUniform (the
 *  same seeded generator on every backend). */
function sampleActions(layers: DenseLayer[], observations: tf.Tensor2D, seed: number): tf.Tensor1D {
  const numEnvs = observations.shape[0];
  const probabilities = tf.softmax(policyLogits(layers, observations));
  const probabilityOfLeft = tf.reshape(tf.slice(probabilities, [0, 0], [numEnvs, 1]), [numEnvs]);
  const uniform = tf.randomUniform([numEnvs], 0, 1, 'float32', seed);
  return tf.cast(tf.greaterEqual(uniform, probabilityOfLeft), 'int32') as tf.Tensor1D;
}

/** -(1/N) sum log pi(a|s) * weight over samples: observations [S,4], actions [S], weights (advantages) [S]. */
function negativePseudoObjective(
  layers: DenseLayer[],
  observations: tf.Tensor2D,
  actions: tf.Tensor1D,
  weights: tf.Tensor1D,
  numEnvs: number,
): tf.Scalar {
  const logProbabilities = tf.logSoftmax(policyLogits(layers, observations));
  const chosen = tf.sum(tf.mul(logProbabilities, tf.oneHot(actions, 2)), 1);
  return tf.div(tf.neg(tf.sum(tf.mul(chosen, weights))), numEnvs) as tf.Scalar;
}

/** A batch of episodes: per step t, the observations [N,4], actions [N] and alive mask [N] (1: env acts at t). */
interface Episodes {
  observations: tf.Tensor2D[];
  actions: tf.Tensor1D[];
  alive: tf.Tensor1D[];
  envSteps: number;
}

/** Per-sample advantages [T, N]: reward-to-go minus the mean reward-to-go of the environments alive at t, masked. */
function advantages(alive: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const rewardToGo = tf.cumsum(alive, 0, false, true); // reward 1 per live step, gamma 1
    const liveCount = tf.maximum(tf.sum(alive, 1, true), 1);
    const baseline = tf.div(tf.sum(tf.mul(rewardToGo, alive), 1, true), liveCount);
    return tf.mul(tf.sub(rewardToGo, baseline), alive) as tf.Tensor2D;
  });
}

export class TfjsReinforce implements ReinforcePeer {
  private readonly layers: DenseLayer[];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly nextSeed: () => number;

  constructor(
    private readonly backend: TfjsBackend,
    private readonly options: PeerOptions,
  ) {
    this.layers = policyVariables(options.policy);
    this.optimizer = tf.train.adam(options.lr, 0.9, 0.999, 1e-8);
    this.nextSeed = seedStream(options.seed);
  }

  private get variables(): tf.Variable[] {
    return this.layers.flatMap((layer) => [layer.weight, layer.bias]);
  }

  /** One episode per environment (at most `horizon` steps); keeps the trajectory only when `keep`. */
  private async sampleEpisodes(keep: boolean): Promise<Episodes> {
    const { numEnvs, horizon } = this.options;
    const episodes: Episodes = { observations: [], actions: [], alive: [], envSteps: 0 };
    let state = cartpoleReset(numEnvs, this.nextSeed());
    let alive: tf.Tensor1D = tf.ones([numEnvs]);
    let liveCount = numEnvs;
    for (let t = 0; t < horizon && liveCount > 0; t++) {
      episodes.envSteps += liveCount;
      const seed = this.nextSeed();
      const step = tf.tidy(() => {
        const action = sampleActions(this.layers, state, seed);
        const { next, terminated } = cartpoleStep(state, action);
        const stillAlive = tf.mul(alive, tf.cast(tf.logicalNot(terminated), 'float32')) as tf.Tensor1D;
        const frozen = tf.where(tf.greater(tf.expandDims(alive, 1), 0), next, state) as tf.Tensor2D;
        return { action, next: frozen, stillAlive, liveCount: tf.sum(stillAlive) };
      });
      if (keep) {
        episodes.observations.push(state);
        episodes.actions.push(step.action);
        episodes.alive.push(alive);
      } else {
        tf.dispose([state, step.action, alive]);
      }
      state = step.next;
      alive = step.stillAlive;
      liveCount = (await step.liveCount.data())[0] as number;
      step.liveCount.dispose();
    }
    tf.dispose([state, alive]);
    return episodes;
  }

  /** One Adam step of gradient ascent on (1/N) sum log pi(a|s) A over the batch. */
  private update(episodes: Episodes): void {
    const numEnvs = this.options.numEnvs;
    tf.tidy(() => {
      const observations = tf.reshape(tf.stack(episodes.observations), [-1, 4]) as tf.Tensor2D;
      const actions = tf.reshape(tf.stack(episodes.actions), [-1]) as tf.Tensor1D;
      const weights = tf.reshape(advantages(tf.stack(episodes.alive) as tf.Tensor2D), [-1]) as tf.Tensor1D;
      const loss = () => negativePseudoObjective(this.layers, observations, actions, weights, numEnvs);
      this.optimizer.minimize(loss, false, this.variables);
    });
  }

  /** Waits until all queued work has run: a tiny read placed after it (the last parameter Adam writes). */
  private async finish(): Promise<void> {
    await (this.layers.at(-1) as DenseLayer).bias.data();
  }

  async rollout(): Promise<PeerTiming> {
    await activateBackend(this.backend);
    const start = performance.now();
    const { envSteps } = await this.sampleEpisodes(false);
    await this.finish();
    return { envSteps, seconds: (performance.now() - start) / 1000, meanReturn: envSteps / this.options.numEnvs };
  }

  async iteration(): Promise<PeerTiming> {
    await activateBackend(this.backend);
    const start = performance.now();
    const episodes = await this.sampleEpisodes(true);
    this.update(episodes);
    tf.dispose([...episodes.observations, ...episodes.actions, ...episodes.alive]);
    await this.finish();
    const envSteps = episodes.envSteps;
    return { envSteps, seconds: (performance.now() - start) / 1000, meanReturn: envSteps / this.options.numEnvs };
  }

  /** The current weights and biases, per layer, in the policy file's layout. */
  async parameters(): Promise<{ weight: number[]; bias: number[] }[]> {
    return Promise.all(
      this.layers.map(async (layer) => ({
        weight: Array.from(await layer.weight.data()),
        bias: Array.from(await layer.bias.data()),
      })),
    );
  }

  dispose(): void {
    tf.dispose(this.variables);
    this.optimizer.dispose();
  }
}

/** The TF.js peer on `backend`, from the options' policy file. */
export async function createTfjsPeer(backend: TfjsBackend, options: PeerOptions): Promise<TfjsReinforce> {
  await activateBackend(backend);
  return new TfjsReinforce(backend, options);
}

/** Fixed samples for a gradient check: observations flat [S*4], actions [S] (0 or 1), weights (advantages) [S]. */
export interface GradientSamples {
  observations: number[];
  actions: number[];
  weights: number[];
  numEnvs: number;
}

/** The gradient of the pseudo-objective (1/N) sum log pi(a|s) * weight for `policy` on `backend`, per layer
 *  (weight, bias) in the policy file's layout: for checking that the backends agree. */
export async function pseudoObjectiveGradient(
  backend: TfjsBackend,
  policy: PolicyFile,
  samples: GradientSamples,
): Promise<{ weight: number[]; bias: number[] }[]> {
  await activateBackend(backend);
  const layers = policyVariables(policy);
  const variables = layers.flatMap((layer) => [layer.weight, layer.bias]);
  const count = samples.actions.length;
  const grads = tf.tidy(() => {
    const observations = tf.tensor2d(samples.observations, [count, 4]);
    const actions = tf.tensor1d(samples.actions, 'int32');
    const weights = tf.tensor1d(samples.weights);
    const loss = () => negativePseudoObjective(layers, observations, actions, weights, samples.numEnvs);
    return tf.variableGrads(loss, variables).grads; // the loss value is disposed with the scope
  });
  const descent = await Promise.all(variables.map((v) => (grads[v.name] as tf.Tensor).data()));
  const ascent = descent.map((g) => Array.from(g, (x) => -x));
  tf.dispose([...variables, ...Object.values(grads)]);
  return layers.map((_, l) => ({ weight: ascent[2 * l] as number[], bias: ascent[2 * l + 1] as number[] }));
}
