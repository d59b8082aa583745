// Deterministic tree reductions across one workgroup of REDUCE_SIZE invocations (no atomics: the order of
// every addition is fixed, so a run's results do not depend on scheduling).
// Call from uniform control flow; every invocation gets the result.
// Needs: nothing (the kernel's workgroup must have REDUCE_SIZE invocations)
// Provides: REDUCE_SIZE, reduceScratch (workgroup), workgroupSum4, workgroupMinMax

const REDUCE_SIZE: u32 = 256u;

var<workgroup> reduceScratch: array<vec4f, REDUCE_SIZE>;

fn workgroupSum4(value: vec4f, lid: u32) -> vec4f {
  reduceScratch[lid] = value;
  workgroupBarrier();
  for (var stride = REDUCE_SIZE / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      reduceScratch[lid] += reduceScratch[lid + stride];
    }
    workgroupBarrier();
  }
  let total = reduceScratch[0];
  workgroupBarrier();
  return total;
}

// (min of x, max of y) across the workgroup.
fn workgroupMinMax(value: vec2f, lid: u32) -> vec2f {
  reduceScratch[lid] = vec4f(value, 0.0, 0.0);
  workgroupBarrier();
  for (var stride = REDUCE_SIZE / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      let a = reduceScratch[lid];
      let b = reduceScratch[lid + stride];
      reduceScratch[lid] = vec4f(min(a.x, b.x), max(a.y, b.y), 0.0, 0.0);
    }
    workgroupBarrier();
  }
  let result = reduceScratch[0].xy;
  workgroupBarrier();
  return result;
}
