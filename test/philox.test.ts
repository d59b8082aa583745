// Philox4x32-10: the WGSL generator against the Random123 known-answer vectors and the TypeScript port.
import { describe, expect, it } from 'vitest';
import { philox4x32 } from '../src/random/philox.js';
import { seededRandom, testDevice } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';
import { runTestKernel, storageBuffer, testKernel } from './helpers/testKernel.js';

// From Random123's kat_vectors (philox4x32 10 rounds): counter, key, expected output.
const KNOWN_ANSWERS = [
  { counter: [0, 0, 0, 0], key: [0, 0], out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

describe('philox4x32-10', () => {
  it('matches the known-answer vectors on the CPU', () => {
    for (const k of KNOWN_ANSWERS) expect(philox4x32(k.counter, k.key)).toEqual(k.out);
  });

  it('matches the CPU port bit for bit on the GPU, for known answers and fresh random counters', async () => {
    const device = await testDevice();
    const random = seededRandom(testSeed('philox.test.ts'));
    const cases = [...KNOWN_ANSWERS.map((k) => ({ counter: k.counter, key: k.key }))];
    for (let i = 0; i < 253; i++) {
      const word = () => Math.floor(random() * 2 ** 32);
      cases.push({ counter: [word(), word(), word(), word()], key: [word(), word()] });
    }
    const input = new Uint32Array(cases.length * 8);
    cases.forEach((c, i) => {
      input.set(c.counter, i * 8);
      input.set(c.key, i * 8 + 4);
    });
    const kernel = await testKernel(device, 'philox.wgsl', '');
    const outputs = storageBuffer(device, new Uint32Array(cases.length * 4).fill(0xdeadbeef));
    const result = new Uint32Array(
      await runTestKernel(
        device,
        kernel,
        { cases: storageBuffer(device, input), outputs },
        Math.ceil(cases.length / 64),
        'outputs',
      ),
    );
    cases.forEach((c, i) => {
      expect(Array.from(result.subarray(i * 4, i * 4 + 4))).toEqual(philox4x32(c.counter, c.key));
    });
    KNOWN_ANSWERS.forEach((k, i) => {
      expect(Array.from(result.subarray(i * 4, i * 4 + 4))).toEqual(k.out);
    });
  });
});
