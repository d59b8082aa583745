// The benchmark suite. One run measures, on this machine's adapter:
//   ceiling   GFLOP/s of the faster of two register-tiled matmuls (bench/ceiling.ts), in Node and in Chromium;
//   compare   CartPole-v1, MLP 64x64, N environments, on a bounded slice of every episode (the first --slice
//             steps, the same for all): env-steps/s of the rollout alone and of whole training iterations for
//             the engine (Node and Chromium) and every peer (bench/peers/): cpu-ts and jax-js-wasm in Node,
//             tfjs-webgpu, tfjs-wasm and jax-js-webgpu in headless Chromium; ratios printed;
//   scaling   the engine's time per iteration against N and against hidden width, per-kernel GPU time
//             (timestamp queries; CPU clock where the adapter has none, labelled), kernel GFLOP/s against the
//             ceiling, peak GPU buffer memory per environment;
//   solve     time to solve CartPole-v1 (batch mean 475) from fresh policies, several seeds;
//   learn     (not in the default sections) each peer's correctness: it must learn CartPole from the same fresh
//             policy (hidden 32, N 512, lr 0.01) to a batch mean of 475 within 40 iterations;
//   ab        (not in the default sections) the engine with its defaults (A) against a variant of its kernel
//             options (B, --ab '{"subgroupWeightSharing":false}'), in interleaved rounds (bench/ab.ts), in Node.
// Writes bench/results/<date>-<adapter>.json, a chart (.html, and .png when Chromium ran); with --json the last
// line printed is {"adapter","machine","workloads":[{env,numEnvs,hidden,phase,engine,peers}]}.
//   npm run bench -- [--quick] [--json] [--reps 3] [--envs 256,1024,4096,16384] [--slice 50]
//                    [--peers cpu-ts,jax-js-wasm,tfjs-webgpu,tfjs-wasm,jax-js-webgpu|none] [--skip-browser]
//                    [--sections ceiling,compare,scaling,solve,learn,ab] [--scaling-envs ...] [--scaling-horizon 500]
//                    [--widths 32,64,128,256] [--width-envs 1024] [--seeds 3] [--out bench/results]
//                    [--ceiling-size 1024] [--ab '{"samplesPerInvocation":1}'] [--ab-rounds 4]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { type PolicyFile, requestDevice } from '../src/index.js';
import { type AbResult, interleavedAb, parseKernelOptions } from './ab.js';
import type { BrowserSession } from './browserSession.js';
import { type CeilingResult, MATMUL_KERNELS, measureCeiling } from './ceiling.js';
import { type LearningCurve, learnPeer, measureEngine, measurePeer } from './measure.js';
import { CpuReinforce } from './peers/cpuReinforce.js';
import { type PeerOptions, type ReinforcePeer, randomCartpolePolicy } from './peers/peer.js';
import { benchPolicy } from './policies.js';
import { fixed, printTable, writeChart } from './report.js';
import { type SolveRun, timeToSolve } from './solve.js';
import {
  BACKWARD_FORWARD_PASSES,
  describeKernelShape,
  type EngineMeasure,
  forwardFlops,
  hiddenName,
  type KernelOptions,
  median,
  type PeerMeasure,
  type Workload,
} from './workload.js';

const NODE_PEERS = ['cpu-ts', 'jax-js-wasm'] as const;
const BROWSER_PEERS = ['tfjs-webgpu', 'tfjs-wasm', 'jax-js-webgpu'] as const;
type PeerName = (typeof NODE_PEERS)[number] | (typeof BROWSER_PEERS)[number];
const ALL_PEERS: PeerName[] = [...NODE_PEERS, ...BROWSER_PEERS];

const { values } = parseArgs({
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
  },
});

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

const quick = values.quick === true;
const reps = integer('reps', values.reps ?? (quick ? '2' : '3'), 1, 100);
const compareEnvs = integers('envs', values.envs ?? (quick ? '1024' : '256,1024,4096,16384'), 1, 1 << 22);
const slice = integer('slice', values.slice ?? '50', 1, 500);
const peers = names('peers', values.peers ?? ALL_PEERS.join(','), ALL_PEERS);
const sections = names('sections', values.sections ?? 'ceiling,compare,scaling,solve', [
  'ceiling',
  'compare',
  'scaling',
  'solve',
  'learn',
  'ab',
] as const);
const useBrowser = values['skip-browser'] !== true;
// tfjs-webgpu learns too (same code as tfjs-wasm) but takes about half an hour on SwiftShader: ask for it by name.
const learnPeers = names('learn-peers', values['learn-peers'] ?? 'cpu-ts,jax-js-wasm,tfjs-wasm,jax-js-webgpu', ALL_PEERS);
const scalingEnvs = integers(
  'scaling-envs',
  values['scaling-envs'] ?? (quick ? '256,1024,4096' : '256,1024,4096,16384'),
  1,
  1 << 22,
);
const scalingHorizon = integer('scaling-horizon', values['scaling-horizon'] ?? (quick ? '50' : '500'), 1, 500);
const widths = integers('widths', values.widths ?? '32,64,128,256', 32, 1024);
for (const width of widths) {
  try {
    benchPolicy([width, width]);
  } catch {
    fail(`--widths: no starting policy for ${width} units; use 32, 64 or a width above 64 (the 64x64 policy padded)`);
  }
}
const widthEnvs = integer('width-envs', values['width-envs'] ?? (quick ? '256' : '1024'), 1, 1 << 22);
const seeds = integer('seeds', values.seeds ?? '3', 0, 20);
const abRounds = integer('ab-rounds', values['ab-rounds'] ?? '4', 1, 100);
let abVariant: KernelOptions | undefined;
if (sections.includes('ab')) {
  const parsed = parseKernelOptions(values.ab ?? '');
  if (typeof parsed === 'string') fail(values.ab === undefined ? '--sections ab needs --ab \'{"option":value}\'' : parsed);
  abVariant = parsed;
}
const HIDDEN = [64, 64];
const started = performance.now();
const failures: string[] = [];
/** Runs one measurement; a failure is printed, kept for the report, and the run goes on. */
async function attempt<T>(what: string, measure: () => Promise<T>): Promise<T | undefined> {
  try {
    return await measure();
  } catch (error) {
    const message = `${what}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
    console.error(`  failed: ${message}`);
    failures.push(message);
    return undefined;
  }
}
const progress = (message: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

// ---- ceiling -------------------------------------------------------------------------------------------------
const { device, adapterName } = await requestDevice();
const ceilingSize = integer('ceiling-size', values['ceiling-size'] ?? (quick ? '512' : '1024'), 64, 8192);
if (ceilingSize % 64) fail(`--ceiling-size must be a multiple of 64, got ${ceilingSize}`);
let ceiling: { node?: CeilingResult; chromium?: CeilingResult } = {};
if (sections.includes('ceiling')) {
  progress(`ceiling: ${ceilingSize}^3 register-tiled matmuls in Node`);
  ceiling = {
    node: await attempt('ceiling in Node', () => measureCeiling(device, ceilingSize, reps)),
  };
}
device.destroy();

// ---- browser ---------------------------------------------------------------------------------------------------
let browser: BrowserSession | undefined;
const browserPeerIn = (list: PeerName[]) => list.some((p) => BROWSER_PEERS.includes(p as never));
if (
  useBrowser &&
  (sections.includes('ceiling') ||
    (sections.includes('compare') && browserPeerIn(peers)) ||
    (sections.includes('learn') && browserPeerIn(learnPeers)))
) {
  progress('opening headless Chromium');
  // Loaded only here: Node-only runs (--skip-browser) need neither Vite nor puppeteer.
  const { openBrowserSession } = await import('./browserSession.js');
  browser = await openBrowserSession();
  if (sections.includes('ceiling')) {
    progress(`ceiling: ${ceilingSize}^3 matmuls in Chromium`);
    ceiling.chromium = await attempt(
      'ceiling in Chromium',
      async () => (await browser?.call('ceiling', ceilingSize, reps)) as CeilingResult,
    );
  }
}

// ---- compare: the engine and the peers on the same slice -------------------------------------------------------
interface CompareRow {
  numEnvs: number;
  engine: EngineMeasure;
  engineChromium?: EngineMeasure;
  peers: Partial<Record<PeerName, PeerMeasure | { error: string }>>;
}
const compareRows: CompareRow[] = [];
/** The peers that run in Node (the others run in the browser page). */
async function nodePeer(name: PeerName, options: PeerOptions): Promise<ReinforcePeer | undefined> {
  if (name === 'cpu-ts') return new CpuReinforce(options);
  if (name === 'jax-js-wasm') return (await import('./peers/jaxReinforce.js')).createJaxPeer('wasm', options);
  return undefined;
}
const NO_BROWSER = { error: 'skipped: no browser (--skip-browser)' };
async function runPeer(name: PeerName, w: Workload, options: PeerOptions): Promise<PeerMeasure | { error: string }> {
  progress(`compare N=${w.numEnvs}: ${name}`);
  try {
    const inNode = await nodePeer(name, options);
    if (inNode) return await measurePeer(inNode, reps);
    if (!browser) return NO_BROWSER;
    await browser.reload();
    return await browser.call('peer', name as (typeof BROWSER_PEERS)[number], w, options.policy, reps);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
    console.error(`  ${name} failed: ${message}`);
    return { error: message };
  }
}
if (sections.includes('compare')) {
  const { policy } = benchPolicy(HIDDEN);
  for (const numEnvs of compareEnvs) {
    const w: Workload = { env: 'cartpole', numEnvs, hidden: HIDDEN, horizon: slice };
    progress(`compare N=${numEnvs}: engine (Node)`);
    const engine = await attempt(`engine at N ${numEnvs}`, () => measureEngine(w, policy, reps));
    if (!engine) continue;
    const row: CompareRow = { numEnvs, engine, peers: {} };
    const page = browser;
    if (page) {
      progress(`compare N=${numEnvs}: engine (Chromium)`);
      row.engineChromium = await attempt(`engine in Chromium at N ${numEnvs}`, async () => {
        await page.reload();
        return page.call('engine', w, policy, reps);
      });
    }
    for (const name of peers) row.peers[name] = await runPeer(name, w, { policy, numEnvs, horizon: slice, lr: 1e-7, seed: 1 });
    compareRows.push(row);
  }
}

// ---- scaling: the engine against N and width ----------------------------------------------------------------------
interface ScalingRow {
  numEnvs: number;
  hidden: number[];
  horizon: number;
  policy: string;
  rolloutStepsPerSecond: number;
  trainStepsPerSecond: number;
  rolloutMsPerIteration: number;
  trainMsPerIteration: number;
  meanLength: number;
  clock: string;
  kernels: { kernel: string; milliseconds: number; share: number }[];
  rolloutGflops: number;
  backwardGflops: number;
  bytesPerEnv: number;
}
function scalingRow(w: Workload, origin: string, m: EngineMeasure): ScalingRow {
  const steps = m.profile.envSteps;
  const total = m.profile.kernels.reduce((a, k) => a + k.milliseconds, 0);
  const ms = (name: string) => m.profile.kernels.find((k) => k.kernel === name)?.milliseconds ?? Number.NaN;
  const f = forwardFlops(w.hidden);
  return {
    numEnvs: w.numEnvs,
    hidden: w.hidden,
    horizon: w.horizon,
    policy: origin,
    rolloutStepsPerSecond: m.rolloutStepsPerSecond,
    trainStepsPerSecond: m.trainStepsPerSecond,
    rolloutMsPerIteration: (1000 * steps) / m.rolloutStepsPerSecond,
    trainMsPerIteration: (1000 * steps) / m.trainStepsPerSecond,
    meanLength: m.meanLength,
    clock: m.profile.clock,
    kernels: m.profile.kernels.map((k) => ({ ...k, share: k.milliseconds / total })),
    rolloutGflops: (steps * f) / (ms('rollout') / 1000) / 1e9,
    backwardGflops: (steps * BACKWARD_FORWARD_PASSES * f) / (ms('backwardGradient') / 1000) / 1e9,
    bytesPerEnv: m.bytesPerEnv,
  };
}
const scaling: { envs: ScalingRow[]; widths: ScalingRow[]; failed: { numEnvs: number; hidden: number[]; error: string }[] } = {
  envs: [],
  widths: [],
  failed: [],
};
/** One scaling measurement; a failure (e.g. a driver refusing a kernel) is reported and the run goes on. */
async function scalingMeasure(rows: ScalingRow[], w: Workload, origin: string, policy: PolicyFile): Promise<void> {
  try {
    rows.push(scalingRow(w, origin, await measureEngine(w, policy, reps)));
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    console.error(`  failed: ${message}`);
    scaling.failed.push({ numEnvs: w.numEnvs, hidden: w.hidden, error: message });
  }
}
if (sections.includes('scaling')) {
  const { policy, origin } = benchPolicy(HIDDEN);
  for (const numEnvs of scalingEnvs) {
    const w: Workload = { env: 'cartpole', numEnvs, hidden: HIDDEN, horizon: scalingHorizon };
    progress(`scaling: N=${numEnvs} hidden ${hiddenName(HIDDEN)} horizon ${scalingHorizon}`);
    await scalingMeasure(scaling.envs, w, origin, policy);
  }
  for (const width of widths) {
    const hidden = [width, width];
    const w: Workload = { env: 'cartpole', numEnvs: widthEnvs, hidden, horizon: scalingHorizon };
    const start = benchPolicy(hidden);
    progress(`scaling: N=${widthEnvs} hidden ${hiddenName(hidden)} horizon ${scalingHorizon}`);
    await scalingMeasure(scaling.widths, w, start.origin, start.policy);
  }
}

// ---- ab: two kernel shapes of the engine, interleaved ------------------------------------------------------------
let ab: AbResult | undefined;
if (abVariant) {
  const { policy } = benchPolicy(HIDDEN);
  const w: Workload = { env: 'cartpole', numEnvs: compareEnvs[0] as number, hidden: HIDDEN, horizon: slice };
  const variant = abVariant;
  ab = await attempt('ab', () => interleavedAb(w, policy, variant, abRounds, reps, progress));
}

// ---- solve ------------------------------------------------------------------------------------------------------
const solveConfig = { numEnvs: 1024, hidden: [32], lr: 0.02 };
const solveRuns: SolveRun[] = [];
if (sections.includes('solve')) {
  for (let seed = 1; seed <= seeds; seed++) {
    progress(`solve: seed ${seed}`);
    solveRuns.push(await timeToSolve(solveConfig, seed, 100));
  }
}

// ---- learn: every peer must learn CartPole ----------------------------------------------------------------------
const learning: Partial<Record<PeerName, LearningCurve | { error: string }>> = {};
if (sections.includes('learn')) {
  const options: PeerOptions = { policy: randomCartpolePolicy([32], 1), numEnvs: 512, horizon: 500, lr: 0.01, seed: 1 };
  for (const name of learnPeers) {
    progress(`learn: ${name}`);
    try {
      const inNode = await nodePeer(name, options);
      if (inNode) learning[name] = await learnPeer(inNode, 40, 475);
      else if (browser) {
        await browser.reload();
        learning[name] = await browser.call('learn', name as (typeof BROWSER_PEERS)[number], options, 40, 475);
      } else learning[name] = NO_BROWSER;
    } catch (error) {
      learning[name] = { error: (error instanceof Error ? error.message : String(error)).split('\n')[0] as string };
    }
  }
}

// ---- report -----------------------------------------------------------------------------------------------------
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}, node ${process.version}`;
const rate = (m: PeerMeasure | { error: string } | undefined, phase: 'rollout' | 'train') =>
  m && !('error' in m) ? (phase === 'rollout' ? m.rolloutStepsPerSecond : m.trainStepsPerSecond) : undefined;
const workloads = compareRows.flatMap((row) =>
  (['rollout', 'train'] as const).map((phase) => {
    const engineRate = phase === 'rollout' ? row.engine.rolloutStepsPerSecond : row.engine.trainStepsPerSecond;
    const chromium = row.engineChromium;
    const chromiumRate = chromium && (phase === 'rollout' ? chromium.rolloutStepsPerSecond : chromium.trainStepsPerSecond);
    return {
      env: 'cartpole',
      numEnvs: row.numEnvs,
      hidden: HIDDEN,
      horizon: slice,
      phase,
      engine: { stepsPerSecond: engineRate, ...(chromiumRate ? { chromium: { stepsPerSecond: chromiumRate } } : {}) },
      peers: Object.fromEntries(
        Object.entries(row.peers).map(([name, m]) =>
          'error' in (m as object) ? [name, m] : [name, { stepsPerSecond: rate(m, phase) }],
        ),
      ),
    };
  }),
);

console.log(`\nadapter: ${adapterName}\nmachine: ${machine}`);
if (ceiling.node || ceiling.chromium)
  printTable(
    `Ceiling: register-tiled matmuls ${ceilingSize}^3, median of ${reps} (${Object.entries(MATMUL_KERNELS)
      .map(([name, file]) => `${name}: shaders/${file}`)
      .join('; ')}); the faster is the ceiling`,
    [
      ['where', 'kernel', 'ms', 'GFLOP/s', 'ceiling'],
      ...(['node', 'chromium'] as const).flatMap((where) => {
        const c = ceiling[where];
        return (c?.candidates ?? []).map((m) => [
          where,
          m.kernel,
          fixed(m.seconds * 1000, 1),
          fixed(m.gflops),
          m.kernel === c?.kernel ? 'yes' : '',
        ]);
      }),
    ],
  );
const describeShape = (m: EngineMeasure | undefined) => (m ? describeKernelShape(m.kernelShape) : 'not run');
if (compareRows.length > 0) {
  const first = compareRows[0] as CompareRow;
  console.log(`Engine kernels: Node ${describeShape(first.engine)}; Chromium ${describeShape(first.engineChromium)}`);
  for (const phase of ['rollout', 'train'] as const) {
    const header = ['N', 'engine', 'engine (Chromium)', ...peers.map((p) => `${p}`), ...peers.map((p) => `x ${p}`)];
    printTable(
      `Compare, ${phase === 'train' ? 'training iterations' : 'rollout alone'}: env-steps/s, CartPole-v1, MLP 64x64, first ${slice} steps of each episode; ` +
        `"x peer" = engine / peer (Chromium peers against the engine in Chromium)`,
      [
        header,
        ...workloads
          .filter((w) => w.phase === phase)
          .map((w) => {
            const peerRate = (p: PeerName) => (w.peers[p] as { stepsPerSecond?: number } | undefined)?.stepsPerSecond;
            const own = (p: PeerName) =>
              BROWSER_PEERS.includes(p as never) ? w.engine.chromium?.stepsPerSecond : w.engine.stepsPerSecond;
            return [
              String(w.numEnvs),
              w.engine.stepsPerSecond,
              w.engine.chromium?.stepsPerSecond ?? '-',
              ...peers.map((p) => {
                const m = w.peers[p] as { stepsPerSecond?: number; error?: string } | undefined;
                return m?.stepsPerSecond ?? (m?.error?.startsWith('skipped') ? 'skipped' : 'failed');
              }),
              ...peers.map((p) => {
                const r = peerRate(p);
                const e = own(p);
                return r && e ? `${fixed(e / r)}x` : '-';
              }),
            ];
          }),
      ],
    );
  }
}
const scalingTable = (title: string, rows: ScalingRow[], key: (r: ScalingRow) => string) =>
  printTable(title, [
    [
      '',
      'rollout steps/s',
      'train steps/s',
      'ms/iter',
      'ms/iter/1k env',
      'rollout GFLOP/s',
      'backward GFLOP/s',
      ...(ceiling.node ? ['rollout % ceiling', 'backward % ceiling'] : []),
      'B/env',
      'top kernels',
    ],
    ...rows.map((r) => [
      key(r),
      r.rolloutStepsPerSecond,
      r.trainStepsPerSecond,
      fixed(r.trainMsPerIteration, 0),
      fixed((1000 * r.trainMsPerIteration) / r.numEnvs, 1),
      fixed(r.rolloutGflops),
      fixed(r.backwardGflops),
      ...(ceiling.node
        ? [fixed((100 * r.rolloutGflops) / ceiling.node.gflops, 0), fixed((100 * r.backwardGflops) / ceiling.node.gflops, 0)]
        : []),
      r.bytesPerEnv,
      [...r.kernels]
        .sort((a, b) => b.milliseconds - a.milliseconds)
        .slice(0, 3)
        .map((k) => `${k.kernel} ${(100 * k.share).toFixed(0)}%`)
        .join(', '),
    ]),
  ]);
if (scaling.envs.length > 0)
  scalingTable(
    `Scaling with N: hidden 64x64, horizon ${scalingHorizon}, kernel times from ${scaling.envs[0]?.clock}`,
    scaling.envs,
    (r) => `N ${r.numEnvs}`,
  );
if (scaling.widths.length > 0)
  scalingTable(
    `Scaling with width: N ${widthEnvs}, horizon ${scalingHorizon}, kernel times from ${scaling.widths[0]?.clock}`,
    scaling.widths,
    (r) => hiddenName(r.hidden),
  );
for (const f of scaling.failed) console.log(`  N ${f.numEnvs}, hidden ${hiddenName(f.hidden)}: failed: ${f.error}`);
for (const f of failures) console.log(`failed: ${f}`);
if (solveRuns.length > 0) {
  printTable(
    `Time to solve CartPole-v1 (mean return >= 475): N ${solveConfig.numEnvs}, hidden ${hiddenName(solveConfig.hidden)}, lr ${solveConfig.lr}`,
    [
      ['seed', 'solved', 'iterations', 'env-steps', 'seconds'],
      ...solveRuns.map((r) => [
        String(r.seed),
        r.solved ? 'yes' : `no (${r.finalMeanReturn.toFixed(0)})`,
        String(r.iterations),
        r.envSteps,
        fixed(r.seconds, 1),
      ]),
    ],
  );
  console.log(`  median: ${fixed(median(solveRuns.map((r) => r.seconds)), 1)} s`);
}

if (Object.keys(learning).length > 0) {
  printTable('Learning check: each peer from the same fresh policy (hidden 32), N 512, lr 0.01, target 475 in 40 iterations', [
    ['peer', 'solved at iteration', 'last mean return', 'seconds'],
    ...Object.entries(learning).map(([name, l]) =>
      'error' in (l as object)
        ? [name, `failed: ${(l as { error: string }).error}`, '-', '-']
        : [
            name,
            String((l as LearningCurve).solvedAt ?? 'not solved'),
            fixed((l as LearningCurve).returns.at(-1), 1),
            fixed((l as LearningCurve).seconds, 1),
          ],
    ),
  ]);
}

if (ab) {
  const shape = describeKernelShape;
  printTable(
    `A/B in Node, interleaved (odd rounds A first): env-steps/s, CartPole-v1, N ${ab.workload.numEnvs}, MLP ${hiddenName(ab.workload.hidden)}, ` +
      `first ${ab.workload.horizon} steps; A = defaults (${shape(ab.kernelShapes.a)}), B = ${JSON.stringify(ab.variant)} (${shape(ab.kernelShapes.b)})`,
    [
      ['round', 'A rollout', 'B rollout', 'B / A', 'A train', 'B train', 'B / A'],
      ...ab.rounds.map((r) => [
        String(r.round),
        r.a.rolloutStepsPerSecond,
        r.b.rolloutStepsPerSecond,
        fixed(r.b.rolloutStepsPerSecond / r.a.rolloutStepsPerSecond, 2),
        r.a.trainStepsPerSecond,
        r.b.trainStepsPerSecond,
        fixed(r.b.trainStepsPerSecond / r.a.trainStepsPerSecond, 2),
      ]),
      ['median', '', '', fixed(ab.rolloutRatio, 2), '', '', fixed(ab.trainRatio, 2)],
    ],
  );
}

const date = new Date().toISOString();
const adapterSlug =
  adapterName
    .split(' ')
    .slice(0, 2)
    .join('-')
    .replace(/[^\w-]/g, '') || 'adapter';
const outDir = values.out ?? 'bench/results';
const stem = `${outDir}/${date.slice(0, 10)}-${adapterSlug}${quick ? '-quick' : ''}`;
let base = stem;
for (let n = 2; existsSync(`${base}.json`); n++) base = `${stem}-${n}`; // never overwrite an earlier run's figures
const result = {
  date,
  adapter: adapterName,
  machine,
  quick,
  reps,
  slice,
  ceiling,
  workloads,
  compareDetails: compareRows,
  scaling,
  solve: { config: solveConfig, runs: solveRuns },
  learning,
  ab,
  failures,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
await writeChart(result, `${base}.html`, `${base}.png`, browser?.browser);
await browser?.close();
console.log(
  `\nwritten: ${base}.json, ${base}.html${browser ? `, ${base}.png` : ''} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`,
);
if (values.json) console.log(JSON.stringify({ adapter: adapterName, machine, workloads }));
process.exit(0);
