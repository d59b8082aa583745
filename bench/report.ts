// The benchmark's printed tables, one per section, and the chart (a self-contained HTML page with uPlot inlined,
// and its PNG).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'puppeteer-core';
import type { AbResult } from './ab.js';
import type { CeilingResult } from './ceiling.js';
import { MATMUL_KERNELS } from './ceiling.js';
import type { SummaryWorkload } from './compare.js';
import type { LearningCurve } from './measure.js';
import { isBrowserPeer, type PeerName } from './options.js';
import type { ScalingRow } from './scaling.js';
import type { SolveRun } from './solve.js';
import { describeKernelShape, type EngineMeasure, hiddenName, median } from './workload.js';

const int = (x: number | undefined) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'));
export const fixed = (x: number | undefined, digits = 2) => (x === undefined ? '-' : x.toFixed(digits));

/** Prints rows as an aligned table: the first row is the header. */
export function printTable(title: string, rows: (string | number)[][]): void {
  const cells = rows.map((row) => row.map((c) => (typeof c === 'number' ? int(c) : c)));
  const widths = cells[0]?.map((_, j) => Math.max(...cells.map((row) => (row[j] ?? '').length))) ?? [];
  console.log(`\n${title}`);
  cells.forEach((row, i) => {
    console.log(`  ${row.map((c, j) => (j === 0 ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

/** Writes the chart page for `result`; with a browser, also its PNG screenshot. */
export async function writeChart(result: unknown, htmlFile: string, pngFile: string, browser?: Browser): Promise<void> {
  const require = createRequire(import.meta.url);
  const uplotDir = require.resolve('uplot/dist/uPlot.iife.min.js').replace(/uPlot\.iife\.min\.js$/, '');
  const html = readFileSync(new URL('chart.html', import.meta.url), 'utf8')
    .replace('/*UPLOT_CSS*/', () => readFileSync(`${uplotDir}uPlot.min.css`, 'utf8'))
    .replace('/*UPLOT_JS*/', () => readFileSync(`${uplotDir}uPlot.iife.min.js`, 'utf8'))
    .replace('"@DATA@"', () => JSON.stringify(result).replace(/</g, '\\u003c'));
  writeFileSync(htmlFile, html);
  if (!browser) return;
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 420 });
  await page.setContent(html);
  await page.waitForFunction(() => document.title === 'drawn', { timeout: 30_000 });
  await page.screenshot({ path: pngFile as `${string}.png`, fullPage: true });
  await page.close();
}

export function printCeiling(ceiling: { node?: CeilingResult; chromium?: CeilingResult }, size: number, reps: number): void {
  const kernels = Object.entries(MATMUL_KERNELS)
    .map(([name, file]) => `${name}: shaders/${file}`)
    .join('; ');
  printTable(`Ceiling: register-tiled matmuls ${size}^3, median of ${reps} (${kernels}); the faster is the ceiling`, [
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
  ]);
}

/** Both phases' tables: the engine in Node and Chromium, each peer, and engine / peer (browser peers against the
 *  engine in the same Chromium). */
export function printCompare(
  workloads: SummaryWorkload[],
  shapes: { node: EngineMeasure | undefined; chromium: EngineMeasure | undefined },
  peers: PeerName[],
  slice: number,
): void {
  const shape = (m: EngineMeasure | undefined) => (m ? describeKernelShape(m.kernelShape) : 'not run');
  console.log(`Engine kernels: Node ${shape(shapes.node)}; Chromium ${shape(shapes.chromium)}`);
  for (const phase of ['rollout', 'train'] as const) {
    const header = ['N', 'engine', 'engine (Chromium)', ...peers, ...peers.map((p) => `x ${p}`)];
    printTable(
      `Compare, ${phase === 'train' ? 'training iterations' : 'rollout alone'}: env-steps/s, CartPole-v1, MLP 64x64, first ${slice} steps of each episode; ` +
        `"x peer" = engine / peer (Chromium peers against the engine in Chromium)`,
      [
        header,
        ...workloads
          .filter((w) => w.phase === phase)
          .map((w) => {
            const peer = (p: PeerName) => w.peers[p] as { stepsPerSecond?: number; error?: string } | undefined;
            const own = (p: PeerName) => (isBrowserPeer(p) ? w.engine.chromium?.stepsPerSecond : w.engine.stepsPerSecond);
            return [
              String(w.numEnvs),
              w.engine.stepsPerSecond,
              w.engine.chromium?.stepsPerSecond ?? '-',
              ...peers.map((p) => peer(p)?.stepsPerSecond ?? (peer(p)?.error?.startsWith('skipped') ? 'skipped' : 'failed')),
              ...peers.map((p) => {
                const r = peer(p)?.stepsPerSecond;
                const e = own(p);
                return r && e ? `${fixed(e / r)}x` : '-';
              }),
            ];
          }),
      ],
    );
  }
}

/** One scaling table (against N or against width); the % of the ceiling where the Node ceiling ran: each row against
 *  the ceiling re-measured next to it (its own column), else the run's first. */
export function printScaling(title: string, rows: ScalingRow[], key: (r: ScalingRow) => string, ceilingGflops?: number): void {
  const ceilingOf = (r: ScalingRow) => r.ceilingGflops ?? (ceilingGflops as number);
  printTable(title, [
    [
      '',
      'rollout steps/s',
      'train steps/s',
      'ms/iter',
      'ms/iter/1k env',
      'rollout GFLOP/s',
      'backward GFLOP/s',
      ...(ceilingGflops ? ['ceiling GFLOP/s', 'rollout % ceiling', 'backward % ceiling'] : []),
      'B/env',
      'rows kept',
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
      ...(ceilingGflops
        ? [
            fixed(ceilingOf(r)),
            fixed((100 * r.rolloutGflops) / ceilingOf(r), 0),
            fixed((100 * r.backwardGflops) / ceilingOf(r), 0),
          ]
        : []),
      r.bytesPerEnv,
      r.kernelShape.storeActivations ? 'yes' : 'no',
      [...r.kernels]
        .sort((a, b) => b.milliseconds - a.milliseconds)
        .slice(0, 3)
        .map((k) => `${k.kernel} ${(100 * k.share).toFixed(0)}%`)
        .join(', '),
    ]),
  ]);
}

export function printSolve(runs: SolveRun[], config: { numEnvs: number; hidden: number[]; lr: number }): void {
  printTable(
    `Time to solve CartPole-v1 (mean return >= 475): N ${config.numEnvs}, hidden ${hiddenName(config.hidden)}, lr ${config.lr}`,
    [
      ['seed', 'solved', 'iterations', 'env-steps', 'seconds'],
      ...runs.map((r) => [
        String(r.seed),
        r.solved ? 'yes' : `no (${r.finalMeanReturn.toFixed(0)})`,
        String(r.iterations),
        r.envSteps,
        fixed(r.seconds, 1),
      ]),
    ],
  );
  console.log(`  median: ${fixed(median(runs.map((r) => r.seconds)), 1)} s`);
}

export function printLearning(learning: Partial<Record<PeerName, LearningCurve | { error: string }>>): void {
  printTable('Learning check: each peer from the same fresh policy (hidden 32), N 512, lr 0.01, target 475 in 40 iterations', [
    ['peer', 'solved at iteration', 'last mean return', 'seconds'],
    ...Object.entries(learning).map(([name, l]) =>
      'error' in l
        ? [name, `failed: ${l.error}`, '-', '-']
        : [name, String(l.solvedAt ?? 'not solved'), fixed(l.returns.at(-1), 1), fixed(l.seconds, 1)],
    ),
  ]);
}

export function printAb(ab: AbResult): void {
  printTable(
    `A/B in Node, interleaved (odd rounds A first): env-steps/s, CartPole-v1, N ${ab.workload.numEnvs}, MLP ${hiddenName(ab.workload.hidden)}, ` +
      `first ${ab.workload.horizon} steps; A = defaults (${describeKernelShape(ab.kernelShapes.a)}), B = ${JSON.stringify(ab.variant)} (${describeKernelShape(ab.kernelShapes.b)})`,
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
