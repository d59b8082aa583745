// Test kernel: Philox4x32-10 on given (counter, key) pairs; one invocation per pair.
#include "common/philox.wgsl"

struct Case {
  counter: vec4u,
  key: vec4u,
}

@group(0) @binding(0) var<storage, read> cases: array<Case>;
@group(0) @binding(1) var<storage, read_write> outputs: array<vec4u>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= arrayLength(&cases)) {
    return;
  }
  outputs[id.x] = philox4x32(cases[id.x].counter, cases[id.x].key.xy);
}
