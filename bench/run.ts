// Benchmark: env-steps/s and GFLOP/s of the rollout alone and of whole training iterations (rollout, returns,
// baseline, backward, Adam, statistics), on CartPole-v1, for a few sizes, next to a peer: the same REINFORCE in
// plain TypeScript (bench/peers/cpuReinforce.ts), same policy and batch, same run. Policies are trained ones from
// bench/policies/ (so episodes are long, as in the late, expensive part of a run); a tiny learning rate keeps
// them nearly fixed across repetitions. Warm-up excluded; medians of --reps repetitions.
//   npm run bench -- [--quick] [--reps 3] [--json]
// Prints a table, writes bench/results/<date>-<adapter>.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTrainer, type PolicyFile } from '../src/index.js';
import { CpuReinforce } from './peers/cpuReinforce.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, reps: { type: 'string' }, json: { type: 'boolean' } } });
const reps = Number(values.reps ?? 3);

interface Workload {
  numEnvs: number;
  hidden: number[];
  policyFile: string;
}
const workloads: Workload[] = [
  { numEnvs: 1024, hidden: [32], policyFile: 'bench/policies/cartpole-32.json' },
  { numEnvs: 1024, hidden: [64, 64], policyFile: 'bench/policies/cartpole-64x64.json' },
  ...(values.quick ? [] : [{ numEnvs: 4096, hidden: [64, 64], policyFile: 'bench/policies/cartpole-64x64.json' }]),
];

/** Multiply-adds of one forward pass, times two (FLOPs); activations and sampling not counted. */
function forwardFlops(hidden: number[]): number {
  const dims = [4, ...hidden, 2];
  let flops = 0;
  for (let l = 0; l + 1 < dims.length; l++) flops += 2 * dims[l]! * dims[l + 1]!;
  return flops;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Record<string, unknown>[] = [];
let adapter = '';

for (const w of workloads) {
  const policy = existsSync(w.policyFile) ? (JSON.parse(readFileSync(w.policyFile, 'utf8')) as PolicyFile) : undefined;
  const trainer = await createTrainer({ numEnvs: w.numEnvs, hidden: w.hidden, policy, lr: 1e-7, seed: 1 });
  adapter = trainer.adapterName;
  await trainer.step(); // warm-up
  const rollout: number[] = [];
  const train: number[] = [];
  let meanLength = 0;
  for (let r = 0; r < reps; r++) {
    const e = await trainer.evaluate();
    rollout.push(e.stepsPerSecond);
    const s = await trainer.step();
    train.push(s.stepsPerSecond);
    meanLength = s.meanLength;
  }
  trainer.destroy();
  // Peer (a): the same algorithm in plain TypeScript on one CPU thread, same policy and batch.
  const peerRollout: number[] = [];
  const peerTrain: number[] = [];
  if (policy) {
    const peer = new CpuReinforce(policy, w.numEnvs, 1e-7, 1);
    for (let r = 0; r < reps; r++) {
      const e = peer.timeRollout();
      peerRollout.push(e.envSteps / e.seconds);
      const s = peer.timeIteration();
      peerTrain.push(s.envSteps / s.seconds);
    }
  }
  const f = forwardFlops(w.hidden);
  // A training iteration does the rollout's forward pass, then per sample a recomputed forward pass, the
  // backpropagation W^T delta and the outer-product accumulation: about 4 forward passes in all.
  const row = {
    env: 'cartpole',
    numEnvs: w.numEnvs,
    hidden: w.hidden.join('x'),
    trainedPolicy: policy !== undefined,
    meanLength,
    rolloutStepsPerSecond: Math.round(median(rollout)),
    rolloutGflops: (median(rollout) * f) / 1e9,
    trainStepsPerSecond: Math.round(median(train)),
    trainGflops: (median(train) * 4 * f) / 1e9,
    peers: policy
      ? {
          'cpu-ts': {
            rolloutStepsPerSecond: Math.round(median(peerRollout)),
            trainStepsPerSecond: Math.round(median(peerTrain)),
          },
        }
      : {},
  };
  rows.push(row);
  if (!values.json) {
    console.log(
      `N ${String(w.numEnvs).padStart(5)}  hidden ${row.hidden.padEnd(6)} mean length ${meanLength.toFixed(0).padStart(4)}  ` +
        `rollout ${row.rolloutStepsPerSecond.toLocaleString('en-US').padStart(9)} env-steps/s ${row.rolloutGflops.toFixed(2)} GFLOP/s  ` +
        `train ${row.trainStepsPerSecond.toLocaleString('en-US').padStart(9)} env-steps/s ${row.trainGflops.toFixed(2)} GFLOP/s`,
    );
    if (policy) {
      const cpu = row.peers['cpu-ts'] as { rolloutStepsPerSecond: number; trainStepsPerSecond: number };
      console.log(
        `   cpu-ts peer (plain TypeScript, 1 thread): rollout ${cpu.rolloutStepsPerSecond.toLocaleString('en-US')} env-steps/s ` +
          `(engine ${(row.rolloutStepsPerSecond / cpu.rolloutStepsPerSecond).toFixed(2)}x), train ${cpu.trainStepsPerSecond.toLocaleString('en-US')} ` +
          `(engine ${(row.trainStepsPerSecond / cpu.trainStepsPerSecond).toFixed(2)}x)`,
      );
    }
  }
}

const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const result = { date: new Date().toISOString(), adapter, machine, reps, workloads: rows };
const file = `bench/results/${result.date.slice(0, 10)}-${adapter
  .split(' ')
  .slice(0, 2)
  .join('-')
  .replace(/[^\w-]/g, '')}.json`;
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
if (values.json) console.log(JSON.stringify(result));
else console.log(`adapter: ${adapter}\nmachine: ${machine}\nwritten: ${file}`);
process.exit(0);
