// Bad input, systematically (issue #18): random mutations of valid JSON inputs and argument lists, and the check
// every refusal must pass: a ReinforceError or a UsageError whose message is one line naming the field or flag,
// never a TypeError, a RangeError, a stack trace or a hang. Counts per kind are printed by the fuzz tests.
import { expect } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { ReinforceError } from '../../src/errors.js';

export type Random = () => number;

/** A seeded float64 generator (mulberry32), its own so that the fuzz draws do not depend on other helpers. */
export function fuzzRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Values of every type that show up where they should not: NaN-like, huge, negative, empty, nested, odd strings. */
export const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  -1e-30,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  1e12,
  3.5e38,
  1e300,
  -1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '',
  ' ',
  'x',
  '1',
  '-1',
  'NaN',
  'Infinity',
  '1e999',
  '0x10',
  'two\nlines',
  'a'.repeat(5000),
  'categorical',
  'gaussian',
  'tanh',
  'linear',
  [],
  [1],
  [1, 2, 3],
  [Number.NaN],
  ['1'],
  [[1]],
  {},
  { a: 1 },
  { kind: 'categorical', n: 2 },
];

/** One of ODD_VALUES, a copy (mutations later in the same case must not change the list). */
const odd = (random: Random): unknown => structuredClone(pick(random, ODD_VALUES));

const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'Format', 'obsdim', '0'];

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** Every [parent, key] slot of a JSON tree (the root has no parent), arrays sampled so long ones do not dominate. */
function slots(root: unknown): [Container, string | number][] {
  const found: [Container, string | number][] = [];
  const visit = (node: unknown) => {
    if (!isContainer(node)) return;
    if (Array.isArray(node)) {
      const step = Math.max(1, Math.floor(node.length / 8));
      for (let i = 0; i < node.length; i += step) {
        found.push([node, i]);
        visit(node[i]);
      }
      if (node.length > 1) found.push([node, node.length - 1]);
    } else {
      for (const key of Object.keys(node)) {
        found.push([node, key]);
        visit(node[key]);
      }
    }
  };
  visit(root);
  return found;
}

/** Sets a key as JSON.parse would: "__proto__" becomes an own property, not the prototype. */
function setOwn(target: Container, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function perturbNumber(random: Random, x: number): number {
  return pick(random, [x + 1, x - 1, -x, x * 2, x / 2, x + 0.5, 0, x * 1e30, Math.fround(x) + 1e-3]);
}

function mutateValue(random: Random, value: unknown, donors: unknown[]): unknown {
  const kind = Math.floor(random() * 8);
  if (kind === 0 || kind === 1) return odd(random);
  if (kind === 2 && typeof value === 'number') return perturbNumber(random, value);
  if (kind === 2 && typeof value === 'string') return pick(random, [value.toUpperCase(), `${value} `, value.slice(1), '']);
  if (kind === 3 && Array.isArray(value)) {
    const copy = [...value];
    const choice = Math.floor(random() * 5);
    if (choice === 0) copy.pop();
    else if (choice === 1) copy.push(copy[0] ?? 0);
    else if (choice === 2) return [];
    else if (choice === 3) return [...copy, ...copy];
    else copy.splice(Math.floor(random() * copy.length), 1, odd(random));
    return copy;
  }
  if (kind === 4) return [value]; // wrong nesting: one level too deep
  if (kind === 5 && isContainer(value)) {
    const inner = Object.values(value);
    return inner.length > 0 ? pick(random, inner) : null; // one level too shallow
  }
  if (kind === 6 && donors.length > 0) return structuredClone(pick(random, donors)); // a valid value, wrong place
  return odd(random);
}

/** A deep copy of `valid` with 1 to 3 random mutations: deleted, retyped, perturbed, resized, renested or extra fields. */
export function mutateJson(random: Random, valid: unknown): unknown {
  const root = { root: structuredClone(valid) };
  const count = 1 + Math.floor(random() * 3);
  for (let m = 0; m < count; m++) {
    const all = slots(root);
    const [parent, key] = pick(random, all);
    const donors = all.map(([p, k]) => (p as Record<string | number, unknown>)[k]).filter((v) => !isContainer(v));
    const action = random();
    if (action < 0.15 && parent !== root) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (action < 0.25) {
      const target = (parent as Record<string | number, unknown>)[key];
      if (isContainer(target) && !Array.isArray(target)) setOwn(target, pick(random, EXTRA_KEYS), odd(random));
      else setOwn(parent, key, mutateValue(random, target, donors));
    } else {
      setOwn(parent, key, mutateValue(random, (parent as Record<string | number, unknown>)[key], donors));
    }
  }
  return root.root;
}

export type Outcome = 'accepted' | 'refused';

export interface Tally {
  cases: number;
  accepted: number;
  refused: number;
}

export function tally(): Tally {
  return { cases: 0, accepted: 0, refused: 0 };
}

export function count(t: Tally, outcome: Outcome): void {
  t.cases++;
  t[outcome]++;
}

const shortJson = (value: unknown) => {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 400 ? `${text.slice(0, 400)}...` : text;
  } catch {
    return String(value);
  }
};

/**
 * Runs one case: 'accepted' when `run` returns, 'refused' when it throws a ReinforceError or UsageError whose message
 * is one line (at most 400 characters, no stack) that `names` accepts; anything else fails the test, showing the input.
 */
export function handled(label: string, input: unknown, names: RegExp, run: () => void): Outcome {
  try {
    run();
    return 'accepted';
  } catch (error) {
    checkRefusal(label, input, names, error);
    return 'refused';
  }
}

export async function handledAsync(label: string, input: unknown, names: RegExp, run: () => Promise<void>): Promise<Outcome> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    checkRefusal(label, input, names, error);
    return 'refused';
  }
}

function checkRefusal(label: string, input: unknown, names: RegExp, error: unknown): void {
  const where = `${label} with ${shortJson(input)}`;
  if (!(error instanceof ReinforceError || error instanceof UsageError))
    expect.fail(`${where}: threw ${(error as Error)?.name}: ${(error as Error)?.message}\n${(error as Error)?.stack}`);
  const message = error.message;
  expect(message, `${where}: a multi-line message`).not.toMatch(/\n/);
  expect(message.length, `${where}: a message of ${message.length} characters: ${message.slice(0, 200)}`).toBeLessThanOrEqual(
    400,
  );
  expect(message, `${where}: a message that names no field`).toMatch(names);
  expect(message, `${where}: a message that shows an object as [object Object]`).not.toMatch(/\[object Object\]/);
}

/** Every number in a JSON tree is finite (and, where `float32`, representable as a finite float32). */
export function allFinite(value: unknown, float32 = false): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && (!float32 || Number.isFinite(Math.fround(value)));
  if (isContainer(value)) return Object.values(value).every((v) => allFinite(v, float32));
  return true;
}

export function report(title: string, tallies: Record<string, Tally>, seconds: number): void {
  const rows = Object.entries(tallies).map(
    ([kind, t]) =>
      `  ${kind.padEnd(22)} ${String(t.cases).padStart(6)} cases ${String(t.accepted).padStart(6)} accepted ${String(t.refused).padStart(6)} refused`,
  );
  console.log(`${title} (${seconds.toFixed(1)} s), all handled:\n${rows.join('\n')}`);
}
