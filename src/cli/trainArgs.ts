// `train`'s flags: parsed and checked (bad input is one line naming the flag, exit 2), and the settings a resumed run
// keeps from its checkpoint.
import { type BaselineKind, baselineKinds, type ImportanceKind, importanceKinds } from '../algo/options.js';
import { builtInEnvironments } from '../envs/registry.js';
import {
  ENVIRONMENT_OPTIONS,
  type EnvironmentFlags,
  environmentFlags,
  hiddenFlag,
  integer,
  parse,
  real,
  UsageError,
} from './args.js';

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
  /** A checkpoint file written every --checkpoint-every iterations (0: only at the end) and when the run stops. */
  checkpoint: string | undefined;
  checkpointEvery: number;
  /** A checkpoint to continue: the options above then come from it (env "" when no environment flag was given). */
  resume: string | undefined;
}

/** Flags that set up a fresh run: a resumed run keeps the checkpoint's settings and refuses them. */
const TRAINING_FLAGS = [
  'envs',
  'hidden',
  'activation',
  'lr',
  'seed',
  'baseline',
  'no-reward-to-go',
  'gamma',
  'normalize-advantages',
  'max-grad-norm',
  'load',
  'log-std',
  'fixed-std',
  'epochs',
  'reuse',
  'is',
  'is-clip',
  'is-self-normalize',
] as const;

const TRAIN_NUMERIC = [
  'envs',
  'lr',
  'seed',
  'iters',
  'target',
  'gamma',
  'max-grad-norm',
  'log-std',
  'epochs',
  'reuse',
  'is-clip',
  'checkpoint-every',
] as const;

export function parseTrainArgs(argv: string[]): TrainArgs {
  const v = parse(
    argv,
    {
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
      checkpoint: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      resume: { type: 'string' },
    },
    TRAIN_NUMERIC,
  );
  const resume = v.resume as string | undefined;
  if (resume !== undefined) {
    const given = TRAINING_FLAGS.find((flag) => v[flag] !== undefined);
    if (given) throw new UsageError(`--${given}: a resumed run keeps the checkpoint's settings`);
    if (v['dump-batch'] !== undefined)
      throw new UsageError("--dump-batch writes a new run's first batch; leave it out with --resume");
  }
  if (v['checkpoint-every'] !== undefined && v.checkpoint === undefined)
    throw new UsageError('--checkpoint-every needs --checkpoint FILE (where to write)');
  const importance = ((v.is as string | undefined) ?? 'per-decision') as ImportanceKind;
  if (!importanceKinds.includes(importance))
    throw new UsageError(`--is must be one of ${importanceKinds.join(', ')}, got "${importance}"`);
  const environment = environmentFlags(v, resume !== undefined);
  const hidden = hiddenFlag(v.hidden as string | undefined);
  const activation = (v.activation as string | undefined) ?? 'tanh';
  if (activation !== 'tanh' && activation !== 'relu')
    throw new UsageError(`--activation must be tanh or relu, got "${activation}"`);
  const baseline = ((v.baseline as string | undefined) ?? 'perTimestepLeaveOneOut') as BaselineKind;
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
    checkpoint: v.checkpoint as string | undefined,
    checkpointEvery: integer('checkpoint-every', v['checkpoint-every'] as string | undefined, 0, 1, 1_000_000),
    resume,
  };
}
