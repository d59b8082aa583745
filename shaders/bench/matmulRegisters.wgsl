// A second ceiling candidate: C = A B for row-major f32 matrices (A is M x K, B is K x N), register-tiled with no
// workgroup memory. Each invocation computes a 4 x 4 block of C (rows 4y .. 4y+3, columns 4x .. 4x+3, one vec4
// accumulator per row): per step of 4 along K it loads a 4 x 4 block of B as a mat4x4 and one vec4 of each of its
// four rows of A, then does four matrix-times-vector products (64 multiply-adds per 8 vec4 loads).
// On a CPU adapter (each invocation a SIMD lane) workgroup memory and barriers cost more than they save: this one
// ran 1.6-2x faster than matmulTiled.wgsl on SwiftShader; a GPU's best is usually the workgroup-tiled one. The
// benchmark times both and takes the faster as the ceiling. M, N and K must be multiples of 64, 64 and 16.
#include "bench/matmulBindings.wgsl"

@compute @workgroup_size(16, 16)
fn matmul(@builtin(global_invocation_id) id: vec3<u32>) {
  let k4 = dims.k / 4u;
  let n4 = dims.n / 4u;
  let col4 = id.x;
  let row = id.y * 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var kk = 0u; kk < k4; kk++) {
    let bBlock = mat4x4<f32>(b[(kk * 4u) * n4 + col4], b[(kk * 4u + 1u) * n4 + col4],
                             b[(kk * 4u + 2u) * n4 + col4], b[(kk * 4u + 3u) * n4 + col4]);
    acc0 += bBlock * a[row * k4 + kk];
    acc1 += bBlock * a[(row + 1u) * k4 + kk];
    acc2 += bBlock * a[(row + 2u) * k4 + kk];
    acc3 += bBlock * a[(row + 3u) * k4 + kk];
  }
  c[row * n4 + col4] = acc0;
  c[(row + 1u) * n4 + col4] = acc1;
  c[(row + 2u) * n4 + col4] = acc2;
  c[(row + 3u) * n4 + col4] = acc3;
}
