// Float64 reference for the policy MLP: forward pass, categorical log-probabilities and
// grad_theta log pi(a|s), by plain loops (the GPU kernels are checked against this).
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

export function logProb(policy: PolicyFile, observation: ArrayLike<number>, action: number): number {
  const logits = forward(policy, observation).activations.at(-1) as number[];
  return Math.log(softmax(logits)[action] as number);
}

/** weight * grad log pi(action|observation), added into `into` (layers of {weight, bias}). */
export function addLogProbGradient(
  policy: PolicyFile,
  observation: ArrayLike<number>,
  action: number,
  weight: number,
  into: { weight: number[]; bias: number[] }[],
): void {
  const { activations } = forward(policy, observation);
  const probs = softmax(activations.at(-1) as number[]);
  let delta = probs.map((p, k) => weight * ((k === action ? 1 : 0) - p));
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

export function zeroGradient(policy: PolicyFile): { weight: number[]; bias: number[] }[] {
  return policy.layers.map((l) => ({ weight: new Array(l.weight.length).fill(0), bias: new Array(l.bias.length).fill(0) }));
}

export function flatten(layers: { weight: ArrayLike<number>; bias: ArrayLike<number> }[]): number[] {
  return layers.flatMap((l) => [...Array.from(l.weight), ...Array.from(l.bias)]);
}
