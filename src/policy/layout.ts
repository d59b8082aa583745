// Where every parameter of the policy MLP lives on the GPU, and the WGSL constants that describe it.
// Widths are padded to whole vec4s with zeros (an exact no-op: padded units output 0 and get zero gradient),
// so kernels can use vec4 arithmetic throughout. Per layer: weight rows (out4 * 4 rows of in4 vec4s), then bias.
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
  actionCount: number;
  hidden: number[];
  activation: Activation;
  layers: LayerLayout[];
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
}

const ceil4 = (n: number) => Math.ceil(n / 4);

export function policyLayout(obsDim: number, actionCount: number, hidden: number[], activation: Activation): PolicyLayout {
  const dims = [obsDim, ...hidden, actionCount];
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
  const delta4 = [0];
  for (const layer of layers.slice(0, -1)) delta4.push((delta4.at(-1) as number) + layer.out4);
  const delta4Total = (delta4.at(-1) as number) + lastLayer.out4;
  const maxStage4 = Math.max(...layers.map((l) => l.in4 + l.out4));
  return {
    obsDim,
    actionCount,
    hidden: [...hidden],
    activation,
    layers,
    param4: offset,
    parameterCount,
    act4: act4Fixed,
    act4Total,
    delta4,
    delta4Total,
    maxStage4,
  };
}

export interface DenseParameters {
  /** Row-major outDim x inDim: weight[o * inDim + i]. */
  weight: ArrayLike<number>;
  bias: ArrayLike<number>;
}

/** The GPU buffer contents (padded vec4 layout) for the given dense layers. */
export function packParameters(layout: PolicyLayout, layers: DenseParameters[]): Float32Array {
  const data = new Float32Array(layout.param4 * 4);
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

const u32s = (values: number[]) => values.map((v) => `${v}u`).join(', ');

/** WGSL constants describing the layout, prepended to every kernel (see shaders/common/mlp.wgsl). */
export function layoutConstants(layout: PolicyLayout): string {
  const L = layout.layers.length;
  return [
    `const OBS_DIM: u32 = ${layout.obsDim}u;`,
    `const OBS4: u32 = ${ceil4(layout.obsDim)}u;`,
    `const ACTION_COUNT: u32 = ${layout.actionCount}u;`,
    `const LAYER_COUNT: u32 = ${L}u;`,
    `const HIDDEN_ACTIVATION: u32 = ${layout.activation === 'tanh' ? 0 : 1}u;`,
    `const LAYER_IN4 = array<u32, ${L}>(${u32s(layout.layers.map((l) => l.in4))});`,
    `const LAYER_OUT4 = array<u32, ${L}>(${u32s(layout.layers.map((l) => l.out4))});`,
    `const LAYER_WEIGHT4 = array<u32, ${L}>(${u32s(layout.layers.map((l) => l.weight4))});`,
    `const LAYER_BIAS4 = array<u32, ${L}>(${u32s(layout.layers.map((l) => l.bias4))});`,
    `const LAYER_ACT4 = array<u32, ${L + 1}>(${u32s(layout.act4)});`,
    `const ACT4_TOTAL: u32 = ${layout.act4Total}u;`,
    `const LAYER_DELTA4 = array<u32, ${L}>(${u32s(layout.delta4)});`,
    `const DELTA4_TOTAL: u32 = ${layout.delta4Total}u;`,
    `const PARAM4: u32 = ${layout.param4}u;`,
    `const MAX_STAGE4: u32 = ${layout.maxStage4}u;`,
  ].join('\n');
}
