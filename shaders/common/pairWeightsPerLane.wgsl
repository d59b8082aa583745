// "pairWeights" for any device: each invocation loads its own weight blocks (mlpPair.wgsl says what the splice is).
// Needs: weightBlock (common/mlp.wgsl, which common/mlpPair.wgsl includes before this splice)
// Provides: startPairWeights, pairWeightBlock, wholeSubgroup

fn startPairWeights() {}

fn pairWeightBlock(first: u32, in4: u32) -> mat4x4f {
  return weightBlock(first, in4);
}

// With no sharing, an invocation may leave a loop on its own.
fn wholeSubgroup(done: bool) -> bool {
  return done;
}
