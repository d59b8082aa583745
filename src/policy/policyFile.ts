// The policy file format ("webgpu-reinforce.policy", version 1): a plain JSON MLP, documented in README.md.
import { ReinforceError } from '../errors.js';
import { uniformStream } from '../random/philox.js';
import type { ActionSpace } from './head.js';
import type { Activation } from './layout.js';

export type LayerActivation = Activation | 'linear';

export interface PolicyLayer {
  inDim: number;
  outDim: number;
  activation: LayerActivation;
  /** Row-major outDim x inDim: weight[o * inDim + i]. */
  weight: number[];
  bias: number[];
}

export type PolicyAction = ActionSpace;

export interface PolicyFile {
  format: 'webgpu-reinforce.policy';
  version: 1;
  env: string;
  obsDim: number;
  action: PolicyAction;
  layers: PolicyLayer[];
  /** Gaussian policies: the state-independent log standard deviation of each action component. */
  logStd?: number[];
}

const fail = (source: string, field: string, message: string) =>
  new ReinforceError('INVALID_POLICY', `${source}: ${field} ${message}`, field);

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

// The GPU reads these as float32: a finite double beyond float32's range (3.4e38) would become infinite there.
const isFloat32 = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(Math.fround(x));

function finiteArray(source: string, field: string, value: unknown, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length) throw fail(source, field, `must be an array of ${length} numbers`);
  value.forEach((x, i) => {
    if (!isFloat32(x)) throw fail(source, `${field}[${i}]`, 'must be a finite number (within float32 range)');
  });
  return value as number[];
}

/** Checks a parsed policy file; throws INVALID_POLICY naming the first field that is wrong. */
export function validatePolicy(json: unknown, source = 'policy'): PolicyFile {
  if (typeof json !== 'object' || json === null) throw fail(source, 'the file', 'is not a JSON object');
  const p = json as Record<string, unknown>;
  if (p.format !== 'webgpu-reinforce.policy') throw fail(source, 'format', 'must be "webgpu-reinforce.policy"');
  if (p.version !== 1) throw fail(source, 'version', 'must be 1');
  if (typeof p.env !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(p.env))
    throw fail(source, 'env', 'must be an environment name (1 to 64 letters, digits, "_", "-" or ".")');
  if (!isCount(p.obsDim)) throw fail(source, 'obsDim', 'must be a positive integer');
  const action = p.action as Record<string, unknown> | undefined;
  let outDim: number;
  if (action?.kind === 'categorical') {
    if (!isCount(action.n) || action.n < 2) throw fail(source, 'action.n', 'must be an integer >= 2');
    outDim = action.n;
  } else if (action?.kind === 'gaussian') {
    if (!isCount(action.dim) || action.dim > 4) throw fail(source, 'action.dim', 'must be an integer from 1 to 4');
    const low = finiteArray(source, 'action.low', action.low, action.dim);
    const high = finiteArray(source, 'action.high', action.high, action.dim);
    low.forEach((l, k) => {
      if (!(l < (high[k] as number))) throw fail(source, `action.low[${k}]`, `must be below action.high[${k}]`);
    });
    finiteArray(source, 'logStd', p.logStd, action.dim).forEach((s, k) => {
      // exp(2 logStd) is the variance the head divides by: beyond these it leaves float32's useful range.
      if (s < -20 || s > 10) throw fail(source, `logStd[${k}]`, `must be from -20 to 10, got ${s}`);
    });
    outDim = action.dim;
  } else {
    throw fail(source, 'action.kind', 'must be "categorical" or "gaussian"');
  }
  if (!Array.isArray(p.layers) || p.layers.length === 0) throw fail(source, 'layers', 'must be a non-empty array');
  let inDim = p.obsDim;
  let hiddenActivation: string | undefined;
  p.layers.forEach((raw, l) => {
    const name = `layers[${l}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw fail(source, name, 'must be an object {inDim, outDim, activation, weight, bias}');
    const layer = raw as Record<string, unknown>;
    if (layer.inDim !== inDim) throw fail(source, `${name}.inDim`, `must be ${inDim} (the previous layer's outDim)`);
    if (!isCount(layer.outDim)) throw fail(source, `${name}.outDim`, 'must be a positive integer');
    const last = l === (p.layers as unknown[]).length - 1;
    if (last) {
      if (layer.activation !== 'linear') throw fail(source, `${name}.activation`, 'must be "linear" (the output layer)');
      if (layer.outDim !== outDim) throw fail(source, `${name}.outDim`, `must be ${outDim} (the action size)`);
    } else {
      if (layer.activation !== 'tanh' && layer.activation !== 'relu')
        throw fail(source, `${name}.activation`, 'must be "tanh" or "relu" for a hidden layer');
      if (hiddenActivation && layer.activation !== hiddenActivation)
        throw fail(source, `${name}.activation`, `must match the other hidden layers ("${hiddenActivation}")`);
      hiddenActivation = layer.activation;
    }
    finiteArray(source, `${name}.weight`, layer.weight, (layer.outDim as number) * inDim);
    finiteArray(source, `${name}.bias`, layer.bias, layer.outDim as number);
    inDim = layer.outDim as number;
  });
  return json as PolicyFile;
}

export function policyHidden(policy: PolicyFile): number[] {
  return policy.layers.slice(0, -1).map((l) => l.outDim);
}

export function policyActivation(policy: PolicyFile): Activation {
  return (policy.layers[0]?.activation === 'relu' ? 'relu' : 'tanh') as Activation;
}

export interface InitialPolicyOptions {
  env: string;
  obsDim: number;
  action: ActionSpace;
  hidden: number[];
  activation: Activation;
  seed: number;
  /** Gaussian policies: the initial log standard deviation of every action component. Default 0. */
  logStd?: number;
}

/**
 * A fresh policy: weights ~ U(-1/sqrt(inDim), 1/sqrt(inDim)) (PyTorch's Linear default), the output layer
 * scaled by 0.01 so the first policy is close to uniform (categorical) or centred on 0 (Gaussian); zero biases.
 */
export function initialPolicy(options: InitialPolicyOptions): PolicyFile {
  const random = uniformStream(options.seed, 0x1);
  const { action } = options;
  const dims = [options.obsDim, ...options.hidden, action.kind === 'categorical' ? action.n : action.dim];
  const layers: PolicyLayer[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    const inDim = dims[l] as number;
    const outDim = dims[l + 1] as number;
    const last = l + 2 === dims.length;
    const scale = (last ? 0.01 : 1) / Math.sqrt(inDim);
    const weight = Array.from({ length: outDim * inDim }, () => Math.fround((2 * random() - 1) * scale));
    layers.push({ inDim, outDim, activation: last ? 'linear' : options.activation, weight, bias: new Array(outDim).fill(0) });
  }
  return {
    format: 'webgpu-reinforce.policy',
    version: 1,
    env: options.env,
    obsDim: options.obsDim,
    action: structuredClone(action),
    layers,
    ...(action.kind === 'gaussian' ? { logStd: new Array(action.dim).fill(options.logStd ?? 0) } : {}),
  };
}
