// Sample efficiency of off-policy gradient steps: environment steps (and iterations, GPU seconds) to solve
// CartPole-v1 (batch mean return >= 475) with plain on-policy REINFORCE and with E importance-weighted steps per
// batch over the last K batches, over 3 seeds each, and the weights' effective sample size along the way (where
// the gain stops: ESS collapses as E and K grow).
//   node bin/run-ts.js bench/offPolicy.ts [--seeds 3] [--max-iters 60] [--envs 1024]
// Prints a table and writes bench/results/<date>-offpolicy-<adapter>.json.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTrainer, type ImportanceKind } from '../src/index.js';
import { median } from './workload.js';

const { values } = parseArgs({
  options: { seeds: { type: 'string' }, 'max-iters': { type: 'string' }, envs: { type: 'string' } },
});
const seeds = Array.from({ length: Number(values.seeds ?? 3) }, (_, i) => i + 1);
const maxIters = Number(values['max-iters'] ?? 60);
const numEnvs = Number(values.envs ?? 1024);

const configs: { label: string; epochs: number; reuse: number; importance: ImportanceKind }[] = [
  { label: 'on-policy', epochs: 1, reuse: 1, importance: 'per-decision' },
  { label: 'epochs 4, reuse 2', epochs: 4, reuse: 2, importance: 'per-decision' },
  { label: 'epochs 4, reuse 1', epochs: 4, reuse: 1, importance: 'per-decision' },
  { label: 'epochs 8, reuse 4', epochs: 8, reuse: 4, importance: 'per-decision' },
];

interface Run {
  config: string;
  seed: number;
  solved: boolean;
  iterations: number;
  envSteps: number;
  seconds: number;
  meanEssFraction: number | null;
  minEssFraction: number | null;
}

const runs: Run[] = [];
let adapter = '';
for (const config of configs) {
  for (const seed of seeds) {
    const trainer = await createTrainer({
      numEnvs,
      hidden: [32],
      seed,
      epochs: config.epochs,
      reuse: config.reuse,
      importance: config.importance,
    });
    adapter = trainer.adapterName;
    const start = performance.now();
    let envSteps = 0;
    let solved = false;
    let iterations = 0;
    const ess: number[] = [];
    for (let i = 0; i < maxIters && !solved; i++) {
      const s = await trainer.step();
      envSteps += s.envSteps;
      iterations = s.iter;
      if (s.essFraction !== undefined) ess.push(s.essFraction);
      solved = s.meanReturn >= 475;
    }
    trainer.destroy();
    const run: Run = {
      config: config.label,
      seed,
      solved,
      iterations,
      envSteps,
      seconds: (performance.now() - start) / 1000,
      meanEssFraction: ess.length ? ess.reduce((a, b) => a + b, 0) / ess.length : null,
      minEssFraction: ess.length ? Math.min(...ess) : null,
    };
    runs.push(run);
    console.log(JSON.stringify(run));
  }
}

const summary = configs.map((c) => {
  const mine = runs.filter((r) => r.config === c.label);
  const solved = mine.filter((r) => r.solved);
  return {
    config: c.label,
    solved: `${solved.length}/${mine.length}`,
    medianEnvSteps: solved.length ? median(solved.map((r) => r.envSteps)) : null,
    medianIterations: solved.length ? median(solved.map((r) => r.iterations)) : null,
    medianSeconds: median(mine.map((r) => r.seconds)),
    meanEssFraction:
      mine[0]?.meanEssFraction === null ? null : mine.reduce((a, r) => a + (r.meanEssFraction ?? 0), 0) / mine.length,
  };
});
console.log('\n| config | solved | median env steps to 475 | median iterations | median seconds | mean ESS fraction |');
console.log('|---|---|---|---|---|---|');
for (const s of summary) {
  console.log(
    `| ${s.config} | ${s.solved} | ${s.medianEnvSteps?.toLocaleString('en-US') ?? '-'} | ${s.medianIterations ?? '-'} | ${s.medianSeconds.toFixed(1)} | ${s.meanEssFraction === null ? '-' : s.meanEssFraction.toFixed(3)} |`,
  );
}
const date = new Date().toISOString().slice(0, 10);
const file = `bench/results/${date}-offpolicy-${adapter
  .split(' (')[0]
  ?.replace(/[^a-z0-9]+/gi, '-')
  .toLowerCase()}.json`;
writeFileSync(
  file,
  `${JSON.stringify({ adapter, machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, numEnvs, hidden: [32], maxIters, runs, summary }, null, 1)}\n`,
);
console.log(`\nwritten ${file} (adapter ${adapter})`);
