// The benchmark suite. One run measures, on this machine's adapter:
//   ceiling   GFLOP/s of the faster of two register-tiled matmuls (bench/ceiling.ts), in Node and in Chromium;
//   compare   CartPole-v1, MLP 64x64, N environments, on a bounded slice of every episode (the first --slice
//             steps, the same for all): env-steps/s of the rollout alone and of whole training iterations for
//             the engine (Node and Chromium) and every peer (bench/peers/): cpu-ts and jax-js-wasm in Node,
//             tfjs-webgpu, tfjs-wasm and jax-js-webgpu in headless Chromium; ratios printed (bench/compare.ts);
//   scaling   the engine's time per iteration against N and against hidden width, per-kernel GPU time
//             (timestamp queries; CPU clock where the adapter has none, labelled), kernel GFLOP/s against the
//             ceiling, peak GPU buffer memory per environment (bench/scaling.ts);
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
// Flags and their checks: bench/options.ts; the printed tables and the chart: bench/report.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dawnToggleNames } from '../src/gpu/device.js';
import { initialPolicy, requestDevice } from '../src/index.js';
import { type AbResult, interleavedAb } from './ab.js';
import type { BrowserSession } from './browserSession.js';
import { type CeilingResult, measureCeiling } from './ceiling.js';
import { type CompareRow, NO_BROWSER, nodePeer, runCompare, summaryWorkloads } from './compare.js';
import { type LearningCurve, learnPeer } from './measure.js';
import { type BrowserPeerName, isBrowserPeer, type PeerName, parseBenchOptions } from './options.js';
import type { PeerOptions } from './peers/peer.js';
import { benchPolicy } from './policies.js';
import { printAb, printCeiling, printCompare, printLearning, printScaling, printSolve, writeChart } from './report.js';
import { runScaling, type ScalingResult } from './scaling.js';
import { type SolveRun, timeToSolve } from './solve.js';
import { hiddenName, type Workload } from './workload.js';

const o = parseBenchOptions(process.argv.slice(2));
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

// Dawn toggles for every WebGPU device of the run: Node's (read by src/gpu/device.ts) and Chromium's pages; any
// already set in WEBGPU_REINFORCE_DAWN_TOGGLES count too, so that the run says what it ran with.
const inherited = dawnToggleNames(process.env.WEBGPU_REINFORCE_DAWN_TOGGLES);
const dawnToggles = [...new Set([...inherited, ...(o.noRobustness ? ['disable_robustness'] : [])])];
if (dawnToggles.length > 0) process.env.WEBGPU_REINFORCE_DAWN_TOGGLES = dawnToggles.join(',');

// ---- ceiling -------------------------------------------------------------------------------------------------
// A device of its own, kept for the ceiling's re-measurements next to the scaling rows (each trainer has its own).
const { device, adapterName } = await requestDevice();
const ceiling: { node?: CeilingResult; chromium?: CeilingResult } = {};
if (o.sections.includes('ceiling')) {
  progress(`ceiling: ${o.ceilingSize}^3 register-tiled matmuls in Node`);
  ceiling.node = await attempt('ceiling in Node', () => measureCeiling(device, o.ceilingSize, o.reps));
}
/** The ceiling again, with the kernel that won at the start: for figures taken next to it. */
const nearCeiling = ceiling.node
  ? async () => (await measureCeiling(device, o.ceilingSize, o.reps, ceiling.node?.kernel)).gflops
  : undefined;

// ---- browser ---------------------------------------------------------------------------------------------------
let browser: BrowserSession | undefined;
const browserPeerIn = (list: PeerName[]) => list.some(isBrowserPeer);
if (
  o.useBrowser &&
  (o.sections.includes('ceiling') ||
    (o.sections.includes('compare') && browserPeerIn(o.peers)) ||
    (o.sections.includes('learn') && browserPeerIn(o.learnPeers)))
) {
  progress('opening headless Chromium');
  // Loaded only here: Node-only runs (--skip-browser) need neither Vite nor puppeteer.
  const { openBrowserSession } = await import('./browserSession.js');
  const page = await openBrowserSession(dawnToggles);
  browser = page;
  if (o.sections.includes('ceiling')) {
    progress(`ceiling: ${o.ceilingSize}^3 matmuls in Chromium`);
    ceiling.chromium = await attempt(
      'ceiling in Chromium',
      async () => (await page.call('ceiling', o.ceilingSize, o.reps)) as CeilingResult,
    );
  }
}

// ---- compare: the engine and the peers on the same slice -------------------------------------------------------
const compareRows: CompareRow[] = o.sections.includes('compare')
  ? await runCompare(o, HIDDEN, benchPolicy(HIDDEN).policy, browser, progress, attempt)
  : [];

// ---- scaling: the engine against N and width ----------------------------------------------------------------------
const scaling: ScalingResult = o.sections.includes('scaling')
  ? await runScaling(o, HIDDEN, progress, nearCeiling)
  : { envs: [], widths: [], failed: [] };

// ---- ab: two kernel shapes of the engine, interleaved ------------------------------------------------------------
let ab: AbResult | undefined;
if (o.abVariant) {
  const variant = o.abVariant;
  const w: Workload = { env: 'cartpole', numEnvs: o.compareEnvs[0] as number, hidden: HIDDEN, horizon: o.slice };
  ab = await attempt('ab', () => interleavedAb(w, benchPolicy(HIDDEN).policy, variant, o.abRounds, o.reps, progress));
}

// ---- solve ------------------------------------------------------------------------------------------------------
const solveConfig = { numEnvs: 1024, hidden: [32], lr: 0.02 };
const solveRuns: SolveRun[] = [];
if (o.sections.includes('solve')) {
  for (let seed = 1; seed <= o.seeds; seed++) {
    progress(`solve: seed ${seed}`);
    solveRuns.push(await timeToSolve(solveConfig, seed, 100));
  }
}

// ---- learn: every peer must learn CartPole ----------------------------------------------------------------------
const learning: Partial<Record<PeerName, LearningCurve | { error: string }>> = {};
if (o.sections.includes('learn')) {
  // The engine's own fresh policy (hidden 32, seed 1): every peer learns from the same start.
  const policy = initialPolicy({
    env: 'cartpole',
    obsDim: 4,
    action: { kind: 'categorical', n: 2 },
    hidden: [32],
    activation: 'tanh',
    seed: 1,
  });
  const options: PeerOptions = { policy, numEnvs: 512, horizon: 500, lr: 0.01, seed: 1 };
  for (const name of o.learnPeers) {
    progress(`learn: ${name}`);
    try {
      const inNode = await nodePeer(name, options);
      if (inNode) learning[name] = await learnPeer(inNode, 40, 475);
      else if (browser) {
        await browser.reload();
        learning[name] = await browser.call('learn', name as BrowserPeerName, options, 40, 475);
      } else learning[name] = NO_BROWSER;
    } catch (error) {
      learning[name] = { error: (error instanceof Error ? error.message : String(error)).split('\n')[0] as string };
    }
  }
}

// ---- report -----------------------------------------------------------------------------------------------------
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}, node ${process.version}`;
const workloads = summaryWorkloads(compareRows, HIDDEN, o.slice);
console.log(
  `\nadapter: ${adapterName}${dawnToggles.length ? ` (Dawn toggles: ${dawnToggles.join(', ')})` : ''}\nmachine: ${machine}`,
);
if (ceiling.node || ceiling.chromium) printCeiling(ceiling, o.ceilingSize, o.reps);
if (compareRows.length > 0) {
  const first = compareRows[0] as CompareRow;
  printCompare(workloads, { node: first.engine, chromium: first.engineChromium }, o.peers, o.slice);
}
const clockOf = (rows: ScalingResult['envs']) => rows[0]?.clock;
if (scaling.envs.length > 0)
  printScaling(
    `Scaling with N: hidden 64x64, horizon ${o.scalingHorizon}, kernel times from ${clockOf(scaling.envs)}`,
    scaling.envs,
    (r) => `N ${r.numEnvs}`,
    ceiling.node?.gflops,
  );
if (scaling.widths.length > 0)
  printScaling(
    `Scaling with width: N ${o.widthEnvs}, horizon ${o.scalingHorizon}, kernel times from ${clockOf(scaling.widths)}`,
    scaling.widths,
    (r) => hiddenName(r.hidden),
    ceiling.node?.gflops,
  );
for (const f of scaling.failed) console.log(`  N ${f.numEnvs}, hidden ${hiddenName(f.hidden)}: failed: ${f.error}`);
for (const f of failures) console.log(`failed: ${f}`);
if (solveRuns.length > 0) printSolve(solveRuns, solveConfig);
if (Object.keys(learning).length > 0) printLearning(learning);
if (ab) printAb(ab);

const date = new Date().toISOString();
const adapterSlug =
  adapterName
    .split(' ')
    .slice(0, 2)
    .join('-')
    .replace(/[^\w-]/g, '') || 'adapter';
const stem = `${o.out}/${date.slice(0, 10)}-${adapterSlug}${o.quick ? '-quick' : ''}${dawnToggles.includes('disable_robustness') ? '-no-robustness' : ''}`;
let base = stem;
for (let n = 2; existsSync(`${base}.json`); n++) base = `${stem}-${n}`; // never overwrite an earlier run's figures
const result = {
  date,
  adapter: adapterName,
  machine,
  dawnToggles,
  quick: o.quick,
  reps: o.reps,
  slice: o.slice,
  ceiling,
  workloads,
  compareDetails: compareRows,
  scaling,
  solve: { config: solveConfig, runs: solveRuns },
  learning,
  ab,
  failures,
};
mkdirSync(o.out, { recursive: true });
writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
await writeChart(result, `${base}.html`, `${base}.png`, browser?.browser);
await browser?.close();
device.destroy();
console.log(
  `\nwritten: ${base}.json, ${base}.html${browser ? `, ${base}.png` : ''} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`,
);
if (o.json) console.log(JSON.stringify({ adapter: adapterName, machine, dawnToggles, workloads }));
process.exit(0);
