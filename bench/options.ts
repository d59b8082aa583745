// The benchmark's command line: every flag, its default (full run and --quick), and the checks that stop a run
// before it starts with a message naming the flag and what it takes (exit status 2).
import { parseArgs } from 'node:util';
import { parseKernelOptions } from './ab.js';
import { benchPolicy } from './policies.js';
import type { KernelOptions } from './workload.js';

export const NODE_PEERS = ['cpu-ts', 'jax-js-wasm'] as const;
export const BROWSER_PEERS = ['tfjs-webgpu', 'tfjs-wasm', 'jax-js-webgpu'] as const;
export type BrowserPeerName = (typeof BROWSER_PEERS)[number];
export type PeerName = (typeof NODE_PEERS)[number] | BrowserPeerName;
export const ALL_PEERS: PeerName[] = [...NODE_PEERS, ...BROWSER_PEERS];
export const isBrowserPeer = (name: PeerName) => BROWSER_PEERS.includes(name as never);
const SECTIONS = ['ceiling', 'compare', 'scaling', 'solve', 'learn', 'ab'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  /** Print the one-line JSON summary last. */
  json: boolean;
  /** Timed repetitions per figure (the median is reported). */
  reps: number;
  /** compare: environment counts, and the bounded slice (first steps of every episode) all are timed on. */
  compareEnvs: number[];
  slice: number;
  peers: PeerName[];
  sections: Section[];
  /** Open headless Chromium for the browser peers, the engine there and the Chromium ceiling. */
  useBrowser: boolean;
  learnPeers: PeerName[];
  scalingEnvs: number[];
  scalingHorizon: number;
  widths: number[];
  widthEnvs: number;
  seeds: number;
  ceilingSize: number;
  /** Every WebGPU runner (the engine in Node and Chromium, the browser peers) without Dawn's shader bounds
   *  clamping (the Dawn toggle disable_robustness): what robustness costs on this adapter. */
  noRobustness: boolean;
  /** ab: the variant of the engine's kernel options timed against its defaults, and the rounds. */
  abVariant: KernelOptions | undefined;
  abRounds: number;
  out: string;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}
function integers(flag: string, text: string, min: number, max: number): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const list = parts.map(Number);
  if (parts.some((part) => !/^\d+$/.test(part)) || list.some((x) => x < min || x > max))
    fail(`--${flag} must be comma-separated integers from ${min} to ${max}, got "${text}"`);
  return list;
}
function integer(flag: string, text: string, min: number, max: number): number {
  if (text.includes(',')) fail(`--${flag} takes one integer from ${min} to ${max}, got "${text}"`);
  return integers(flag, text, min, max)[0] as number;
}
function names<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  if (text === 'none') return [];
  const list = text.split(',').map((s) => s.trim()) as T[];
  const wrong = list.find((x) => !allowed.includes(x));
  if (wrong !== undefined) fail(`--${flag}: "${wrong}" is not one of ${allowed.join(', ')} (or none)`);
  return list;
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      reps: { type: 'string' },
      envs: { type: 'string' },
      slice: { type: 'string' },
      peers: { type: 'string' },
      'skip-browser': { type: 'boolean' },
      sections: { type: 'string' },
      'scaling-envs': { type: 'string' },
      'scaling-horizon': { type: 'string' },
      widths: { type: 'string' },
      'width-envs': { type: 'string' },
      seeds: { type: 'string' },
      'learn-peers': { type: 'string' },
      out: { type: 'string' },
      'ceiling-size': { type: 'string' },
      ab: { type: 'string' },
      'ab-rounds': { type: 'string' },
      'no-robustness': { type: 'boolean' },
    },
  });
  const quick = values.quick === true;
  const sections = names('sections', values.sections ?? 'ceiling,compare,scaling,solve', SECTIONS);
  const widths = integers('widths', values.widths ?? '32,64,128,256', 32, 1024);
  for (const width of widths) {
    try {
      benchPolicy([width, width]);
    } catch {
      fail(`--widths: no starting policy for ${width} units; use 32, 64 or a width above 64 (the 64x64 policy padded)`);
    }
  }
  const ceilingSize = integer('ceiling-size', values['ceiling-size'] ?? (quick ? '512' : '1024'), 64, 8192);
  if (ceilingSize % 64) fail(`--ceiling-size must be a multiple of 64, got ${ceilingSize}`);
  let abVariant: KernelOptions | undefined;
  if (sections.includes('ab')) {
    const parsed = parseKernelOptions(values.ab ?? '');
    if (typeof parsed === 'string') fail(values.ab === undefined ? '--sections ab needs --ab \'{"option":value}\'' : parsed);
    abVariant = parsed;
  }
  return {
    quick,
    json: values.json === true,
    reps: integer('reps', values.reps ?? (quick ? '2' : '3'), 1, 100),
    compareEnvs: integers('envs', values.envs ?? (quick ? '1024' : '256,1024,4096,16384'), 1, 1 << 22),
    slice: integer('slice', values.slice ?? '50', 1, 500),
    peers: names('peers', values.peers ?? ALL_PEERS.join(','), ALL_PEERS),
    sections,
    useBrowser: values['skip-browser'] !== true,
    noRobustness: values['no-robustness'] === true,
    // tfjs-webgpu learns too (same code as tfjs-wasm) but takes about half an hour on SwiftShader: ask for it by name.
    learnPeers: names('learn-peers', values['learn-peers'] ?? 'cpu-ts,jax-js-wasm,tfjs-wasm,jax-js-webgpu', ALL_PEERS),
    scalingEnvs: integers(
      'scaling-envs',
      values['scaling-envs'] ?? (quick ? '256,1024,4096' : '256,1024,4096,16384'),
      1,
      1 << 22,
    ),
    scalingHorizon: integer('scaling-horizon', values['scaling-horizon'] ?? (quick ? '50' : '500'), 1, 500),
    widths,
    widthEnvs: integer('width-envs', values['width-envs'] ?? (quick ? '256' : '1024'), 1, 1 << 22),
    seeds: integer('seeds', values.seeds ?? '3', 0, 20),
    ceilingSize,
    abVariant,
    abRounds: integer('ab-rounds', values['ab-rounds'] ?? '4', 1, 100),
    out: values.out ?? 'bench/results',
  };
}
