// Float64 reference for the policy MLP: forward pass, log-probabilities of the categorical and Gaussian heads
// and grad_theta log pi(a|s), by plain loops (the GPU kernels are checked against this).
// Gaussian: log pi(a|s) = sum_k -(a_k - mu_k)^2 / (2 sigma_k^2) - log sigma_k - log sqrt(2 pi), sigma = exp(logStd).
import type { PolicyFile } from '../../src/policy/policyFile.js';

export interface Forward {
  /** activations[0] = observation, activations[l + 1] = output of layer l (logits last). */
  activations: number[][];
}

export function forward(policy: PolicyFile, observation: ArrayLike<number>): Forward {
  const activations: number[][] = [Array.from(observation)];
  policy.layers.forEach((layer) => {
    const input = activations.at(-1) as number[];
    const out: number[] = [];
    for (let o = 0; o < layer.outDim; o++) {
      let z = layer.bias[o] as number;
      for (let i = 0; i < layer.inDim; i++) z += (layer.weight[o * layer.inDim + i] as number) * (input[i] as number);
      out.push(layer.activation === 'tanh' ? Math.tanh(z) : layer.activation === 'relu' ? Math.max(z, 0) : z);
    }
    activations.push(out);
  });
  return { activations };
}

export function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export type Action = number | readonly number[];

export function logProb(policy: PolicyFile, observation: ArrayLike<number>, action: Action): number {
  const outputs = forward(policy, observation).activations.at(-1) as number[];
  if (policy.action.kind === 'categorical') return Math.log(softmax(outputs)[action as number] as number);
  const logStd = policy.logStd as number[];
  return outputs.reduce((sum, mu, k) => {
    const z = ((action as readonly number[])[k]! - mu) / Math.exp(logStd[k]!);
    return sum - 0.5 * z * z - logStd[k]! - 0.5 * Math.log(2 * Math.PI);
  }, 0);
}

export interface Gradient {
  layers: { weight: number[]; bias: number[] }[];
  logStd: number[];
}

/** weight * grad log pi(action|observation), added into `into` (its log-std part only when learnLogStd). */
export function addLogProbGradient(
  policy: PolicyFile,
  observation: ArrayLike<number>,
  action: Action,
  weight: number,
  gradient: Gradient,
  learnLogStd = true,
): void {
  const into = gradient.layers;
  const { activations } = forward(policy, observation);
  const outputs = activations.at(-1) as number[];
  let delta: number[];
  if (policy.action.kind === 'categorical') {
    delta = softmax(outputs).map((p, k) => weight * ((k === action ? 1 : 0) - p));
  } else {
    const logStd = policy.logStd as number[];
    const z = outputs.map((mu, k) => ((action as readonly number[])[k]! - mu) / Math.exp(logStd[k]!));
    delta = z.map((zk, k) => (weight * zk) / Math.exp(logStd[k]!));
    if (learnLogStd) {
      z.forEach((zk, k) => {
        gradient.logStd[k]! += weight * (zk * zk - 1);
      });
    }
  }
  for (let l = policy.layers.length - 1; l >= 0; l--) {
    const layer = policy.layers[l]!;
    const input = activations[l]!;
    const target = into[l]!;
    for (let o = 0; o < layer.outDim; o++) {
      target.bias[o]! += delta[o]!;
      for (let i = 0; i < layer.inDim; i++) target.weight[o * layer.inDim + i]! += delta[o]! * input[i]!;
    }
    if (l === 0) break;
    const below: number[] = new Array(layer.inDim).fill(0);
    for (let o = 0; o < layer.outDim; o++) {
      for (let i = 0; i < layer.inDim; i++) below[i]! += layer.weight[o * layer.inDim + i]! * delta[o]!;
    }
    const h = input;
    const act = policy.layers[l - 1]!.activation;
    delta = below.map((d, i) => d * (act === 'tanh' ? 1 - h[i]! * h[i]! : h[i]! > 0 ? 1 : 0));
  }
}

export function zeroGradient(policy: PolicyFile): Gradient {
  return {
    layers: policy.layers.map((l) => ({ weight: new Array(l.weight.length).fill(0), bias: new Array(l.bias.length).fill(0) })),
    logStd: new Array(policy.logStd?.length ?? 0).fill(0),
  };
}

/** Every parameter in one list: layers (weight then bias), then the log-stds. */
export function flatten(g: {
  layers: { weight: ArrayLike<number>; bias: ArrayLike<number> }[];
  logStd?: ArrayLike<number>;
}): number[] {
  return [...g.layers.flatMap((l) => [...Array.from(l.weight), ...Array.from(l.bias)]), ...Array.from(g.logStd ?? [])];
}
