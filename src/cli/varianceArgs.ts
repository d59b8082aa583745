// `webgpu-reinforce variance` flags (the variance lab, src/cli/variance.ts): parsed and checked as the other verbs'
// are (src/cli/args.ts), bad input one line naming the flag.
import { type BaselineKind, baselineKinds } from '../algo/options.js';
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
export interface VarianceArgs extends EnvironmentFlags {
  /** The parameters: a policy file, or a fresh policy trained `iters` iterations first (0: the initial policy). */
  policy: string | undefined;
  iters: number;
  envs: number;
  batches: number;
  baselines: BaselineKind[];
  rewardToGo: boolean[];
  /** A large-batch reference of referenceEnvs x referenceBatches trajectories (defaults: the engine's). */
  referenceEnvs: number | undefined;
  referenceBatches: number | undefined;
  hidden: number[];
  seed: number;
  gamma: number;
  json: boolean;
  out: string | undefined;
}

/** A comma-separated list of allowed words, each once. */
function listFlag<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(',').map((x) => x.trim());
  for (const item of items) {
    if (!allowed.includes(item as T))
      throw new UsageError(`--${flag} must be a comma-separated list of ${allowed.join(', ')}, got "${item}" in "${text}"`);
  }
  if (new Set(items).size !== items.length) throw new UsageError(`--${flag} lists an item twice: "${text}"`);
  return items as T[];
}

export function parseVarianceArgs(argv: string[]): VarianceArgs {
  const v = parse(
    argv,
    {
      ...ENVIRONMENT_OPTIONS,
      policy: { type: 'string' },
      iters: { type: 'string' },
      envs: { type: 'string' },
      batches: { type: 'string' },
      baselines: { type: 'string' },
      'reward-to-go': { type: 'string' },
      'reference-envs': { type: 'string' },
      'reference-batches': { type: 'string' },
      hidden: { type: 'string' },
      seed: { type: 'string' },
      gamma: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    },
    ['iters', 'envs', 'batches', 'reference-envs', 'reference-batches', 'seed', 'gamma'],
  );
  const policy = v.policy as string | undefined;
  if (policy !== undefined && v.iters !== undefined)
    throw new UsageError("--iters trains a fresh policy first; leave it out with --policy (the parameters are the file's)");
  if (policy !== undefined && v.hidden !== undefined)
    throw new UsageError("--hidden shapes a fresh policy; leave it out with --policy (the file's layers stand)");
  const referenceEnvs = v['reference-envs'] as string | undefined;
  const referenceBatches = v['reference-batches'] as string | undefined;
  return {
    ...environmentFlags(v, policy !== undefined),
    policy,
    iters: integer('iters', v.iters as string | undefined, 0, 0, 1_000_000),
    envs: integer('envs', v.envs as string | undefined, 1024, 1, 1 << 22),
    batches: integer('batches', v.batches as string | undefined, 100, 2, 100_000),
    baselines: listFlag('baselines', (v.baselines as string | undefined) ?? baselineKinds.join(','), baselineKinds),
    rewardToGo: listFlag('reward-to-go', (v['reward-to-go'] as string | undefined) ?? 'on,off', ['on', 'off'] as const).map(
      (x) => x === 'on',
    ),
    referenceEnvs: referenceEnvs === undefined ? undefined : integer('reference-envs', referenceEnvs, 0, 1, 1 << 22),
    referenceBatches: referenceBatches === undefined ? undefined : integer('reference-batches', referenceBatches, 0, 2, 100_000),
    hidden: hiddenFlag(v.hidden as string | undefined),
    seed: integer('seed', v.seed as string | undefined, 1, 0, 0xffffffff),
    gamma: real('gamma', v.gamma as string | undefined, 1, 'in [0, 1]', (x) => x >= 0 && x <= 1),
    json: v.json === true,
    out: v.out as string | undefined,
  };
}
