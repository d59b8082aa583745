// The `#unroll` step of shader composition (src/gpu/unrollLoops.ts): loop bodies repeated with their variable a
// constant, bounds read from the shader's constants, origins kept for compile errors, bad input refused by name.
// (The kernel it exists for, shaders/cpu/laneGradients.wgsl, is checked against float64 in gradient.test.ts.)
import { describe, expect, it } from 'vitest';
import { composeSource, originOf } from '../src/gpu/shaderSource.js';
import { unrollLoops } from '../src/gpu/unrollLoops.js';
import { ReinforceError } from '../src/index.js';
import { testDevice } from './helpers/gpu.js';

const prelude = ['const COUNT: u32 = 2u;', 'const WIDTHS = array<u32, 3>(1u, 3u, 2u);', 'const TOTAL: u32 = COUNT * 3u;'].join(
  '\n',
);

describe('#unroll', () => {
  it('repeats nested bodies with each variable a constant, bounds from constants, arrays and enclosing loops', async () => {
    const kernel = [
      'fn f() {',
      '  #unroll',
      '  for (var layer = 0u; layer < COUNT + 1u; layer++) {',
      '    #unroll',
      '    for (var k = 1u; k < (WIDTHS[layer] + TOTAL) % 5u; k++) {',
      '      x[layer * 4u + k] = 1.0; // a comment with { and }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const code = await composeSource('kernel.wgsl', kernel, { prelude });
    // (WIDTHS[layer] + 6) % 5 = 2, 4, 3: k runs 1..1, 1..3, 1..2.
    const copies = [...code.matchAll(/const k = (\d+)u;/g)].map((m) => Number(m[1]));
    expect(copies).toEqual([1, 1, 2, 3, 1, 2]);
    expect([...code.matchAll(/const layer = (\d+)u;/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2]);
    expect(code).not.toMatch(/#unroll|for \(/);
    // Every line still names where it came from: the third copy of the inner body is line 6 of kernel.wgsl, and
    // the closing brace of f after the loops is line 9.
    const lines = code.split('\n');
    const bodies = lines.flatMap((l, i) => (l.includes('x[layer * 4u + k]') ? [i + 1] : []));
    expect(bodies).toHaveLength(6);
    for (const line of bodies) expect(originOf(code, line)).toBe('kernel.wgsl line 6');
    expect(originOf(code, lines.length)).toBe('kernel.wgsl line 9');
  });

  it('makes code that computes what the rolled loop computes', async () => {
    const device = await testDevice();
    const body = [
      '@group(0) @binding(0) var<storage, read_write> out: array<f32>;',
      'var<private> sums: array<f32, 8>;',
      '@compute @workgroup_size(1) fn main() {',
      '  UNROLL',
      '  for (var layer = 0u; layer < COUNT + 1u; layer++) {',
      '    UNROLL',
      '    for (var k = 0u; k < WIDTHS[layer]; k++) {',
      '      sums[layer + k] += f32(layer * 10u + k + 1u);',
      '    }',
      '  }',
      '  for (var i = 0u; i < 8u; i++) { out[i] = sums[i]; }',
      '}',
    ].join('\n');
    const results: number[][] = [];
    for (const unroll of [true, false]) {
      const code = await composeSource('k.wgsl', body.replaceAll('UNROLL', unroll ? '#unroll' : ''), { prelude });
      const module = device.createShaderModule({ code });
      const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const out = device.createBuffer({ size: 32, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const read = device.createBuffer({ size: 32, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }),
      );
      pass.dispatchWorkgroups(1);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, read, 0, 32);
      device.queue.submit([encoder.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      results.push([...new Float32Array(read.getMappedRange().slice(0))]);
      read.unmap();
      out.destroy();
      read.destroy();
    }
    // layer 0: k 0 -> sums[0] += 1; layer 1: k 0..2 -> sums[1..3] += 11, 12, 13; layer 2: k 0..1 -> sums[2..3] += 21, 22.
    expect(results[0]).toEqual([1, 11, 33, 35, 0, 0, 0, 0]);
    expect(results[1]).toEqual(results[0]);
  });

  it('leaves a shader without #unroll as it is', () => {
    const code = 'const A: u32 = 1u;\nfn f() { for (var i = 0u; i < A; i++) { } }';
    expect(unrollLoops(code)).toBe(code);
  });

  // [kernel, the line the error names, what it says]
  const refusals: [string, number, RegExp][] = [
    ['#unroll\nfor (var i = 0u; i <= 3u; i++) {\n}', 1, /must be followed by `for \(var i = A; i < B; i\+\+\) \{`/],
    ['#unroll\nfor (var i = 0u; i < NOPE; i++) {\n}', 2, /cannot evaluate "NOPE" \(NOPE is not a u32 constant\)/],
    ['#unroll\nfor (var i = 0u; i < WIDTHS[3]; i++) {\n}', 2, /WIDTHS\[3\] is out of range/],
    ['#unroll\nfor (var i = 0u; i < 3u & 1u; i++) {\n}', 2, /unexpected characters in "3u & 1u"/],
    ['#unroll\nfor (var i = 0; i < 3u; i++) {\n}', 2, /write the start as a u32 \(0u\)/],
    ['#unroll\nfor (var i = 0u; i < 2u; i++) {\n  x();', 2, /the loop is never closed/],
    ['#unroll\nfor (var i = 0u; i < 2u; i++) {\n  x(); }', 3, /must end with `}` alone on its line/],
    ['#unroll\nfor (var i = 0u; i < 100000u; i++) {\n}', 2, /more than 65536 copies/],
  ];
  for (const [kernel, line, message] of refusals) {
    it(`refuses, naming the line: ${message.source.replaceAll('\\', '')}`, async () => {
      const error = await composeSource('bad.wgsl', kernel, { prelude }).catch((e) => e);
      expect(error).toBeInstanceOf(ReinforceError);
      expect(error.message).toMatch(new RegExp(`^bad\\.wgsl line ${line}: #unroll`));
      expect(error.message).toMatch(message);
    });
  }
});
