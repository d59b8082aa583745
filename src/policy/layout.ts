// Where every parameter of the policy MLP lives on the GPU, and the WGSL constants that describe it.
// Widths are padded to whole vec4s with zeros (an exact no-op: padded units output 0 and get zero gradient),
// so kernels can use vec4 arithmetic throughout. Per layer: weight rows (out4 * 4 rows of in4 vec4s), then bias.
// After the last bias: the policy head's own parameters (a Gaussian's log-stds), headParam4 vec4s.
import { wgslConstants } from '../gpu/wgslConstants.js';

export type Activation = 'tanh' | 'relu';

export interface LayerLayout {
  inDim: number;
  outDim: number;
  in4: number;
  out4: number;
  /** Offsets into the parameter buffer, in vec4s. */
  weight4: number;
  bias4: number;
}

export interface PolicyLayout {
  obsDim: number;
  /** The network's outputs: logits (categorical) or means (Gaussian). */
  outputDim: number;
  hidden: number[];
  activation: Activation;
  layers: LayerLayout[];
  /** The head's own parameters (state-independent; a Gaussian's log-stds): count, and where they start. */
  headParams: number;
  headParam4: number;
  headOffset4: number;
  /** Per layer, the vec4 rows of deltas the backward pass stages: out4, plus headParam4 for the last layer. */
  gradOut4: number[];
  /** Total parameter slots, in vec4s (the GPU buffer holds param4 * 4 floats). */
  param4: number;
  /** Number of real (unpadded) parameters. */
  parameterCount: number;
  /** Offset of each layer's input in the per-sample activation array (the last entry: the logits). */
  act4: number[];
  act4Total: number;
  /** Offset of each layer's pre-activation gradient in the per-sample delta array. */
  delta4: number[];
  delta4Total: number;
  /** Widest (in4 + out4) over layers: one sample's share of the backward kernel's workgroup staging. */
  maxStage4: number;
  /** The activation rows a rollout may keep for the backward pass (storeActivations): the outputs of the hidden
   *  layers after the first, act4[2] .. act4[layers], whose recomputation costs the hidden-to-hidden products (the
   *  first hidden layer, fed by the small observation, and the output layer are recomputed). 0 with fewer than two
   *  hidden layers. */
  storedFirst4: number;
  stored4: number;
}

const ceil4 = (n: number) => Math.ceil(n / 4);

export function policyLayout(
  obsDim: number,
  outputDim: number,
  hidden: number[],
  activation: Activation,
  headParams = 0,
): PolicyLayout {
  const dims = [obsDim, ...hidden, outputDim];
  const layers: LayerLayout[] = [];
  let offset = 0;
  let parameterCount = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    const inDim = dims[l] as number;
    const outDim = dims[l + 1] as number;
    const in4 = ceil4(inDim);
    const out4 = ceil4(outDim);
    const weight4 = offset;
    const bias4 = weight4 + out4 * 4 * in4;
    offset = bias4 + out4;
    parameterCount += outDim * inDim + outDim;
    layers.push({ inDim, outDim, in4, out4, weight4, bias4 });
  }
  // act4[0] = 0 holds the observation; layer l's output (= layer l+1's input) starts at act4[l] + in4 of layer l.
  const act4Fixed = [0];
  for (const layer of layers) act4Fixed.push((act4Fixed.at(-1) as number) + layer.in4);
  const lastLayer = layers.at(-1) as LayerLayout;
  const act4Total = (act4Fixed.at(-1) as number) + lastLayer.out4;
  const headParam4 = ceil4(headParams);
  const gradOut4 = layers.map((l, i) => l.out4 + (i === layers.length - 1 ? headParam4 : 0));
  const delta4 = [0];
  for (const layer of layers.slice(0, -1)) delta4.push((delta4.at(-1) as number) + layer.out4);
  const delta4Total = (delta4.at(-1) as number) + (gradOut4.at(-1) as number);
  const maxStage4 = Math.max(...layers.map((l, i) => l.in4 + (gradOut4[i] as number)));
  const storedFirst4 = layers.length >= 3 ? (act4Fixed[2] as number) : 0;
  const stored4 = layers.length >= 3 ? (act4Fixed[layers.length] as number) - storedFirst4 : 0;
  return {
    obsDim,
    outputDim,
    hidden: [...hidden],
    activation,
    layers,
    headParams,
    headParam4,
    headOffset4: offset,
    gradOut4,
    param4: offset + headParam4,
    parameterCount: parameterCount + headParams,
    act4: act4Fixed,
    act4Total,
    delta4,
    delta4Total,
    maxStage4,
    storedFirst4,
    stored4,
  };
}

export interface DenseParameters {
  /** Row-major outDim x inDim: weight[o * inDim + i]. */
  weight: ArrayLike<number>;
  bias: ArrayLike<number>;
}

/** The GPU buffer contents (padded vec4 layout) for the given dense layers (and head parameters). */
export function packParameters(layout: PolicyLayout, layers: DenseParameters[], head: ArrayLike<number> = []): Float32Array {
  const data = new Float32Array(layout.param4 * 4);
  for (let k = 0; k < layout.headParams; k++) data[layout.headOffset4 * 4 + k] = (head[k] as number | undefined) ?? 0;
  layout.layers.forEach((l, index) => {
    const source = layers[index] as DenseParameters;
    for (let o = 0; o < l.outDim; o++) {
      for (let i = 0; i < l.inDim; i++) data[(l.weight4 + o * l.in4) * 4 + i] = source.weight[o * l.inDim + i] as number;
      data[l.bias4 * 4 + o] = source.bias[o] as number;
    }
  });
  return data;
}

/** Dense layers (unpadded, row-major) from the GPU buffer contents. */
export function unpackParameters(layout: PolicyLayout, data: Float32Array): { weight: number[]; bias: number[] }[] {
  return layout.layers.map((l) => {
    const weight: number[] = [];
    for (let o = 0; o < l.outDim; o++) {
      for (let i = 0; i < l.inDim; i++) weight.push(data[(l.weight4 + o * l.in4) * 4 + i] as number);
    }
    const bias = Array.from(data.subarray(l.bias4 * 4, l.bias4 * 4 + l.outDim));
    return { weight, bias };
  });
}

/** The head's parameters (a Gaussian's log-stds) from the GPU buffer contents. */
export function unpackHeadParameters(layout: PolicyLayout, data: Float32Array): number[] {
  return Array.from(data.subarray(layout.headOffset4 * 4, layout.headOffset4 * 4 + layout.headParams));
}

/** WGSL constants describing the layout, prepended to every kernel (see shaders/common/mlp.wgsl). */
export function layoutConstants(layout: PolicyLayout): string {
  const last = layout.layers.at(-1) as LayerLayout;
  return wgslConstants({
    u32: {
      OBS_DIM: layout.obsDim,
      OBS4: ceil4(layout.obsDim),
      OUTPUT_DIM: layout.outputDim,
      OUTPUT4: last.out4,
      LAYER_COUNT: layout.layers.length,
      HIDDEN_ACTIVATION: layout.activation === 'tanh' ? 0 : 1,
      LAYER_IN4: layout.layers.map((l) => l.in4),
      LAYER_OUT4: layout.layers.map((l) => l.out4),
      LAYER_GRAD_OUT4: layout.gradOut4,
      LAYER_WEIGHT4: layout.layers.map((l) => l.weight4),
      LAYER_BIAS4: layout.layers.map((l) => l.bias4),
      LAYER_ACT4: layout.act4,
      ACT4_TOTAL: layout.act4Total,
      LAYER_DELTA4: layout.delta4,
      DELTA4_TOTAL: layout.delta4Total,
      HEAD_PARAM4: layout.headParam4,
      HEAD_OFFSET4: layout.headOffset4,
      HEAD_DELTA4: last.out4 + layout.headParam4,
      PARAM4: layout.param4,
      MAX_STAGE4: layout.maxStage4,
      STORED_FIRST4: layout.storedFirst4,
      STORED4: layout.stored4,
    },
  });
}
