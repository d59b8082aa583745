// "pairWeights" for CPU adapters with subgroups (mlpPair.wgsl says what the splice is). On SwiftShader each
// invocation is a lane of a 4-wide SIMD group and a buffer load whose index is not a compile-time constant is a
// per-lane gather: a 4x4 weight block loaded by every lane costs 64 scalar loads, though all four lanes want the same
// block. Here lane k of each group of four loads row slice k (16 loads) and subgroupBroadcast hands every lane the
// four slices (each a register shuffle): a forward-only 4-64-64-4 loop, two samples per invocation, ran 1.2-1.35x
// faster (1.38 -> 1.74-1.94 GFLOP/s, scratch measurement in one run).
// Needs: policyWeight (the kernel, or common/backwardSamples.wgsl), a device with the "subgroups" feature, the
//   kernel calling startPairWeights() first (common/mlpPair.wgsl includes this splice)
// Provides: enable subgroups, diagnostic(off, subgroup_uniformity) (hoisted to the top by the composer);
//   pairWeightLane (private), startPairWeights, pairWeightBlock, wholeSubgroup
//
// Only correct when invocations 0..3 of every subgroup make each call together: the host picks this file only on
// software adapters, for subgroups of at least 4 that the kernels' pair branches keep whole (the kernel plan's
// subgroupWeightSharing (src/algo/kernelPlan.ts)). Invocations past the fourth load again what 0..3 loaded.
enable subgroups;
diagnostic(off, subgroup_uniformity);

// This invocation's row slice within each block: its index in the subgroup, mod 4.
var<private> pairWeightLane: u32;

// Call first, while every invocation of the subgroup is running.
fn startPairWeights() {
  pairWeightLane = subgroupExclusiveAdd(1u) % 4u;
}

fn pairWeightBlock(first: u32, in4: u32) -> mat4x4f {
  let mine = policyWeight(first + pairWeightLane * in4);
  return mat4x4f(subgroupBroadcast(mine, 0u), subgroupBroadcast(mine, 1u), subgroupBroadcast(mine, 2u),
                 subgroupBroadcast(mine, 3u));
}

// True once `done` holds for every invocation of the subgroup: loops that load weights end together.
fn wholeSubgroup(done: bool) -> bool {
  return subgroupAll(done);
}
