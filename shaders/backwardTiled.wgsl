// Backward pass with the forward and delta passes as workgroup-tiled products (samples x units): the same gradient
// as shaders/backward.wgsl (and, with TRAJECTORY_GRAD_SQ, the same ||g(tau_i)||^2), a kernel shape for GPUs
// (the tiledBackward option; trainerKernels.ts backwardShape sizes it).
//
// backward.wgsl has each invocation walk one sample's MLP in private arrays (local memory on a GPU), one weight
// block per 16 multiply-adds, while the other invocations wait. Here all BACKWARD_THREADS invocations share every
// pass of a tile of BACKWARD_TILE samples held in workgroup memory, all of a sample's layers at once
// (stage[s * STAGE_ROW4 + LAYER_ACT4[l] ..], then the head's own parameter rows):
//   forward    h_{l+1} = f(W_l h_l + b_l): each work item is 4 samples x 4 units, one 4x4 weight block shared by 4
//              samples (64 multiply-adds per 4 weight and 4 activation loads);
//   head       delta_L = w * d log pi(a|s) / d z_L over the logits (w = A_it / N), one invocation per sample;
//   backward   accumulateLayer (common/weightGradient.wgsl) adds delta_l (x) h_l into the weight blocks, then
//              delta_{l-1} = (W_l^T delta_l) * f'(h_l) overwrites h_l in place (it is no longer needed), again
//              4 samples x 4 units per item.
// Work items map units fastest onto invocations, so a group of neighbouring invocations reads the same sample rows
// (one broadcast) and writes neighbouring ones.

#include "common/config.wgsl"
#include "common/mlp.wgsl"
#include "head"
#include "common/loadAction.wgsl"
#include "common/weightGradient.wgsl"

// Every layer of a sample: its activations (the observation first), the logits, room for the head's parameter rows.
const STAGE_ROW4: u32 = ACT4_TOTAL + HEAD_PARAM4;
var<workgroup> stage: array<vec4f, BACKWARD_TILE * STAGE_ROW4>;
// Layer l's input rows hold h_l, then delta_{l-1} once the pass below has run; its output rows delta_l.
fn stagedInputRow(layer: u32) -> u32 { return LAYER_ACT4[layer]; }
fn stagedDeltaRow(layer: u32) -> u32 { return LAYER_ACT4[layer + 1u]; }

var<workgroup> tileSample: array<u32, BACKWARD_TILE>;
var<workgroup> tileWeight: array<f32, BACKWARD_TILE>;

// The tile's samples (past the segment's end: its last sample with weight 0) and their observations.
fn loadTile(lid: u32, firstEnv: u32, tileStart: u32, segmentEnd: u32) {
  for (var s = lid; s < BACKWARD_TILE; s += BACKWARD_THREADS) {
    let slot = tileSlot(firstEnv, tileStart + s, segmentEnd);
    tileSample[s] = slot.sample;
    tileWeight[s] = slot.weight;
    for (var k = 0u; k < OBS4; k++) {
      stage[stageAt(s, k)] = observations[slot.sample * OBS4 + k];
    }
  }
}

// h_{layer+1} for the first 4 * groups samples of the tile.
fn forwardLayer(lid: u32, layer: u32, groups: u32) {
  let in4 = LAYER_IN4[layer];
  let out4 = LAYER_OUT4[layer];
  let inRow = LAYER_ACT4[layer];
  let outRow = LAYER_ACT4[layer + 1u];
  let isOutput = layer + 1u == LAYER_COUNT;
  for (var item = lid; item < groups * out4; item += BACKWARD_THREADS) {
    let o4 = item % out4;
    let s = (item / out4) * 4u;
    let bias = policyWeight(LAYER_BIAS4[layer] + o4);
    var z0 = bias;
    var z1 = bias;
    var z2 = bias;
    var z3 = bias;
    let row = LAYER_WEIGHT4[layer] + o4 * 4u * in4;
    for (var i = 0u; i < in4; i++) {
      let w = weightBlock(row + i, in4);
      z0 += stage[stageAt(s, inRow + i)] * w;
      z1 += stage[stageAt(s + 1u, inRow + i)] * w;
      z2 += stage[stageAt(s + 2u, inRow + i)] * w;
      z3 += stage[stageAt(s + 3u, inRow + i)] * w;
    }
    stage[stageAt(s, outRow + o4)] = select(activate(z0), z0, isOutput);
    stage[stageAt(s + 1u, outRow + o4)] = select(activate(z1), z1, isOutput);
    stage[stageAt(s + 2u, outRow + o4)] = select(activate(z2), z2, isOutput);
    stage[stageAt(s + 3u, outRow + o4)] = select(activate(z3), z3, isOutput);
  }
}

// delta_L = w * d log pi(a|s) / d(logits, head parameters), over the logits' rows, for the first `count` samples.
fn headDeltas(lid: u32, count: u32) {
  let outRow = LAYER_ACT4[LAYER_COUNT];
  for (var s = lid; s < count; s += BACKWARD_THREADS) {
    for (var k = 0u; k < OUTPUT4; k++) {
      activations[outRow + k] = stage[stageAt(s, outRow + k)]; // the head reads the logits from here (mlpOutputs)
    }
    let gradient = policyGradient(loadAction(tileSample[s]));
    let weight = tileWeight[s];
    for (var k = 0u; k < HEAD_DELTA4; k++) {
      stage[stageAt(s, outRow + k)] = weight * gradient[k];
    }
  }
}

// delta_{layer-1} = (W_layer^T delta_layer) * f'(h_layer), in place of h_layer, for the first 4 * groups samples.
fn deltaLayer(lid: u32, layer: u32, groups: u32) {
  let in4 = LAYER_IN4[layer];
  let out4 = LAYER_OUT4[layer];
  let inRow = LAYER_ACT4[layer];
  let deltaRow = LAYER_ACT4[layer + 1u];
  for (var item = lid; item < groups * in4; item += BACKWARD_THREADS) {
    let i = item % in4;
    let s = (item / in4) * 4u;
    var sum0 = vec4f(0.0);
    var sum1 = vec4f(0.0);
    var sum2 = vec4f(0.0);
    var sum3 = vec4f(0.0);
    var row = LAYER_WEIGHT4[layer] + i;
    for (var o4 = 0u; o4 < out4; o4++) {
      let w = weightBlock(row, in4);
      sum0 += w * stage[stageAt(s, deltaRow + o4)];
      sum1 += w * stage[stageAt(s + 1u, deltaRow + o4)];
      sum2 += w * stage[stageAt(s + 2u, deltaRow + o4)];
      sum3 += w * stage[stageAt(s + 3u, deltaRow + o4)];
      row += 4u * in4;
    }
    let at = stageAt(s, inRow + i);
    stage[at] = sum0 * activationSlope(stage[at]);
    stage[at + STAGE_ROW4] = sum1 * activationSlope(stage[at + STAGE_ROW4]);
    stage[at + 2u * STAGE_ROW4] = sum2 * activationSlope(stage[at + 2u * STAGE_ROW4]);
    stage[at + 3u * STAGE_ROW4] = sum3 * activationSlope(stage[at + 3u * STAGE_ROW4]);
  }
}

// One tile: forward through every layer, the head's deltas, then from the last layer down: accumulate the layer's
// weight gradient, and (below the first layer there is only the observation) its input's deltas.
fn runTile(lid: u32, firstEnv: u32, tileStart: u32, segmentEnd: u32, count: u32) {
  // Work items cover samples in fours: slots past `count` (the segment's last sample again) run the forward pass, and
  // with their logits left in place of head deltas the delta pass makes meaningless values of them, which
  // accumulateLayer never reads (it stops at `count`).
  let groups = (count + 3u) / 4u;
  workgroupBarrier(); // the previous tile is read
  loadTile(lid, firstEnv, tileStart, segmentEnd);
  workgroupBarrier();
  for (var layer = 0u; layer < LAYER_COUNT; layer++) {
    forwardLayer(lid, layer, groups);
    workgroupBarrier();
  }
  headDeltas(lid, count);
  workgroupBarrier();
  for (var above = LAYER_COUNT; above > 0u; above--) {
    let layer = above - 1u;
    accumulateLayer(lid, layer, count);
    if (layer > 0u) {
      workgroupBarrier(); // h_layer is read
      deltaLayer(lid, layer, groups);
      workgroupBarrier();
    }
  }
}

@compute @workgroup_size(BACKWARD_THREADS)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  backwardGroup(lid, group.x);
}
