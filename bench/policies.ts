// Starting policies for the benchmark (Node side; the browser page receives them from the runner). Timing runs
// start from trained CartPole policies (bench/policies/), so that episodes are long, as in the expensive late
// part of a run. Widths without a trained file of their own are the trained 64x64 policy padded with zero
// units: tanh(0) = 0 and zero outgoing weights leave its actions unchanged, while every kernel still does the
// full width's arithmetic.
import { readFileSync } from 'node:fs';
import type { PolicyFile } from '../src/index.js';
import { hiddenName } from './workload.js';

const TRAINED = ['32', '32x32', '64x64'];

function readPolicy(name: string): PolicyFile {
  return JSON.parse(readFileSync(new URL(`policies/cartpole-${name}.json`, import.meta.url), 'utf8')) as PolicyFile;
}

/** `policy` with every hidden layer widened to `width` by zero units. */
function padded(policy: PolicyFile, width: number): PolicyFile {
  const layers = policy.layers.map((layer, l) => {
    const inDim = l === 0 ? layer.inDim : width;
    const outDim = l === policy.layers.length - 1 ? layer.outDim : width;
    const weight = new Array(inDim * outDim).fill(0);
    for (let o = 0; o < layer.outDim; o++)
      for (let i = 0; i < layer.inDim; i++) weight[o * inDim + i] = layer.weight[o * layer.inDim + i];
    const bias = new Array(outDim).fill(0);
    layer.bias.forEach((b, o) => {
      bias[o] = b;
    });
    return { ...layer, inDim, outDim, weight, bias };
  });
  return { ...policy, layers };
}

export function benchPolicy(hidden: number[]): { policy: PolicyFile; origin: string } {
  const name = hiddenName(hidden);
  if (TRAINED.includes(name)) return { policy: readPolicy(name), origin: `bench/policies/cartpole-${name}.json` };
  const width = hidden[0] as number;
  if (hidden.length === 2 && hidden[1] === width && width > 64)
    return { policy: padded(readPolicy('64x64'), width), origin: 'cartpole-64x64.json padded with zero units' };
  throw new RangeError(`no starting policy for hidden ${name}: use 32, 32x32, 64x64 or a wider square pair (e.g. 128x128)`);
}
