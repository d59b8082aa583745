// Backward pass: the policy gradient
//     grad J = (1/N) sum_i sum_t grad log pi(a_it|s_it) * A_it
// (the ascent direction), or, with TRAJECTORY_GRAD_SQ, each trajectory's ||g(tau_i)||^2 (common/weightGradient.wgsl
// walks the samples, tile by tile, and accumulates the weight gradient).
//
// Per tile, here, each of the first BACKWARD_TILE / SAMPLES_PER_INVOCATION invocations runs its samples' forward
// passes (SAMPLES_PER_INVOCATION consecutive samples, 1 or 2; with USE_STORED_ACTIVATIONS only the first and the
// output layer, the hidden rows between read from the rollout's) and backpropagates
//     delta_L = w * d log pi(a|s) / d z_L (the head's policyGradient),
//     delta_{l-1} = (W_l^T delta_l) * f'(h_{l-1}),   w = A_it / N
// in private arrays; then, layer by layer, the tile's layer inputs and deltas are staged in workgroup memory for
// accumulateLayer (wide layers get more invocations than samples so that the weight blocks fit in registers).
// CPU adapters run shaders/cpu/laneGradients.wgsl for the gradient instead (the kernel plan's laneGradients,
// src/algo/kernelPlan.ts).

#include "common/config.wgsl"
#include "common/mlpPair.wgsl"
#include "head"
#include "common/loadAction.wgsl"
#include "common/weightGradient.wgsl"
#include "common/sampleDeltas.wgsl"

// One layer at a time: sample s's inputs of that layer, then its output deltas.
const STAGE_ROW4: u32 = MAX_STAGE4;
var<workgroup> stage: array<vec4f, BACKWARD_TILE * MAX_STAGE4>;
fn stagedInputRow(layer: u32) -> u32 { return 0u; }
fn stagedDeltaRow(layer: u32) -> u32 { return LAYER_IN4[layer]; }

// Stages the tile one layer at a time and adds its `count` samples (the rest of a segment's last tile is empty) to
// the weight blocks this invocation owns.
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
    accumulateLayer(lid, layer, count);
  }
}

// One tile: the samples' deltas (pairs run by whole subgroups, mlpPair.wgsl: past the segment's end a slot repeats
// the last sample with weight 0, whose deltas are zero, and a subgroup with no sample left sits out;
// accumulateLayer reads only the tile's samples, so what idle slots stage is never read), then the accumulation.
fn runTile(lid: u32, firstEnv: u32, tileStart: u32, segmentEnd: u32, count: u32) {
  let flat = tileStart + lid * SAMPLES_PER_INVOCATION;
  if (SAMPLES_PER_INVOCATION == 2u && lid < BACKWARD_TILE / 2u) {
    if (!wholeSubgroup(flat >= segmentEnd)) {
      let a = tileSlot(firstEnv, flat, segmentEnd);
      let b = tileSlot(firstEnv, flat + 1u, segmentEnd);
      samplePairBackward(a.sample, a.weight, b.sample, b.weight);
    }
  } else if (SAMPLES_PER_INVOCATION == 1u && lid < BACKWARD_TILE && flat < segmentEnd) {
    let sample = packedSample(firstEnv, flat);
    sampleBackward(sample, sampleWeightOf(sample));
  }
  accumulateTile(lid, count);
}

fn backwardMain(lid: u32, group: u32) {
  if (SAMPLES_PER_INVOCATION == 2u) {
    startPairWeights();
  }
  backwardGroup(lid, group);
}

// The policy gradient's partial sum over this workgroup's trajectories (the host sets TRAJECTORY_GRAD_SQ false).
@compute @workgroup_size(BACKWARD_THREADS)
fn backwardGradient(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  backwardMain(lid, group.x);
}

// ||g(tau_i)||^2 per trajectory for the optimal baseline (the host sets TRAJECTORY_GRAD_SQ true).
@compute @workgroup_size(BACKWARD_THREADS)
fn backwardTrajectoryGradSq(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  trajectoryPass = 0u;
  backwardMain(lid, group.x);
}

// ||G_i + H_i||^2 and ||G_i - H_i||^2 per trajectory (common/backwardSamples.wgsl), after `advantages` was filled
// with the returns: the optimal baseline with reward-to-go (the host sets TRAJECTORY_GRAD_SQ true).
@compute @workgroup_size(BACKWARD_THREADS)
fn backwardTrajectoryPlusSq(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  trajectoryPass = 1u;
  backwardMain(lid, group.x);
}

@compute @workgroup_size(BACKWARD_THREADS)
fn backwardTrajectoryMinusSq(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) group: vec3u) {
  trajectoryPass = 2u;
  backwardMain(lid, group.x);
}
