// The benchmark's ceiling: C = A B for row-major f32 matrices (A is M x K, B is K x N), register-tiled.
// A workgroup of 16 x 16 invocations computes a 64 x 64 tile of C; each invocation holds a 4 x 4 block of it
// in registers (four vec4 accumulators, one per row). Per step of 16 along K the workgroup stages a 64 x 16
// tile of A and a 16 x 64 tile of B in workgroup memory, one vec4 load per invocation for each.
// M, N and K must be multiples of 64, 64 and 16 (the host checks).
#include "bench/matmulBindings.wgsl"

const TILE: u32 = 64u;
const STEP: u32 = 16u;

var<workgroup> tileA: array<array<f32, STEP>, TILE>;
var<workgroup> tileB: array<array<vec4<f32>, 16>, STEP>;

@compute @workgroup_size(16, 16)
fn matmul(@builtin(local_invocation_id) local: vec3<u32>, @builtin(workgroup_id) group: vec3<u32>) {
  let k4 = dims.k / 4u;
  let n4 = dims.n / 4u;
  let flat = local.y * 16u + local.x;
  let rowA = flat / 4u;
  let colA4 = flat % 4u;
  let rowB = flat / 16u;
  let colB4 = flat % 16u;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < dims.k; k0 += STEP) {
    let av = a[(group.y * TILE + rowA) * k4 + k0 / 4u + colA4];
    tileA[rowA][colA4 * 4u] = av.x;
    tileA[rowA][colA4 * 4u + 1u] = av.y;
    tileA[rowA][colA4 * 4u + 2u] = av.z;
    tileA[rowA][colA4 * 4u + 3u] = av.w;
    tileB[rowB][colB4] = b[(k0 + rowB) * n4 + group.x * 16u + colB4];
    workgroupBarrier();
    for (var kk = 0u; kk < STEP; kk++) {
      let bv = tileB[kk][local.x];
      acc[0] = fma(vec4<f32>(tileA[local.y * 4u][kk]), bv, acc[0]);
      acc[1] = fma(vec4<f32>(tileA[local.y * 4u + 1u][kk]), bv, acc[1]);
      acc[2] = fma(vec4<f32>(tileA[local.y * 4u + 2u][kk]), bv, acc[2]);
      acc[3] = fma(vec4<f32>(tileA[local.y * 4u + 3u][kk]), bv, acc[3]);
    }
    workgroupBarrier();
  }
  let row0 = group.y * TILE + local.y * 4u;
  let col4 = group.x * 16u + local.x;
  for (var i = 0u; i < 4u; i++) {
    c[(row0 + i) * n4 + col4] = acc[i];
  }
}
