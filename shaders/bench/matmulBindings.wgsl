// The ceiling matmuls' shared interface: C = A B for row-major f32 matrices stored as vec4s (A is M x K, B is
// K x N), the sizes in `dims`. bench/ceiling.ts binds these for matmulTiled.wgsl and matmulRegisters.wgsl.
// Needs: nothing
// Provides: Dims; bindings dims, a, b, c
struct Dims {
  m: u32,
  n: u32,
  k: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c: array<vec4<f32>>;
