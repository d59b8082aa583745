// Backward pass: the policy gradient
//     grad J = (1/N) sum_i sum_t grad log pi(a_it|s_it) * A_it
// (the ascent direction), or, with TRAJECTORY_GRAD_SQ, each trajectory's ||g(tau_i)||^2 with
// g(tau_i) = sum_t grad log pi(a_it|s_it), which the optimal baseline needs.
//
// Each workgroup owns ENVS_PER_GROUP consecutive trajectories and walks their valid samples, packed end to end,
// in tiles of BACKWARD_TILE samples (SAMPLES_PER_INVOCATION consecutive samples, 1 or 2, per invocation of the first
// BACKWARD_TILE / SAMPLES_PER_INVOCATION of the workgroup's BACKWARD_THREADS), so masked steps cost nothing.
// Per tile: each of those invocations recomputes its samples' forward passes and backpropagates
//     delta_L = w * d log pi(a|s) / d z_L (the head's policyGradient),
//     delta_{l-1} = (W_l^T delta_l) * f'(h_{l-1}),   w = A_it / N
// The head's own parameters (a Gaussian's log-stds, HEAD_PARAM4 vec4s right after the last bias) ride along as
// extra bias rows of the last layer: LAYER_GRAD_OUT4 counts them, their deltas follow the output deltas.
// then, layer by layer, the tile's layer inputs and deltas are staged in workgroup memory and each invocation
// of the workgroup adds sum_s delta_s[o..o+3] (x) h_s[c..c+3] into the 4x4 weight blocks it owns
// (block k = lid + j * BACKWARD_THREADS; wide layers get more invocations than samples so that the blocks fit,
// four vec4 accumulators each, in registers; a bias block is one vec4): a register-tiled outer product with the
// tile as the reduction dimension, two workgroup loads per four vec4 multiply-adds.
// Partial gradients (one per workgroup) are summed in a fixed order by gradient.wgsl: no float atomics, so the
// result is deterministic.

#include "common/config.wgsl"
#include "common/mlpPair.wgsl"
#include "head"
#include "common/loadAction.wgsl"

override ENVS_PER_GROUP: u32 = 16u;
override TRAJECTORY_GRAD_SQ: bool = false;
// Samples each of a tile's invocations runs through the forward and delta passes: 1, or 2 (sharing every weight
// load: mlpForwardPair; the host picks 2 on CPU adapters, trainerKernels.ts). The tile's first
// BACKWARD_TILE / SAMPLES_PER_INVOCATION invocations run its samples.
override SAMPLES_PER_INVOCATION: u32 = 1u;

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> policyParams: array<vec4f>;
@group(0) @binding(2) var<storage, read> observations: array<vec4f>;
@group(0) @binding(3) var<storage, read> actions: array<u32>;
@group(0) @binding(4) var<storage, read> advantages: array<f32>;
@group(0) @binding(5) var<storage, read> episodes: array<Episode>;
@group(0) @binding(6) var<storage, read_write> partialGradients: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> trajectoryGradSq: array<f32>;

fn policyWeight(q: u32) -> vec4f { return policyParams[q]; }

const NO_SLOT: u32 = 0xFFFFFFFFu;

var<workgroup> stage: array<vec4f, BACKWARD_TILE * MAX_STAGE4>;
var<workgroup> lengthPrefix: array<u32, ENVS_PER_GROUP + 1u>;
var<workgroup> gradSqScratch: array<f32, BACKWARD_THREADS>;

var<private> deltas: array<vec4f, DELTA4_TOTAL>;
var<private> deltasB: array<vec4f, DELTA4_TOTAL>; // the second sample's, with SAMPLES_PER_INVOCATION 2
var<private> accumulators: array<vec4f, 4u * BLOCKS_PER_INVOCATION>;
var<private> blockLayer: array<u32, BLOCKS_PER_INVOCATION>;
var<private> blockRow4: array<u32, BLOCKS_PER_INVOCATION>;   // which 4 output rows
var<private> blockColumn: array<u32, BLOCKS_PER_INVOCATION>; // input vec4 column; NO_SLOT for a bias block

// Blocks per layer: out4 * in4 weight blocks (row4-major), then LAYER_GRAD_OUT4 bias blocks.
fn decodeBlocks(lid: u32) {
  for (var j = 0u; j < BLOCKS_PER_INVOCATION; j++) {
    var k = lid + j * BACKWARD_THREADS;
    blockLayer[j] = NO_SLOT;
    for (var r = 0u; r < 4u; r++) {
      accumulators[4u * j + r] = vec4f(0.0);
    }
    for (var layer = 0u; layer < LAYER_COUNT; layer++) {
      let in4 = LAYER_IN4[layer];
      let out4 = LAYER_OUT4[layer];
      let biasRows4 = LAYER_GRAD_OUT4[layer];
      if (blockLayer[j] == NO_SLOT && k < out4 * in4) {
        blockLayer[j] = layer;
        blockRow4[j] = k / in4;
        blockColumn[j] = k % in4;
      } else if (blockLayer[j] == NO_SLOT && k < out4 * in4 + biasRows4) {
        blockLayer[j] = layer;
        blockRow4[j] = k - out4 * in4;
        blockColumn[j] = NO_SLOT;
      } else if (blockLayer[j] == NO_SLOT) {
        k -= out4 * in4 + biasRows4;
      }
    }
  }
}

fn loadObservation(sample: u32) -> array<vec4f, OBS4> {
  var observation: array<vec4f, OBS4>;
  for (var k = 0u; k < OBS4; k++) {
    observation[k] = observations[sample * OBS4 + k];
  }
  return observation;
}

// Forward, then weight * d log pi(a|s) / d(pre-activations) for every layer, into `deltas`.
fn sampleBackward(sample: u32, weight: f32) {
  mlpForward(loadObservation(sample));
  let headGradient = policyGradient(loadAction(sample));
  let outputDelta = LAYER_DELTA4[LAYER_COUNT - 1u];
  for (var k = 0u; k < HEAD_DELTA4; k++) {
    deltas[outputDelta + k] = weight * headGradient[k];
  }
  for (var layer = LAYER_COUNT - 1u; layer > 0u; layer--) {
    let in4 = LAYER_IN4[layer];
    let below = LAYER_DELTA4[layer - 1u];
    let above = LAYER_DELTA4[layer];
    // delta_{l-1}[i] = sum over o4 of W_l[o..o+3][i]^T delta_l[o..o+3], one 4x4 block times a vec4 at a time, summed in
    // a register (input-major: each delta_{l-1} vec4 is written once, not read and written per block).
    let out4 = LAYER_OUT4[layer];
    let act = LAYER_ACT4[layer];
    for (var i = 0u; i < in4; i++) {
      var sum = vec4f(0.0);
      var row = LAYER_WEIGHT4[layer] + i;
      for (var o4 = 0u; o4 < out4; o4++) {
        sum += weightBlock(row, in4) * deltas[above + o4];
        row += 4u * in4;
      }
      deltas[below + i] = sum * activationSlope(activations[act + i]);
    }
  }
}

// sampleBackward for two samples at once (into deltas and deltasB), every weight block loaded once for both.
fn samplePairBackward(sample: u32, weight: f32, sampleB: u32, weightB: f32) {
  mlpForwardPair(loadObservation(sample), loadObservation(sampleB));
  let headGradient = policyGradient(loadAction(sample));
  headSeesSecondSample();
  let headGradientB = policyGradient(loadAction(sampleB));
  let outputDelta = LAYER_DELTA4[LAYER_COUNT - 1u];
  for (var k = 0u; k < HEAD_DELTA4; k++) {
    deltas[outputDelta + k] = weight * headGradient[k];
    deltasB[outputDelta + k] = weightB * headGradientB[k];
  }
  for (var layer = LAYER_COUNT - 1u; layer > 0u; layer--) {
    let in4 = LAYER_IN4[layer];
    let below = LAYER_DELTA4[layer - 1u];
    let above = LAYER_DELTA4[layer];
    let out4 = LAYER_OUT4[layer];
    let act = LAYER_ACT4[layer];
    for (var i = 0u; i < in4; i++) {
      var sum = vec4f(0.0);
      var sumB = vec4f(0.0);
      var row = LAYER_WEIGHT4[layer] + i;
      for (var o4 = 0u; o4 < out4; o4++) {
        let w4x4 = pairWeightBlock(row, in4);
        sum += w4x4 * deltas[above + o4];
        sumB += w4x4 * deltasB[above + o4];
        row += 4u * in4;
      }
      deltas[below + i] = sum * activationSlope(activations[act + i]);
      deltasB[below + i] = sumB * activationSlope(activationsB[act + i]);
    }
  }
}

// Adds this tile's `count` samples (the rest of a segment's last tile is empty) to every owned slot, one layer at a
// time through workgroup memory.
fn accumulateTile(lid: u32, count: u32) {
  for (var layer = 0u; layer < LAYER_COUNT; layer++) {
    let in4 = LAYER_IN4[layer];
    let out4 = LAYER_GRAD_OUT4[layer];
    workgroupBarrier();
    if (lid < BACKWARD_TILE / SAMPLES_PER_INVOCATION) {
      let slot = lid * SAMPLES_PER_INVOCATION * MAX_STAGE4;
      for (var k = 0u; k < in4; k++) {
        stage[slot + k] = activations[LAYER_ACT4[layer] + k];
      }
      for (var k = 0u; k < out4; k++) {
        stage[slot + in4 + k] = deltas[LAYER_DELTA4[layer] + k];
      }
      if (SAMPLES_PER_INVOCATION == 2u) {
        for (var k = 0u; k < in4; k++) {
          stage[slot + MAX_STAGE4 + k] = activationsB[LAYER_ACT4[layer] + k];
        }
        for (var k = 0u; k < out4; k++) {
          stage[slot + MAX_STAGE4 + in4 + k] = deltasB[LAYER_DELTA4[layer] + k];
        }
      }
    }
    workgroupBarrier();
    for (var j = 0u; j < BLOCKS_PER_INVOCATION; j++) {
      if (blockLayer[j] != layer) {
        continue;
      }
      let row4 = in4 + blockRow4[j];
      if (blockColumn[j] == NO_SLOT) {
        var sum = vec4f(0.0);
        for (var s = 0u; s < count; s++) {
          sum += stage[s * MAX_STAGE4 + row4];
        }
        accumulators[4u * j] += sum;
      } else {
        let column = blockColumn[j];
        var a0 = vec4f(0.0);
        var a1 = vec4f(0.0);
        var a2 = vec4f(0.0);
        var a3 = vec4f(0.0);
        for (var s = 0u; s < count; s++) {
          let d = stage[s * MAX_STAGE4 + row4];
          let h = stage[s * MAX_STAGE4 + column];
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
}

// Squared norm of the accumulated gradient across the workgroup's slots; clears the accumulators.
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

// A sample's weight in the sum: A_it / N for the gradient, 1 for ||g(tau_i)||^2.
fn sampleWeightOf(sample: u32) -> f32 {
  return select(advantages[sample] * (1.0 / f32(config.numEnvs)), 1.0, TRAJECTORY_GRAD_SQ);
}

// The sample at position `flat` (< lengthPrefix[ENVS_PER_GROUP]) of the workgroup's valid samples packed end to end.
fn packedSample(firstEnv: u32, flat: u32) -> u32 {
  var e = 0u;
  while (lengthPrefix[e + 1u] <= flat) {
    e++;
  }
  return (firstEnv + e) * HORIZON + (flat - lengthPrefix[e]);
}

struct PairSlot {
  sample: u32,
  weight: f32,
}

// Slot `flat` of a pair: its sample and weight, or past the segment's end (which is > 0) the segment's last sample
// with weight 0, whose deltas are zero.
fn pairSlot(firstEnv: u32, flat: u32, segmentEnd: u32) -> PairSlot {
  let sample = packedSample(firstEnv, min(flat, segmentEnd - 1u));
  return PairSlot(sample, select(0.0, sampleWeightOf(sample), flat < segmentEnd));
}

@compute @workgroup_size(BACKWARD_THREADS)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  if (SAMPLES_PER_INVOCATION == 2u) {
    startPairWeights();
  }
  let firstEnv = group.x * ENVS_PER_GROUP;
  if (lid == 0u) {
    lengthPrefix[0] = 0u;
    for (var e = 0u; e < ENVS_PER_GROUP; e++) {
      let env = firstEnv + e;
      let length = select(0u, episodes[min(env, config.numEnvs - 1u)].length, env < config.numEnvs);
      lengthPrefix[e + 1u] = lengthPrefix[e] + length;
    }
  }
  decodeBlocks(lid);
  let segments = select(1u, ENVS_PER_GROUP, TRAJECTORY_GRAD_SQ);
  for (var segment = 0u; segment < segments; segment++) {
    let segmentStart = select(0u, workgroupUniformLoad(&lengthPrefix[segment]), TRAJECTORY_GRAD_SQ);
    let segmentEnd = select(workgroupUniformLoad(&lengthPrefix[ENVS_PER_GROUP]),
                            workgroupUniformLoad(&lengthPrefix[segment + 1u]), TRAJECTORY_GRAD_SQ);
    for (var tileStart = segmentStart; tileStart < segmentEnd; tileStart += BACKWARD_TILE) {
      let flat = tileStart + lid * SAMPLES_PER_INVOCATION;
      if (SAMPLES_PER_INVOCATION == 2u && lid < BACKWARD_TILE / 2u) {
        // Pairs run by whole subgroups (mlpPair.wgsl): past the segment's end a slot repeats the last sample with
        // weight 0 (its deltas are zero); a subgroup with no sample left sits out. accumulateTile reads only the
        // tile's samples, so what the idle slots stage is never read.
        if (!wholeSubgroup(flat >= segmentEnd)) {
          let a = pairSlot(firstEnv, flat, segmentEnd);
          let b = pairSlot(firstEnv, flat + 1u, segmentEnd);
          samplePairBackward(a.sample, a.weight, b.sample, b.weight);
        }
      } else if (SAMPLES_PER_INVOCATION == 1u && lid < BACKWARD_TILE && flat < segmentEnd) {
        let sample = packedSample(firstEnv, flat);
        sampleBackward(sample, sampleWeightOf(sample));
      }
      accumulateTile(lid, min(BACKWARD_TILE, segmentEnd - tileStart));
    }
    if (TRAJECTORY_GRAD_SQ) {
      let total = takeGradSq(lid);
      if (lid == 0u && firstEnv + segment < config.numEnvs) {
        trajectoryGradSq[firstEnv + segment] = total;
      }
    }
  }
  if (!TRAJECTORY_GRAD_SQ) {
    let base = group.x * PARAM4;
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
