// Seeds for tests that draw random inputs: a fresh one every run, or the one in TEST_SEED, printed so that a
// failure can be repeated: TEST_SEED=N npx vitest run test/<file>.test.ts
import { randomInt } from 'node:crypto';

const seeds = new Map<string, number>();

/**
 * The seed (a u32) for the random inputs `label` names: TEST_SEED when it is set (an integer from 0 to 2^32 - 1),
 * else a fresh one. The first call for a label prints "label: seed N (TEST_SEED=N to reproduce)"; later calls for
 * the same label return the same seed.
 */
export function testSeed(label: string): number {
  const known = seeds.get(label);
  if (known !== undefined) return known;
  const fixed = process.env.TEST_SEED?.trim();
  let seed: number;
  if (fixed) {
    seed = Number(fixed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new Error(`TEST_SEED must be an integer from 0 to 4294967295, got "${process.env.TEST_SEED}"`);
  } else {
    seed = randomInt(0, 2 ** 32);
  }
  seeds.set(label, seed);
  console.log(`${label}: seed ${seed} (TEST_SEED=${seed} to reproduce)`);
  return seed;
}
