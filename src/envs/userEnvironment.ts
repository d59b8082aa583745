// Environments written by users: the descriptor's checks (every field named in the error), and the JSON spec
// form the CLI reads next to a WGSL file (--env-file my-env.wgsl --env-spec my-env.json):
//   { "name": "my-env", "obsDim": 3, "action": { "kind": "categorical", "n": 2 }
//                                  (or { "kind": "gaussian", "dim": 1, "low": [-2], "high": [2] }),
//     "horizon": 200, "stateDim": 2, "rewardThreshold": 150, "constants": { "f32": { "GAIN": 0.5 } } }
// stateDim is needed only by check-env (with envFromVector/envToVector in the WGSL); rewardThreshold and
// constants are optional. The WGSL's interface is checked before any kernel compiles (environmentSource.ts), then
// the compiler checks the rest; both name the WGSL file's lines.
import { invalidOption, shown } from '../errors.js';
import { type ConstantValues, wgslConstants } from '../gpu/wgslConstants.js';
import { MAX_GAUSSIAN_DIM } from '../policy/head.js';
import type { EnvironmentDescriptor } from './environment.js';

const isInteger = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
// Bounds reach the GPU as float32 constants: finite there too.
const isFiniteArray = (v: unknown, length: number): v is number[] =>
  Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(Math.fround(x)));
const CONSTANT_TYPES = ['u32', 'f32', 'bool'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `parent.key`, or `parent["odd key"]` for a key that is no plain name (shown on one line, shortened). */
const fieldOf = (parent: string, key: string) =>
  /^[A-Za-z_$][\w$]{0,39}$/.test(key) ? `${parent}.${key}` : `${parent}[${shown(key)}]`;

/** Checks a descriptor; throws INVALID_OPTION naming the field (prefixed with `field`) and its allowed values. */
export function validateEnvironment(env: EnvironmentDescriptor, field = 'env'): EnvironmentDescriptor {
  if (typeof env !== 'object' || env === null) throw invalidOption(field, 'must be an environment name or descriptor');
  if (typeof env.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(env.name))
    throw invalidOption(`${field}.name`, 'must be 1 to 64 letters, digits, "_", "-" or "."');
  if (!isInteger(env.obsDim, 1, 256))
    throw invalidOption(`${field}.obsDim`, `must be an integer from 1 to 256, got ${shown(env.obsDim)}`);
  const action = env.action as unknown as Record<string, unknown> | undefined;
  if (action?.kind === 'categorical') {
    if (!isInteger(action.n, 2, 256))
      throw invalidOption(`${field}.action.n`, `must be an integer from 2 to 256, got ${shown(action.n)}`);
  } else if (action?.kind === 'gaussian') {
    if (!isInteger(action.dim, 1, MAX_GAUSSIAN_DIM))
      throw invalidOption(`${field}.action.dim`, `must be an integer from 1 to ${MAX_GAUSSIAN_DIM}, got ${shown(action.dim)}`);
    const dim = action.dim as number;
    if (!isFiniteArray(action.low, dim)) throw invalidOption(`${field}.action.low`, `must be ${dim} finite numbers (float32)`);
    if (!isFiniteArray(action.high, dim)) throw invalidOption(`${field}.action.high`, `must be ${dim} finite numbers (float32)`);
    action.low.forEach((low, k) => {
      if (!(low < ((action.high as number[])[k] as number)))
        throw invalidOption(`${field}.action.low[${k}]`, `must be below action.high[${k}]`);
    });
  } else {
    throw invalidOption(`${field}.action.kind`, 'must be "categorical" or "gaussian"');
  }
  if (!isInteger(env.horizon, 1, 100000))
    throw invalidOption(`${field}.horizon`, `must be an integer from 1 to 100000, got ${shown(env.horizon)}`);
  if (env.stateDim !== undefined && !isInteger(env.stateDim, 1, 256))
    throw invalidOption(`${field}.stateDim`, `must be an integer from 1 to 256, got ${shown(env.stateDim)}`);
  if (env.rewardThreshold !== undefined && !Number.isFinite(env.rewardThreshold))
    throw invalidOption(`${field}.rewardThreshold`, 'must be a finite number');
  if (env.constants !== undefined) {
    const extra = isRecord(env.constants) ? Object.keys(env.constants).find((k) => !CONSTANT_TYPES.includes(k)) : undefined;
    const kinds = isRecord(env.constants) ? Object.values(env.constants) : [];
    if (!isRecord(env.constants) || extra !== undefined || !kinds.every(isRecord))
      throw invalidOption(
        extra === undefined ? `${field}.constants` : fieldOf(`${field}.constants`, extra),
        'must be { u32?: {NAME: n}, f32?: {NAME: x or [x, ..]}, bool?: {NAME: b} }',
      );
    try {
      wgslConstants(env.constants);
    } catch (error) {
      throw invalidOption(
        `${field}.constants`,
        `must be { u32?: {NAME: n}, f32?: {NAME: x or [x, ..]}, bool?: {NAME: b} }: ${(error as Error).message}`,
      );
    }
  }
  const angular = env.angularState;
  if (angular !== undefined) {
    const states = env.stateDim ?? 0;
    if (!Array.isArray(angular) || !angular.every((k) => isInteger(k, 0, states - 1)))
      throw invalidOption(
        `${field}.angularState`,
        states > 0 ? `must be indices of state components, integers from 0 to ${states - 1}` : 'needs stateDim',
      );
  }
  const shader = env.shader as unknown as Record<string, unknown> | undefined;
  if (!shader || (typeof shader.file !== 'string' && typeof shader.source !== 'string'))
    throw invalidOption(`${field}.shader`, 'must be { source: "<WGSL>" } (or { file } for a file under shaders/)');
  return env;
}

/** A descriptor from a parsed JSON spec and the WGSL text (fileName names it in compile errors). */
export function environmentFromSpec(
  spec: unknown,
  source: string,
  fileName: string,
  specName = 'env-spec',
): EnvironmentDescriptor {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw invalidOption(specName, 'must be a JSON object');
  const s = spec as Record<string, unknown>;
  const known = ['name', 'obsDim', 'action', 'horizon', 'stateDim', 'rewardThreshold', 'constants', 'angularState'];
  for (const key of Object.keys(s)) {
    if (!known.includes(key)) throw invalidOption(fieldOf(specName, key), `is not a spec field; allowed: ${known.join(', ')}`);
  }
  const action = s.action;
  if (isRecord(action) && (action.kind === 'categorical' || action.kind === 'gaussian')) {
    const allowed = action.kind === 'gaussian' ? ['kind', 'dim', 'low', 'high'] : ['kind', 'n'];
    for (const key of Object.keys(action)) {
      if (!allowed.includes(key))
        throw invalidOption(
          fieldOf(`${specName}.action`, key),
          `is not a field of a ${action.kind} action; allowed: ${allowed.join(', ')}`,
        );
    }
  }
  const descriptor = {
    name: s.name,
    obsDim: s.obsDim,
    action: s.action,
    horizon: s.horizon,
    stateDim: s.stateDim,
    rewardThreshold: s.rewardThreshold,
    constants: s.constants as ConstantValues | undefined,
    angularState: s.angularState as number[] | undefined,
    shader: { source, fileName },
  } as EnvironmentDescriptor;
  return validateEnvironment(descriptor, specName);
}
