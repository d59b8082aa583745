// `webgpu-reinforce variance`: the variance lab (src/algo/varianceLab.ts) on the command line. At fixed parameters
// (a policy file, a fresh policy trained --iters K iterations with the train defaults, or the initial one) it draws
// --batches M batches of --envs N trajectories for each estimator of the cross product --baselines x
// --reward-to-go and reports each one's mean gradient, its distance and cosine to a reference, its total variance
// and the ratio to plain REINFORCE: a table, JSON lines (--json), and with --out a JSON report and an SVG chart
// beside it. The reference is the exact gradient where it is known (the LQR with a linear policy and gamma 1:
// src/envs/lqrGradient.ts), else a large batch of an unbiased estimator drawn with its own seed.
import { createTrainer } from '../algo/createTrainer.js';
import { type EstimatorReport, type EstimatorSetting, measureEstimators, type VarianceReport } from '../algo/varianceLab.js';
import type { EnvironmentDescriptor } from '../envs/environment.js';
import { defaultLqrConfig, type LqrConfig } from '../envs/lqr.js';
import { exactLqrGradient } from '../envs/lqrGradient.js';
import { builtInEnvironments } from '../envs/registry.js';
import { ReinforceError } from '../errors.js';
import { requestDevice } from '../gpu/device.js';
import type { PolicyFile } from '../policy/policyFile.js';
import { UsageError } from './args.js';
import { environmentFromFlags, readJsonFlag } from './environmentFlags.js';
import { checkWritable, readPolicyFlag, writeJsonAtomically, writeTextAtomically } from './files.js';
import type { VarianceArgs } from './varianceArgs.js';
import { estimatorLabel, varianceChart } from './varianceChart.js';

/** The chart's path: the report's with .svg for its extension. */
export const chartPath = (out: string) => out.replace(/(\.json)?$/i, '.svg');

export async function variance(args: VarianceArgs): Promise<number> {
  const start = performance.now();
  const file = args.policy === undefined ? undefined : readPolicyFlag('policy', args.policy);
  if (file && args.env === '' && !(file.env in builtInEnvironments))
    throw new UsageError(
      `--policy: environment "${file.env}" is not built in; give its --env-file and --env-spec (or --env lqr --lqr config.json)`,
    );
  const flags = file && args.env === '' ? { ...args, env: file.env } : args;
  const env = environmentFromFlags(flags);
  if (args.out) {
    checkWritable('out', args.out);
    checkWritable('out', chartPath(args.out));
  }
  const log = (line: string) => console.error(line);
  const { device, adapterName } = await requestDevice();
  try {
    const source = file ? args.policy : args.iters > 0 ? `trained ${args.iters} iterations` : 'initial';
    const policy = file ?? (await freshPolicy(args, env, device, log));
    const common = { device, env, numEnvs: args.envs, seed: args.seed, gamma: args.gamma, policy };
    const exact = exactReference(args, flags, env, policy);
    const estimators: EstimatorSetting[] = args.baselines.flatMap((baseline) =>
      args.rewardToGo.map((rewardToGo) => ({ baseline, rewardToGo })),
    );
    if (!args.json) {
      log(`adapter: ${adapterName}`);
      log(
        `variance lab on ${env.name}, parameters: ${source}; ${estimators.length} estimators, ${args.batches} batches of ` +
          `${args.envs} trajectories each, gamma ${args.gamma}, seed ${args.seed}; reference: ` +
          `${exact ? 'exact (closed-form LQR return)' : 'a large batch (perTimestepLeaveOneOut, reward-to-go, its own seed)'}`,
      );
    }
    const report = await asUsage(() =>
      measureEstimators({
        trainer: common,
        batches: args.batches,
        estimators,
        reference: exact ? { gradient: exact } : { numEnvs: args.referenceEnvs, batches: args.referenceBatches },
        progress: args.json ? undefined : (m) => log(`  ${m}`),
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const rows = report.estimators.map((e) => row(e, report.reference));
    const summary = {
      done: true,
      env: env.name,
      parameters: source,
      numEnvs: args.envs,
      batches: args.batches,
      gamma: args.gamma,
      seed: args.seed,
      reference: report.reference,
      seconds,
      adapter: adapterName,
    };
    if (args.json) {
      for (const r of rows) console.log(JSON.stringify(r));
      console.log(JSON.stringify(summary));
    } else {
      console.log(table(rows, report.reference));
      console.log(`done: ${rows.length} estimator${rows.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s`);
    }
    if (args.out) {
      const { done: _, ...fields } = summary;
      writeJsonAtomically(args.out, {
        format: 'webgpu-reinforce.variance',
        version: 1,
        ...fields,
        date: new Date().toISOString(),
        estimators: rows,
        policy,
      });
      const title = `${env.name}: ${args.batches} batches of ${args.envs} trajectories (parameters: ${source})`;
      writeTextAtomically(chartPath(args.out), varianceChart(title, rows));
      if (!args.json) log(`report written to ${args.out}, chart to ${chartPath(args.out)}`);
    }
    return 0;
  } finally {
    device.destroy();
  }
}

/** One estimator's line: the engine's report with |mean| and the distance noise alone would give. */
function row(e: EstimatorReport, reference: VarianceReport['reference']) {
  const { meanGradient, ...rest } = e;
  return {
    ...rest,
    meanNorm: Math.hypot(...meanGradient),
    // E|mean - reference|^2 = tr Cov(mean) + tr Cov(reference) for unbiased independent estimates.
    expectedDistance: Math.hypot(e.noiseDistance, reference.standardError ?? 0),
    meanGradient,
  };
}

function table(rows: ReturnType<typeof row>[], reference: VarianceReport['reference']): string {
  const g = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(3));
  const header = ['estimator', 'mean |g|', 'distance (noise)', 'cosine', 'total variance', 'ratio to plain'];
  const body = rows.map((r) => [
    estimatorLabel(r),
    g(r.meanNorm),
    `${g(r.distanceToReference)} (${g(r.expectedDistance)})`,
    r.cosineToReference.toFixed(4),
    g(r.totalVariance),
    r.varianceRatio.toFixed(3),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => (b[c] as string).length)));
  const line = (cells: string[]) =>
    cells.map((x, c) => (c === 0 ? x.padEnd(widths[c] as number) : x.padStart(widths[c] as number))).join('  ');
  const ref =
    reference.kind === 'exact'
      ? `reference: the exact gradient, |g| ${g(reference.norm)}`
      : `reference: ${reference.batches} batches of ${reference.numEnvs} trajectories, |g| ${g(reference.norm)}, standard error ${g(reference.standardError ?? 0)}`;
  return [
    line(header),
    ...body.map(line),
    `${ref}; noise: the distance expected from the estimates' own noise (and the reference's) if unbiased`,
  ].join('\n');
}

/** The parameters when no policy file is given: a fresh trainer (train defaults) after --iters iterations. */
async function freshPolicy(
  args: VarianceArgs,
  env: EnvironmentDescriptor,
  device: GPUDevice,
  log: (line: string) => void,
): Promise<PolicyFile> {
  const trainer = await asUsage(() =>
    createTrainer({ device, env, numEnvs: args.envs, hidden: args.hidden, seed: args.seed, gamma: args.gamma }),
  );
  try {
    for (let i = 1; i <= args.iters; i++) {
      const stats = await trainer.step();
      if (!args.json) log(`  training: iteration ${i} of ${args.iters}, mean return ${stats.meanReturn.toFixed(2)}`);
    }
    return await trainer.readPolicy();
  } finally {
    trainer.destroy();
  }
}

/** The exact gradient on the LQR for a linear policy and gamma 1, unless a large-batch reference was asked for. */
function exactReference(
  args: VarianceArgs,
  flags: VarianceArgs,
  env: EnvironmentDescriptor,
  policy: PolicyFile,
): Float32Array | undefined {
  if (env.name !== 'lqr' || flags.envFile !== undefined || policy.layers.length !== 1 || args.gamma !== 1) return;
  if (args.referenceEnvs !== undefined || args.referenceBatches !== undefined) return;
  const config: LqrConfig =
    flags.lqr === undefined
      ? defaultLqrConfig
      : { ...defaultLqrConfig, ...(readJsonFlag('lqr', flags.lqr) as Partial<LqrConfig>) };
  return exactLqrGradient(config, policy);
}

/** The engine's refusals of a flag's value (numEnvs beyond the device, a policy that does not fit) as bad input. */
async function asUsage<T>(make: () => Promise<T>): Promise<T> {
  const flags: Record<string, string> = { numEnvs: 'envs', policy: 'policy', hidden: 'hidden', seed: 'seed', gamma: 'gamma' };
  try {
    return await make();
  } catch (error) {
    if (error instanceof ReinforceError && error.code === 'INVALID_OPTION' && error.field && error.field in flags)
      throw new UsageError(`--${flags[error.field]}: ${error.message.replace(`${error.field}: `, '')}`);
    throw error;
  }
}
