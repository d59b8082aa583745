// The weight-gradient accumulation of the backward kernel that stages tiles of samples in workgroup memory.
// Included by shaders/backward.wgsl (per-sample forward and delta passes) alone, which provides
//   var<workgroup> stage: array<vec4f, ..>   a tile's layer inputs and deltas, sample s's rows from stageAt(s, 0)
//   const STAGE_ROW4: u32                    vec4 rows per staged sample
//   fn stagedInputRow(layer) -> u32          where layer `layer`'s input rows start within a sample's rows
//   fn stagedDeltaRow(layer) -> u32          where its output deltas (LAYER_GRAD_OUT4 rows) start
//   fn runTile(lid, firstEnv, tileStart, segmentEnd, count)   one tile: its samples' deltas, then accumulateLayer
// (common/backwardSamples.wgsl has the bindings and which samples a workgroup walks.)
// Needs: stage, STAGE_ROW4, stagedInputRow, stagedDeltaRow, runTile (backward.wgsl, above), BACKWARD_TILE,
//   BACKWARD_THREADS, BLOCKS_PER_INVOCATION (host prelude, src/algo/kernels.ts, from the kernel plan's backward
//   workgroup), LAYER_COUNT, LAYER_IN4, LAYER_OUT4, LAYER_GRAD_OUT4, LAYER_WEIGHT4, LAYER_BIAS4, PARAM4 (host
//   prelude, src/policy/layout.ts), Config, Episode (common/config.wgsl, included by the kernel, for
//   common/backwardSamples.wgsl), HORIZON (host prelude); includes common/backwardSamples.wgsl itself
// Provides: NO_SLOT, gradSqScratch (workgroup), accumulators, blockLayer, blockRow4, blockColumn (private),
//   decodeBlocks, layerBlockStart, firstSlotAtOrAfter, stageAt, accumulateLayer, takeGradSq, backwardGroup; and,
//   through its include, the names of common/backwardSamples.wgsl
//
// A workgroup walks its valid samples in tiles of BACKWARD_TILE. Each invocation of the workgroup adds
// sum_s delta_s[o..o+3] (x) h_s[c..c+3] into the 4x4 weight blocks it owns (block k = lid + j * BACKWARD_THREADS;
// four vec4 accumulators each, in registers; a bias block is one vec4): a register-tiled outer product with the
// tile as the reduction dimension, two workgroup loads per four vec4 multiply-adds. The head's own parameters (a
// Gaussian's log-stds) ride along as extra bias rows of the last layer (LAYER_GRAD_OUT4 counts them).
// Partial gradients (one per workgroup) are summed in a fixed order by gradient.wgsl: no float atomics, so the
// result is deterministic. With TRAJECTORY_GRAD_SQ each trajectory is a segment of its own and the kernel writes
// ||g(tau_i)||^2, g(tau_i) = sum_t grad log pi(a_it|s_it), which the optimal baseline needs.

#include "common/backwardSamples.wgsl"

const NO_SLOT: u32 = 0xFFFFFFFFu;

var<workgroup> gradSqScratch: array<f32, BACKWARD_THREADS>;

var<private> accumulators: array<vec4f, 4u * BLOCKS_PER_INVOCATION>;
var<private> blockLayer: array<u32, BLOCKS_PER_INVOCATION>;
var<private> blockRow4: array<u32, BLOCKS_PER_INVOCATION>;   // which 4 output rows
var<private> blockColumn: array<u32, BLOCKS_PER_INVOCATION>; // input vec4 column; NO_SLOT for a bias block

// Blocks are numbered layer by layer from layerBlockStart(layer): out4 * in4 weight blocks (row4-major), then
// LAYER_GRAD_OUT4 bias blocks. Invocation lid owns blocks lid + j * BACKWARD_THREADS (slot j).
fn decodeBlocks(lid: u32) {
  for (var j = 0u; j < BLOCKS_PER_INVOCATION; j++) {
    let k = lid + j * BACKWARD_THREADS;
    blockLayer[j] = NO_SLOT;
    for (var r = 0u; r < 4u; r++) {
      accumulators[4u * j + r] = vec4f(0.0);
    }
    for (var layer = 0u; layer < LAYER_COUNT; layer++) {
      let start = layerBlockStart(layer);
      if (k >= start && k < layerBlockStart(layer + 1u)) {
        let i = k - start;
        let in4 = LAYER_IN4[layer];
        let weights = LAYER_OUT4[layer] * in4;
        blockLayer[j] = layer;
        blockRow4[j] = select(i - weights, i / in4, i < weights);
        blockColumn[j] = select(NO_SLOT, i % in4, i < weights);
      }
    }
  }
}

// The index of layer `layer`'s first block.
fn layerBlockStart(layer: u32) -> u32 {
  var start = 0u;
  for (var l = 0u; l < layer; l++) {
    start += LAYER_OUT4[l] * LAYER_IN4[l] + LAYER_GRAD_OUT4[l];
  }
  return start;
}

// The first slot j of invocation lid whose block (lid + j * BACKWARD_THREADS) is at or after block `blockIndex`.
fn firstSlotAtOrAfter(lid: u32, blockIndex: u32) -> u32 {
  return select(0u, (blockIndex - lid + BACKWARD_THREADS - 1u) / BACKWARD_THREADS, blockIndex > lid);
}

// Where row `row` of staged sample s is.
fn stageAt(s: u32, row: u32) -> u32 { return s * STAGE_ROW4 + row; }

// Adds the staged tile's first `count` samples of one layer to every block of that layer this invocation owns.
// Only the slots that hold this layer's blocks are visited: a CPU adapter runs a loop body for a SIMD group while
// any of its lanes is active and an `if` whether or not one is, so skipping the other layers' slots inside the loop
// cost each group a pass through both sample loops per skipped slot (SwiftShader, 64x64, N 1024: the backward
// kernel 0.93x its time without them, geometric mean of 16 in-process alternations, 12 of them faster).
fn accumulateLayer(lid: u32, layer: u32, count: u32) {
  let inputRow = stagedInputRow(layer);
  let deltaRow = stagedDeltaRow(layer);
  let slotFirst = firstSlotAtOrAfter(lid, layerBlockStart(layer));
  let slotEnd = min(firstSlotAtOrAfter(lid, layerBlockStart(layer + 1u)), BLOCKS_PER_INVOCATION);
  for (var j = slotFirst; j < slotEnd; j++) {
    let row4 = deltaRow + blockRow4[j];
    if (blockColumn[j] == NO_SLOT) {
      var sum = vec4f(0.0);
      for (var s = 0u; s < count; s++) {
        sum += stage[stageAt(s, row4)];
      }
      accumulators[4u * j] += sum;
    } else {
      let column = inputRow + blockColumn[j];
      var a0 = vec4f(0.0);
      var a1 = vec4f(0.0);
      var a2 = vec4f(0.0);
      var a3 = vec4f(0.0);
      for (var s = 0u; s < count; s++) {
        let d = stage[stageAt(s, row4)];
        let h = stage[stageAt(s, column)];
        a0 += d.x * h;
        a1 += d.y * h;
        a2 += d.z * h;
        a3 += d.w * h;
      }
      accumulators[4u * j] += a0;
      accumulators[4u * j + 1u] += a1;
      accumulators[4u * j + 2u] += a2;
      accumulators[4u * j + 3u] += a3;
    }
  }
}

// Squared norm of the accumulated gradient across the workgroup's blocks; clears the accumulators.
fn takeGradSq(lid: u32) -> f32 {
  var sq = 0.0;
  for (var j = 0u; j < 4u * BLOCKS_PER_INVOCATION; j++) {
    sq += dot(accumulators[j], accumulators[j]);
    accumulators[j] = vec4f(0.0);
  }
  gradSqScratch[lid] = sq;
  workgroupBarrier();
  var total = 0.0;
  if (lid == 0u) {
    for (var s = 0u; s < BACKWARD_THREADS; s++) {
      total += gradSqScratch[s];
    }
  }
  workgroupBarrier();
  return total;
}

// The whole of one workgroup's work: its trajectories' valid samples tile by tile (runTile), then its partial
// gradient (or, with TRAJECTORY_GRAD_SQ, one ||g(tau_i)||^2 per trajectory).
fn backwardGroup(lid: u32, group: u32) {
  let firstEnv = group * ENVS_PER_GROUP;
  loadLengthPrefix(lid, firstEnv);
  decodeBlocks(lid);
  let segments = select(1u, ENVS_PER_GROUP, TRAJECTORY_GRAD_SQ);
  for (var segment = 0u; segment < segments; segment++) {
    let segmentStart = select(0u, workgroupUniformLoad(&lengthPrefix[segment]), TRAJECTORY_GRAD_SQ);
    let segmentEnd = select(workgroupUniformLoad(&lengthPrefix[ENVS_PER_GROUP]),
                            workgroupUniformLoad(&lengthPrefix[segment + 1u]), TRAJECTORY_GRAD_SQ);
    for (var tileStart = segmentStart; tileStart < segmentEnd; tileStart += BACKWARD_TILE) {
      runTile(lid, firstEnv, tileStart, segmentEnd, min(BACKWARD_TILE, segmentEnd - tileStart));
    }
    if (TRAJECTORY_GRAD_SQ) {
      let total = takeGradSq(lid);
      if (lid == 0u && firstEnv + segment < config.numEnvs) {
        trajectoryGradSq[trajectoryPass * config.numEnvs + firstEnv + segment] = total;
      }
    }
  }
  if (!TRAJECTORY_GRAD_SQ) {
    let base = group * PARAM4;
    for (var j = 0u; j < BLOCKS_PER_INVOCATION; j++) {
      let layer = blockLayer[j];
      if (layer == NO_SLOT) {
        continue;
      }
      if (blockColumn[j] == NO_SLOT) {
        partialGradients[base + LAYER_BIAS4[layer] + blockRow4[j]] = accumulators[4u * j];
      } else {
        let in4 = LAYER_IN4[layer];
        let first = LAYER_WEIGHT4[layer] + blockRow4[j] * 4u * in4 + blockColumn[j];
        for (var r = 0u; r < 4u; r++) {
          partialGradients[base + first + r * in4] = accumulators[4u * j + r];
        }
      }
    }
  }
}
