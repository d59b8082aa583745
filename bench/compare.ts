// compare: the engine (in Node, and in Chromium when the browser is open) and every peer on the same workload, the
// first `slice` steps of every episode, for each N; and the summary rows (one per N and phase: rollout, train)
// that the tables, the chart and the --json line are made of.
import type { PolicyFile } from '../src/index.js';
import type { BrowserSession } from './browserSession.js';
import { measureEngine, measurePeer } from './measure.js';
import { type BenchOptions, type BrowserPeerName, isBrowserPeer, type PeerName } from './options.js';
import { CpuReinforce } from './peers/cpuReinforce.js';
import type { PeerOptions, ReinforcePeer } from './peers/peer.js';
import type { EngineMeasure, PeerMeasure, Workload } from './workload.js';

export type PeerResult = PeerMeasure | { error: string };

export interface CompareRow {
  numEnvs: number;
  engine: EngineMeasure;
  engineChromium?: EngineMeasure;
  peers: Partial<Record<PeerName, PeerResult>>;
}

export interface SummaryWorkload {
  env: 'cartpole';
  numEnvs: number;
  hidden: number[];
  horizon: number;
  phase: 'rollout' | 'train';
  engine: { stepsPerSecond: number; chromium?: { stepsPerSecond: number } };
  peers: Record<string, { stepsPerSecond: number | undefined } | { error: string }>;
}

export const NO_BROWSER = { error: 'skipped: no browser (--skip-browser)' };

/** The peers that run in Node (the others run in the browser page). */
export async function nodePeer(name: PeerName, options: PeerOptions): Promise<ReinforcePeer | undefined> {
  if (name === 'cpu-ts') return new CpuReinforce(options);
  if (name === 'jax-js-wasm') return (await import('./peers/jaxReinforce.js')).createJaxPeer('wasm', options);
  return undefined;
}

/** One peer on one workload; a failure is printed and kept in the row, and the run goes on. */
async function runPeer(
  name: PeerName,
  w: Workload,
  options: PeerOptions,
  reps: number,
  browser: BrowserSession | undefined,
): Promise<PeerResult> {
  try {
    const inNode = await nodePeer(name, options);
    if (inNode) return await measurePeer(inNode, reps);
    if (!browser || !isBrowserPeer(name)) return NO_BROWSER;
    await browser.reload();
    return await browser.call('peer', name as BrowserPeerName, w, options.policy, reps);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
    console.error(`  ${name} failed: ${message}`);
    return { error: message };
  }
}

export async function runCompare(
  o: BenchOptions,
  hidden: number[],
  policy: PolicyFile,
  browser: BrowserSession | undefined,
  progress: (message: string) => void,
  attempt: <T>(what: string, measure: () => Promise<T>) => Promise<T | undefined>,
): Promise<CompareRow[]> {
  const rows: CompareRow[] = [];
  for (const numEnvs of o.compareEnvs) {
    const w: Workload = { env: 'cartpole', numEnvs, hidden, horizon: o.slice };
    progress(`compare N=${numEnvs}: engine (Node)`);
    const engine = await attempt(`engine at N ${numEnvs}`, () => measureEngine(w, policy, o.reps));
    if (!engine) continue;
    const row: CompareRow = { numEnvs, engine, peers: {} };
    if (browser) {
      progress(`compare N=${numEnvs}: engine (Chromium)`);
      row.engineChromium = await attempt(`engine in Chromium at N ${numEnvs}`, async () => {
        await browser.reload();
        return browser.call('engine', w, policy, o.reps);
      });
    }
    for (const name of o.peers) {
      progress(`compare N=${numEnvs}: ${name}`);
      row.peers[name] = await runPeer(name, w, { policy, numEnvs, horizon: o.slice, lr: 1e-7, seed: 1 }, o.reps, browser);
    }
    rows.push(row);
  }
  return rows;
}

/** Rollout and training figures per N: the engine's (Node; Chromium beside it) and each peer's, or its error. */
export function summaryWorkloads(rows: CompareRow[], hidden: number[], slice: number): SummaryWorkload[] {
  const rate = (m: EngineMeasure | PeerMeasure, phase: 'rollout' | 'train') =>
    phase === 'rollout' ? m.rolloutStepsPerSecond : m.trainStepsPerSecond;
  return rows.flatMap((row) =>
    (['rollout', 'train'] as const).map((phase) => ({
      env: 'cartpole' as const,
      numEnvs: row.numEnvs,
      hidden,
      horizon: slice,
      phase,
      engine: {
        stepsPerSecond: rate(row.engine, phase),
        ...(row.engineChromium ? { chromium: { stepsPerSecond: rate(row.engineChromium, phase) } } : {}),
      },
      peers: Object.fromEntries(
        Object.entries(row.peers).map(([name, m]) => [name, 'error' in m ? m : { stepsPerSecond: rate(m, phase) }]),
      ),
    })),
  );
}
