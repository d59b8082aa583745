// The environment the CLI flags name: a built-in one (--env), lqr with a configuration file (--lqr), or a
// user's WGSL file with its JSON spec (--env-file, --env-spec). Errors name the flag.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { EnvironmentDescriptor } from '../envs/environment.js';
import { defaultLqrConfig, type LqrConfig, lqrEnvironment } from '../envs/lqr.js';
import { builtInEnvironments } from '../envs/registry.js';
import { environmentFromSpec } from '../envs/userEnvironment.js';
import { ReinforceError } from '../errors.js';
import { type EnvironmentFlags, UsageError } from './args.js';

function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--${flag}: cannot read "${path}" (no such file or not readable)`);
  }
}

export function readJsonFlag(flag: string, path: string): unknown {
  const text = readText(flag, path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${flag}: "${path}" is not valid JSON (${(error as Error).message})`);
  }
}

function asUsage<T>(flag: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof ReinforceError) throw new UsageError(`--${flag}: ${error.message}`);
    throw error;
  }
}

export function environmentFromFlags(flags: EnvironmentFlags): EnvironmentDescriptor {
  if (flags.envFile !== undefined && flags.envSpec !== undefined) {
    const source = readText('env-file', flags.envFile);
    const spec = readJsonFlag('env-spec', flags.envSpec);
    return asUsage('env-spec', () => environmentFromSpec(spec, source, basename(flags.envFile as string)));
  }
  if (flags.lqr !== undefined) {
    const config = readJsonFlag('lqr', flags.lqr);
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw new UsageError(`--lqr: "${flags.lqr}" must hold a JSON object`);
    for (const key of Object.keys(config)) {
      if (!(key in defaultLqrConfig))
        throw new UsageError(`--lqr: "${key}" is not an LQR field; allowed: ${Object.keys(defaultLqrConfig).join(', ')}`);
    }
    return asUsage('lqr', () => lqrEnvironment({ ...defaultLqrConfig, ...(config as Partial<LqrConfig>) }));
  }
  const env = builtInEnvironments[flags.env];
  if (!env) throw new UsageError(`--env must be one of ${Object.keys(builtInEnvironments).join(', ')}, got "${flags.env}"`);
  return env;
}
