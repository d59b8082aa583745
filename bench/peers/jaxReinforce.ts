// A peer of the benchmark: the same REINFORCE on CartPole-v1 in jax-js, written as its users write it. numEnvs
// environments are arrays ([N, 4] states, an [N] alive mask); one jitted function per time step runs the policy,
// draws the actions (a PRNG key split per step) and steps the Gymnasium dynamics; a jitted gradient of the
// pseudo-loss over the recorded batch (reward-to-go, per-timestep baseline, log-probabilities) and a jitted Adam
// step ascend it. Devices: 'wasm' (Node or a browser) and 'webgpu' (a browser).
import { blockUntilReady, defaultDevice, grad, init, jit, nn, numpy as np, random, tree } from '@jax-js/jax';
import { CARTPOLE } from '../../src/envs/cartpole.js';
import type { PolicyFile } from '../../src/index.js';
import type { PeerOptions, PeerTiming, ReinforcePeer } from './peer.js';

type Layer = { weight: np.Array; bias: np.Array };
type Params = Layer[];
type AdamState = { count: np.Array; mu: Params; nu: Params };
type Envs = { state: np.Array; alive: np.Array; key: np.Array };

/** One batch of episodes, time-major: observations [T, N, 4], actions [T, N], alive [T, N] (1 while running). */
export type Batch = { observations: np.Array; actions: np.Array; alive: np.Array };

// CartPole-v1 (Gymnasium): constants of CartPoleEnv.
const { GRAVITY, MASS_POLE, TOTAL_MASS, HALF_LENGTH, POLE_MASS_LENGTH, FORCE, TAU, THETA_LIMIT, X_LIMIT } = CARTPOLE;
const OBS_DIM = 4;
const NUM_ACTIONS = 2;

const [BETA1, BETA2, EPSILON] = [0.9, 0.999, 1e-8];
/** The rollout asks whether any episode is still running every this many steps (a readback each time). */
const CHECK_EVERY = 50;
/** Env-steps per gradient pass: the intermediates of 2^18 rows of a 64x64 MLP take about 1.2 GiB, and wasm memory
 *  stops at 4 GiB. */
const ROWS_PER_GRADIENT_PASS = 1 << 18;

/** Logits [..., 2] of the MLP: tanh hidden layers, a linear last layer; weights are [out, in]. */
function policyLogits(params: Params, observations: np.Array): np.Array {
  return params.reduce((h, { weight, bias }, l) => {
    const z = np.matmul(h, weight.transpose()).add(bias);
    return l === params.length - 1 ? z : np.tanh(z);
  }, observations);
}

/** One Euler step of every environment (CartPoleEnv.step), and which of them it takes out of bounds. */
function cartpoleDynamics(state: np.Array, action: np.Array): { next: np.Array; terminated: np.Array } {
  const [x, xDot, theta, thetaDot] = np.unstack(state, 1) as [np.Array, np.Array, np.Array, np.Array];
  const force = action
    .astype(np.float32)
    .mul(2 * FORCE)
    .sub(FORCE);
  const cos = np.cos(theta.ref);
  const sin = np.sin(theta.ref);
  const temp = force.add(thetaDot.ref.mul(thetaDot.ref).mul(sin.ref).mul(POLE_MASS_LENGTH)).div(TOTAL_MASS);
  const thetaAcc = sin
    .mul(GRAVITY)
    .sub(cos.ref.mul(temp.ref))
    .div(
      cos.ref
        .mul(cos.ref)
        .mul(-MASS_POLE / TOTAL_MASS)
        .add(4 / 3)
        .mul(HALF_LENGTH),
    );
  const xAcc = temp.sub(thetaAcc.ref.mul(cos).mul(POLE_MASS_LENGTH / TOTAL_MASS));
  const nextX = x.add(xDot.ref.mul(TAU));
  const nextTheta = theta.add(thetaDot.ref.mul(TAU));
  const terminated = np.logicalOr(np.abs(nextX.ref).greater(X_LIMIT), np.abs(nextTheta.ref).greater(THETA_LIMIT));
  const next = np.stack([nextX, xDot.add(xAcc.mul(TAU)), nextTheta, thetaDot.add(thetaAcc.mul(TAU))], 1);
  return { next, terminated };
}

/** key, subkey = random.split(key) */
function splitKey(key: np.Array): [np.Array, np.Array] {
  const [next, sub] = random.split(key);
  return [next!, sub!];
}

/** reset(): every state component ~ U(-0.05, 0.05); every episode running. */
function resetEnvs(key: np.Array, numEnvs: number): Envs {
  const [nextKey, resetKey] = splitKey(key);
  const state = random.uniform(resetKey, [numEnvs, OBS_DIM], { minval: -0.05, maxval: 0.05 });
  return { state, alive: np.ones([numEnvs]), key: nextKey };
}

/** One time step: sample a ~ pi(.|s), step the environments; finished ones stay masked where they ended. */
function envStep(params: Params, state: np.Array, alive: np.Array, key: np.Array): Envs & { action: np.Array } {
  const [nextKey, actionKey] = splitKey(key);
  const action = random.categorical(actionKey, policyLogits(params, state.ref));
  const { next, terminated } = cartpoleDynamics(state.ref, action.ref);
  const running = np.expandDims(alive.ref.greater(0), 1);
  return {
    state: np.where(running, next, state),
    alive: np.where(terminated, 0, alive),
    action,
    key: nextKey,
  };
}

/** (1/N) * A per (t, i): reward-to-go (reward 1 per live step, gamma 1) minus the mean over the live envs at t. */
function advantageWeights(alive: np.Array): np.Array {
  const numEnvs = alive.shape[1] as number;
  const returnsToGo = np.flip(np.cumsum(np.flip(alive.ref, 0), 0), 0);
  const liveCount = np.maximum(alive.ref.sum(1, { keepdims: true }), 1);
  const baseline = returnsToGo.ref.sum(1, { keepdims: true }).div(liveCount);
  return returnsToGo.sub(baseline).mul(alive).div(numEnvs);
}

/** sum over (t, i) of weight * log pi(a|s): its gradient is the policy gradient. */
function pseudoLoss(params: Params, observations: np.Array, actions: np.Array, weights: np.Array): np.Array {
  const logProbs = nn.logSoftmax(policyLogits(params, observations), -1);
  const chosen = logProbs.mul(nn.oneHot(actions, NUM_ACTIONS)).sum(-1);
  return chosen.mul(weights).sum();
}

/** The gradient of the pseudo-loss over some time steps of the batch ([t, N, ...] arrays). */
function pseudoLossGradient(params: Params, observations: np.Array, actions: np.Array, weights: np.Array): Params {
  return grad(pseudoLoss)(params, observations.reshape([-1, OBS_DIM]), actions.reshape([-1]), weights.reshape([-1]));
}

/** One bias-corrected Adam step of gradient ascent. */
function adamAscent(params: Params, adam: AdamState, grads: Params, lr: number): { params: Params; adam: AdamState } {
  const count = adam.count.add(1);
  const mCorrection = np.power(BETA1, count.ref).neg().add(1);
  const vCorrection = np.power(BETA2, count.ref).neg().add(1);
  const mu = tree.map((m: np.Array, g: np.Array) => m.mul(BETA1).add(g.mul(1 - BETA1)), adam.mu, tree.ref(grads));
  const nu = tree.map((v: np.Array, g: np.Array) => v.mul(BETA2).add(np.square(g).mul(1 - BETA2)), adam.nu, grads);
  const stepped = tree.map(
    (p: np.Array, m: np.Array, v: np.Array) =>
      p.add(
        m
          .div(mCorrection.ref)
          .mul(lr)
          .div(np.sqrt(v.div(vCorrection.ref)).add(EPSILON)),
      ),
    params,
    tree.ref(mu),
    tree.ref(nu),
  );
  mCorrection.dispose();
  vCorrection.dispose();
  return { params: stepped, adam: { count, mu, nu } };
}

/** np.stack(steps), as a tree of 8-way concatenations: np.concatenate chains its inputs 7 at a time, so stacking
 *  500 steps in one call copies the first ones about 70 times. */
function stackSteps(steps: np.Array[]): np.Array {
  let blocks = steps.map((step) => np.expandDims(step, 0));
  while (blocks.length > 1) {
    const merged: np.Array[] = [];
    for (let i = 0; i < blocks.length; i += 8) merged.push(np.concatenate(blocks.slice(i, i + 8)));
    blocks = merged;
  }
  return blocks[0] as np.Array;
}

function paramsFromPolicy(policy: PolicyFile): Params {
  return policy.layers.map((layer) => ({
    weight: np.array(Float32Array.from(layer.weight)).reshape([layer.outDim, layer.inDim]),
    bias: np.array(Float32Array.from(layer.bias)),
  }));
}

const zerosLike = (params: Params): Params =>
  params.map(({ weight, bias }) => ({ weight: np.zeros(weight.shape), bias: np.zeros(bias.shape) }));

export class JaxReinforce implements ReinforcePeer {
  private params: Params;
  private adam: AdamState;
  private key: np.Array;
  private readonly reset = jit((key: np.Array) => resetEnvs(key, this.options.numEnvs));
  private readonly step = jit(envStep);
  private readonly advantages = jit(advantageWeights);
  private readonly gradient = jit(pseudoLossGradient);
  private readonly ascend = jit((params: Params, adam: AdamState, grads: Params) =>
    adamAscent(params, adam, grads, this.options.lr),
  );

  constructor(private readonly options: PeerOptions) {
    this.params = paramsFromPolicy(options.policy);
    this.adam = { count: np.zeros([]), mu: zerosLike(this.params), nu: zerosLike(this.params) };
    this.key = random.key(options.seed);
  }

  /** One episode per environment, capped at the horizon, stopping early (checked every CHECK_EVERY steps) once
   *  all are done: the alive mask of every step, and with `record` the observations and actions. */
  private async runEpisodes(record: boolean): Promise<{ observations: np.Array[]; actions: np.Array[]; alive: np.Array[] }> {
    const observations: np.Array[] = [];
    const actions: np.Array[] = [];
    const aliveMasks: np.Array[] = [];
    let { state, alive, key } = this.reset(this.key);
    for (let t = 0; t < this.options.horizon; t++) {
      if (record) observations.push(state.ref);
      aliveMasks.push(alive.ref);
      const next = this.step(tree.ref(this.params), state, alive, key);
      ({ state, alive, key } = next);
      if (record) actions.push(next.action);
      else next.action.dispose();
      const checkpoint = (t + 1) % CHECK_EVERY === 0 && t + 1 < this.options.horizon;
      if (checkpoint && !(await alive.ref.any().data())[0]) break;
    }
    state.dispose();
    alive.dispose();
    this.key = key;
    return { observations, actions, alive: aliveMasks };
  }

  /** One batch of episodes with the current policy. */
  async sampleEpisodes(): Promise<Batch> {
    const { observations, actions, alive } = await this.runEpisodes(true);
    return { observations: stackSteps(observations), actions: stackSteps(actions), alive: stackSteps(alive) };
  }

  /** The policy gradient of a batch (consumed) at the current parameters, and its live env-steps. A batch of more
   *  than ROWS_PER_GRADIENT_PASS env-steps is summed over equal spans of time steps, each finished before the next
   *  (jax-js keeps a pass's intermediates until it runs). */
  async policyGradient({ observations, actions, alive }: Batch): Promise<{ grads: Params; envSteps: np.Array }> {
    const [steps, numEnvs] = alive.shape as [number, number];
    const weights = this.advantages(alive.ref);
    const passes = Math.ceil((steps * numEnvs) / ROWS_PER_GRADIENT_PASS);
    const stepsPerPass = Math.ceil(steps / passes);
    let grads: Params | undefined;
    for (let t = 0; t < steps; t += stepsPerPass) {
      if (grads !== undefined) await blockUntilReady(grads);
      const span: [number, number] = [t, Math.min(steps, t + stepsPerPass)];
      const pass = this.gradient(
        tree.ref(this.params),
        observations.ref.slice(span),
        actions.ref.slice(span),
        weights.ref.slice(span),
      );
      grads = grads === undefined ? pass : tree.map(np.add, grads, pass);
    }
    tree.dispose([observations, actions, weights]);
    return { grads: grads as Params, envSteps: alive.sum() };
  }

  async rollout(): Promise<PeerTiming> {
    const start = performance.now();
    const { alive } = await this.runEpisodes(false);
    const [envSteps] = (await stackSteps(alive).sum().data()) as Float32Array;
    return this.timing(start, envSteps as number);
  }

  async iteration(): Promise<PeerTiming> {
    const start = performance.now();
    const { grads, envSteps } = await this.policyGradient(await this.sampleEpisodes());
    ({ params: this.params, adam: this.adam } = this.ascend(this.params, this.adam, grads));
    const [[liveSteps]] = await Promise.all([envSteps.data() as Promise<Float32Array>, blockUntilReady(this.params)]);
    return this.timing(start, liveSteps as number);
  }

  private timing(start: number, envSteps: number): PeerTiming {
    return { envSteps, seconds: (performance.now() - start) / 1000, meanReturn: envSteps / this.options.numEnvs };
  }

  dispose(): void {
    tree.dispose([this.params, this.adam, this.key]);
    for (const f of [this.reset, this.step, this.advantages, this.gradient, this.ascend]) f.dispose();
  }
}

/** A jax-js peer on `device`; throws when jax-js cannot start that device here. */
export async function createJaxPeer(device: 'webgpu' | 'wasm', options: PeerOptions): Promise<ReinforcePeer> {
  const available = await init(device).catch((error: unknown) => {
    throw new Error(`jax-js: the ${device} device is not available here (${String(error)})`);
  });
  if (!available.includes(device)) throw new Error(`jax-js: the ${device} device is not available here`);
  defaultDevice(device);
  return new JaxReinforce(options);
}
