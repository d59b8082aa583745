// Philox4x32-10 on the CPU: the same generator as shaders/common/philox.wgsl, for seeded initialisation and
// as the reference the WGSL version is tested against.

const M0 = 0xd2511f53n;
const M1 = 0xcd9e8d57n;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const MASK = 0xffffffffn;

export function philox4x32(counter: readonly number[], key: readonly number[]): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map((x) => x >>> 0) as [number, number, number, number];
  let [k0, k1] = key.map((x) => x >>> 0) as [number, number];
  for (let round = 0; round < 10; round++) {
    const p0 = M0 * BigInt(c0);
    const p1 = M1 * BigInt(c2);
    const hi0 = Number(p0 >> 32n);
    const lo0 = Number(p0 & MASK);
    const hi1 = Number(p1 >> 32n);
    const lo1 = Number(p1 & MASK);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** The uniforms in (0, 1) that uniform4() in WGSL makes from the same bits. */
export function uniform4(bits: readonly number[]): number[] {
  return bits.map((b) => ((b >>> 8) + 0.5) / 16777216);
}

/** A seeded stream of uniforms in (0, 1) for host-side use (policy initialisation). */
export function uniformStream(seed: number, stream: number): () => number {
  let counter = 0;
  let buffer: number[] = [];
  return () => {
    if (buffer.length === 0) {
      buffer = uniform4(philox4x32([counter++, 0, 0, stream], [seed, 0x1417]));
    }
    return buffer.pop() as number;
  };
}
