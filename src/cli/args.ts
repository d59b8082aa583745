// Command-line parsing (node:util parseArgs) and validation: bad input is one line naming the flag and what
// it accepts, and exit code 2.
import { parseArgs } from 'node:util';
import { builtInEnvironments } from '../envs/registry.js';

/** Bad input (exit 2), always one line: a newline in an echoed argument or a file's text shows as a space. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, ' '));
  }
}

/** Which environment: a built-in name, a user's WGSL file with its JSON spec, and for lqr an optional config. */
export interface EnvironmentFlags {
  env: string;
  envFile: string | undefined;
  envSpec: string | undefined;
  lqr: string | undefined;
}

export interface EvalArgs extends EnvironmentFlags {
  policy: string;
  episodes: number;
  seed: number;
  deterministic: boolean;
  json: boolean;
}

export type OptionSpecs = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** A token that is a (negative) number: a value, not a flag. */
const NEGATIVE_NUMBER = /^-(\.?\d|Infinity$)/;

/**
 * `--flag -1` for the numeric flags: joined into `--flag=-1` before node's parser, which takes any token starting
 * with a dash for a flag. A string flag followed by another flag or by nothing is refused naming the flag.
 */
export function joinNegativeValues(argv: string[], options: OptionSpecs, numeric: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined;
    if (name === undefined || options[name]?.type !== 'string') {
      out.push(token);
      continue;
    }
    const value = argv[i + 1];
    if (value !== undefined && numeric.includes(name) && NEGATIVE_NUMBER.test(value)) {
      out.push(`${token}=${value}`);
      i++;
    } else if (value === undefined || value.startsWith('--')) {
      throw new UsageError(`--${name} needs a value${value === undefined ? '' : `, got the flag "${value}"`}`);
    } else if (value.startsWith('-')) {
      throw new UsageError(`--${name} needs a value, got "${value}" (a value starting with a dash: --${name}=${value})`);
    } else out.push(token);
  }
  return out;
}

export function parse(argv: string[], options: OptionSpecs, numeric: readonly string[] = []) {
  const args = joinNegativeValues(argv, options, numeric);
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    // Drop node's boilerplate after the first sentence.
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

export function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

export function real(
  flag: string,
  text: string | undefined,
  fallback: number,
  range: string,
  ok: (v: number) => boolean,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !ok(value))
    throw new UsageError(`--${flag} must be a number ${range}, got "${text}"`);
  return value;
}

export const ENVIRONMENT_OPTIONS = {
  env: { type: 'string' },
  'env-file': { type: 'string' },
  'env-spec': { type: 'string' },
  lqr: { type: 'string' },
} as const;

/** With `optional`, no environment flag at all leaves env "" (the policy file's or the checkpoint's environment). */
export function environmentFlags(v: Record<string, string | boolean | undefined>, optional = false): EnvironmentFlags {
  const envFile = v['env-file'] as string | undefined;
  const envSpec = v['env-spec'] as string | undefined;
  const lqr = v.lqr as string | undefined;
  if ((envFile === undefined) !== (envSpec === undefined))
    throw new UsageError('--env-file and --env-spec go together: the WGSL file and its JSON spec');
  if (envFile !== undefined && v.env !== undefined)
    throw new UsageError('--env names a built-in environment; leave it out with --env-file');
  if (optional && envFile === undefined && v.env === undefined && lqr === undefined)
    return { env: '', envFile, envSpec, lqr: undefined };
  const env = envFile !== undefined ? 'user' : ((v.env as string | undefined) ?? 'cartpole');
  if (envFile === undefined && !(env in builtInEnvironments)) {
    throw new UsageError(`--env must be one of ${Object.keys(builtInEnvironments).join(', ')}, got "${env}"`);
  }
  if (lqr !== undefined && env !== 'lqr') throw new UsageError('--lqr (an LQR configuration file) needs --env lqr');
  return { env, envFile, envSpec, lqr };
}

/** --hidden: comma-separated widths, or none (or nothing) for a linear policy; default 32. */
export function hiddenFlag(text = '32'): number[] {
  const linear = text.trim() === '' || text.trim() === 'none';
  if (!linear && !/^\s*\d+(\s*,\s*\d+)*\s*$/.test(text)) {
    throw new UsageError(
      `--hidden must be comma-separated layer widths from 1 to 1024 (e.g. 64,64), or none for a linear policy, got "${text}"`,
    );
  }
  return linear ? [] : text.split(',').map((h) => integer('hidden', h.trim(), 0, 1, 1024));
}

export function parseEvalArgs(argv: string[]): EvalArgs {
  const v = parse(
    argv,
    {
      ...ENVIRONMENT_OPTIONS,
      policy: { type: 'string' },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      deterministic: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    ['episodes', 'seed'],
  );
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
