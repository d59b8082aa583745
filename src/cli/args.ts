// Command-line parsing (node:util parseArgs) and validation: bad input is one line naming the flag and what
// it accepts, and exit code 2.
import { parseArgs } from 'node:util';
import { type BaselineKind, baselineKinds, type ImportanceKind, importanceKinds } from '../algo/options.js';
import { builtInEnvironments } from '../envs/registry.js';

export class UsageError extends Error {}

/** Which environment: a built-in name, a user's WGSL file with its JSON spec, and for lqr an optional config. */
export interface EnvironmentFlags {
  env: string;
  envFile: string | undefined;
  envSpec: string | undefined;
  lqr: string | undefined;
}

export interface TrainArgs extends EnvironmentFlags {
  envs: number;
  hidden: number[];
  activation: 'tanh' | 'relu';
  lr: number;
  seed: number;
  iters: number;
  target: number | undefined;
  baseline: BaselineKind;
  rewardToGo: boolean;
  gamma: number;
  normalizeAdvantages: boolean;
  maxGradNorm: number;
  json: boolean;
  save: string | undefined;
  load: string | undefined;
  dumpBatch: string | undefined;
  logStd: number;
  fixedStd: boolean;
  epochs: number;
  reuse: number;
  importance: ImportanceKind;
  importanceClip: number;
  importanceSelfNormalize: boolean;
}

export interface EvalArgs extends EnvironmentFlags {
  policy: string;
  episodes: number;
  seed: number;
  deterministic: boolean;
  json: boolean;
}

function parse(argv: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    // Keep node's hint for negative numbers ("--log-std=-1"); drop its other boilerplate.
    const text = (error as Error).message;
    const message = /starting with a dash/.test(text) ? text.replace(/\s+/g, ' ') : text.replace(/\. To specify.*$/s, '');
    throw new UsageError(message);
  }
}

function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function real(flag: string, text: string | undefined, fallback: number, range: string, ok: (v: number) => boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !ok(value))
    throw new UsageError(`--${flag} must be a number ${range}, got "${text}"`);
  return value;
}

const ENVIRONMENT_OPTIONS = {
  env: { type: 'string' },
  'env-file': { type: 'string' },
  'env-spec': { type: 'string' },
  lqr: { type: 'string' },
} as const;

/** With `optional`, no environment flag at all leaves env "" (eval: the policy file's environment). */
function environmentFlags(v: Record<string, string | boolean | undefined>, optional = false): EnvironmentFlags {
  const envFile = v['env-file'] as string | undefined;
  const envSpec = v['env-spec'] as string | undefined;
  const lqr = v.lqr as string | undefined;
  if ((envFile === undefined) !== (envSpec === undefined))
    throw new UsageError('--env-file and --env-spec go together: the WGSL file and its JSON spec');
  if (envFile !== undefined && v.env !== undefined)
    throw new UsageError('--env names a built-in environment; leave it out with --env-file');
  if (optional && envFile === undefined && v.env === undefined) return { env: '', envFile, envSpec, lqr: undefined };
  const env = envFile !== undefined ? 'user' : ((v.env as string | undefined) ?? 'cartpole');
  if (envFile === undefined && !(env in builtInEnvironments)) {
    throw new UsageError(`--env must be one of ${Object.keys(builtInEnvironments).join(', ')}, got "${env}"`);
  }
  if (lqr !== undefined && env !== 'lqr') throw new UsageError('--lqr (an LQR configuration file) needs --env lqr');
  return { env, envFile, envSpec, lqr };
}

export function parseTrainArgs(argv: string[]): TrainArgs {
  const v = parse(argv, {
    ...ENVIRONMENT_OPTIONS,
    envs: { type: 'string' },
    hidden: { type: 'string' },
    activation: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    iters: { type: 'string' },
    target: { type: 'string' },
    baseline: { type: 'string' },
    'no-reward-to-go': { type: 'boolean' },
    gamma: { type: 'string' },
    'normalize-advantages': { type: 'boolean' },
    'max-grad-norm': { type: 'string' },
    json: { type: 'boolean' },
    save: { type: 'string' },
    load: { type: 'string' },
    'dump-batch': { type: 'string' },
    'log-std': { type: 'string' },
    'fixed-std': { type: 'boolean' },
    epochs: { type: 'string' },
    reuse: { type: 'string' },
    is: { type: 'string' },
    'is-clip': { type: 'string' },
    'is-self-normalize': { type: 'boolean' },
  });
  const importance = ((v.is as string | undefined) ?? 'per-decision') as ImportanceKind;
  if (!importanceKinds.includes(importance))
    throw new UsageError(`--is must be one of ${importanceKinds.join(', ')}, got "${importance}"`);
  const environment = environmentFlags(v);
  const hiddenText = (v.hidden as string | undefined) ?? '32';
  const linear = hiddenText.trim() === '' || hiddenText.trim() === 'none';
  if (!linear && !/^\s*\d+(\s*,\s*\d+)*\s*$/.test(hiddenText)) {
    throw new UsageError(
      `--hidden must be comma-separated layer widths from 1 to 1024 (e.g. 64,64), or none for a linear policy, got "${hiddenText}"`,
    );
  }
  const hidden = linear ? [] : hiddenText.split(',').map((h) => integer('hidden', h.trim(), 0, 1, 1024));
  const activation = (v.activation as string | undefined) ?? 'tanh';
  if (activation !== 'tanh' && activation !== 'relu')
    throw new UsageError(`--activation must be tanh or relu, got "${activation}"`);
  const baseline = ((v.baseline as string | undefined) ?? 'perTimestep') as BaselineKind;
  if (!baselineKinds.includes(baseline))
    throw new UsageError(`--baseline must be one of ${baselineKinds.join(', ')}, got "${baseline}"`);
  const threshold = builtInEnvironments[environment.env]?.rewardThreshold;
  return {
    ...environment,
    envs: integer('envs', v.envs as string | undefined, 1024, 1, 1 << 22),
    hidden,
    activation,
    lr: real('lr', v.lr as string | undefined, 0.02, '> 0', (x) => x > 0),
    seed: integer('seed', v.seed as string | undefined, 1, 0, 0xffffffff),
    iters: integer('iters', v.iters as string | undefined, 100, 1, 1_000_000),
    target: v.target === undefined ? threshold : real('target', v.target as string, 0, '(any finite value)', () => true),
    baseline,
    rewardToGo: !v['no-reward-to-go'],
    gamma: real('gamma', v.gamma as string | undefined, 1, 'in [0, 1]', (x) => x >= 0 && x <= 1),
    normalizeAdvantages: v['normalize-advantages'] === true,
    maxGradNorm: real('max-grad-norm', v['max-grad-norm'] as string | undefined, 0, '>= 0 (0: no clipping)', (x) => x >= 0),
    json: v.json === true,
    save: v.save as string | undefined,
    load: v.load as string | undefined,
    dumpBatch: v['dump-batch'] as string | undefined,
    logStd: real('log-std', v['log-std'] as string | undefined, 0, 'in [-10, 5]', (x) => x >= -10 && x <= 5),
    fixedStd: v['fixed-std'] === true,
    epochs: integer('epochs', v.epochs as string | undefined, 1, 1, 64),
    reuse: integer('reuse', v.reuse as string | undefined, 1, 1, 16),
    importance,
    importanceClip: real('is-clip', v['is-clip'] as string | undefined, 0, '>= 1 (0: no truncation)', (x) => x === 0 || x >= 1),
    importanceSelfNormalize: v['is-self-normalize'] === true,
  };
}

export function parseEvalArgs(argv: string[]): EvalArgs {
  const v = parse(argv, {
    ...ENVIRONMENT_OPTIONS,
    policy: { type: 'string' },
    episodes: { type: 'string' },
    seed: { type: 'string' },
    deterministic: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (!v.policy) throw new UsageError('--policy is required: the policy file to evaluate');
  return {
    ...environmentFlags(v, true),
    policy: v.policy as string,
    episodes: integer('episodes', v.episodes as string | undefined, 1000, 1, 1 << 22),
    seed: integer('seed', v.seed as string | undefined, 1, 0, 0xffffffff),
    deterministic: v.deterministic === true,
    json: v.json === true,
  };
}

export interface CheckEnvArgs extends EnvironmentFlags {
  vectors: string;
  json: boolean;
}

export function parseCheckEnvArgs(argv: string[]): CheckEnvArgs {
  const v = parse(argv, { ...ENVIRONMENT_OPTIONS, vectors: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.vectors) throw new UsageError('--vectors is required: a JSON file of reference transitions ({"single": [...]})');
  if (v.env === undefined && v['env-file'] === undefined)
    throw new UsageError('--env (or --env-file with --env-spec) is required');
  return { ...environmentFlags(v), vectors: v.vectors as string, json: v.json === true };
}
