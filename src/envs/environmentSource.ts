// How an environment enters a kernel: its WGSL spliced at `#include "env"`, the policy head and action files
// for its action space at "head" and "action", and the constants they read (sizes, bounds, its own constants).
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { ReinforceError } from '../errors.js';
import { composeSource, loadShaderFile, originOf } from '../gpu/shaderSource.js';
import { wgslConstants } from '../gpu/wgslConstants.js';
import { headConstants, headFiles } from '../policy/head.js';
import type { EnvironmentDescriptor } from './environment.js';

export const environmentFileName = (env: EnvironmentDescriptor) =>
  'file' in env.shader ? env.shader.file : (env.shader.fileName ?? `${env.name}.wgsl`);

export type Splices = Record<string, { name: string; source: string }>;

export async function environmentSplices(env: EnvironmentDescriptor): Promise<Splices> {
  const files = headFiles(env.action);
  const name = environmentFileName(env);
  const source = 'file' in env.shader ? await loadShaderFile(env.shader.file) : env.shader.source;
  return {
    env: { name, source },
    head: { name: files.head, source: await loadShaderFile(files.head) },
    action: { name: files.action, source: await loadShaderFile(files.action) },
  };
}

/** Constants for the action head and the environment (the layout's come from src/policy/layout.ts). */
export function environmentConstants(env: EnvironmentDescriptor, learnLogStd: boolean): string {
  return [
    headConstants(env.action, learnLogStd),
    env.stateDim === undefined ? '' : wgslConstants({ u32: { STATE_DIM: env.stateDim } }),
    env.constants ? wgslConstants(env.constants) : '',
  ]
    .filter((text) => text.length > 0)
    .join('\n');
}

interface InterfaceFunction {
  name: string;
  signature: string;
  /** The argument types and the return type, as typeName() writes them ("Action": the head's action type). */
  args: string[];
  returns: string;
}

const TRAINING_INTERFACE: InterfaceFunction[] = [
  { name: 'envReset', signature: 'fn envReset(u: vec4f) -> EnvState', args: ['vec4<f32>'], returns: 'EnvState' },
  {
    name: 'envObserve',
    signature: 'fn envObserve(s: EnvState) -> array<vec4f, OBS4>',
    args: ['EnvState'],
    returns: 'array<vec4<f32>, OBS4>',
  },
  {
    name: 'envStep',
    signature: 'fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f',
    args: ['ptr<EnvState>', 'Action', 'vec4<f32>'],
    returns: 'vec2<f32>',
  },
];

const STATE_VECTOR_INTERFACE: InterfaceFunction[] = [
  {
    name: 'envFromVector',
    signature: 'fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState',
    args: ['array<f32, STATE_DIM>'],
    returns: 'EnvState',
  },
  {
    name: 'envToVector',
    signature: 'fn envToVector(s: EnvState) -> array<f32, STATE_DIM>',
    args: ['EnvState'],
    returns: 'array<f32, STATE_DIM>',
  },
];

interface ReflectedType {
  name: string;
  count?: number;
  format?: ReflectedType | null;
}

interface ReflectedFunction {
  name: string;
  startLine: number;
  arguments: { name: string; type: ReflectedType }[];
  returnType: ReflectedType | null;
}

const SCALARS = ['f32', 'f16', 'i32', 'u32', 'bool'];
const SHORT_VECTORS: Record<string, string> = { f: 'f32', h: 'f16', i: 'i32', u: 'u32' };

/**
 * A reflected type in one spelling (vec4f and vec4<f32> alike; a pointer without its address space), or undefined
 * for a type this check cannot judge (an alias wgsl_reflect left unresolved, a texture...).
 */
function typeName(type: ReflectedType | null | undefined, structs: Set<string>): string | undefined {
  if (!type) return 'nothing';
  const short = /^(vec[234])([fhiu])$/.exec(type.name);
  if (short) return `${short[1]}<${SHORT_VECTORS[short[2] as string]}>`;
  const inner = () => typeName(type.format, structs);
  if (/^vec[234]$/.test(type.name) || type.name === 'ptr') {
    const format = inner();
    return format === undefined ? undefined : `${type.name}<${format}>`;
  }
  if (type.name === 'array') {
    const format = inner();
    return format === undefined || !type.count ? undefined : `array<${format}, ${type.count}>`;
  }
  return SCALARS.includes(type.name) || structs.has(type.name) || type.name === 'Action' ? type.name : undefined;
}

/** The interface's type with the sizes of this environment: OBS4, STATE_DIM, and the head's Action. */
function expectedType(text: string, env: EnvironmentDescriptor, actual: string): boolean {
  const sized = text.replace('OBS4', String(Math.ceil(env.obsDim / 4))).replace('STATE_DIM', String(env.stateDim ?? 0));
  if (sized !== 'Action') return actual === sized;
  const action = env.action.kind === 'categorical' ? 'u32' : `array<f32, ${env.action.dim}>`;
  return actual === 'Action' || actual === action;
}

/**
 * Checks that an environment's WGSL declares the interface (struct EnvState and the functions, with their argument
 * and return types, the observation's size from obsDim) and names what is wrong with the user's file and line, so
 * that a mistake is never reported at a line of the engine's kernel that calls the function. WGSL that does not
 * parse is left to the compiler, whose errors name the file's lines.
 */
export async function assertEnvironmentInterface(
  env: EnvironmentDescriptor,
  source: string,
  needStateVector = false,
): Promise<void> {
  const file = environmentFileName(env);
  // The sizes the kernels define, so that array<vec4f, OBS4> reflects with its length.
  const prelude = [
    wgslConstants({ u32: { OBS_DIM: env.obsDim, OBS4: Math.ceil(env.obsDim / 4) } }),
    environmentConstants(env, true),
  ].join('\n');
  let composed: string;
  let reflect: WgslReflect;
  try {
    // With its own includes resolved (e.g. shared dynamics), as the kernels will see it.
    composed = await composeSource(file, source, { prelude });
    reflect = new WgslReflect(composed);
  } catch {
    return;
  }
  const problems: string[] = [];
  const structs = new Set<string>(reflect.structs.map((s: { name: string }) => s.name));
  if (!structs.has('EnvState')) problems.push(`${file}: struct EnvState { ... } is missing`);
  const wanted = needStateVector ? [...TRAINING_INTERFACE, ...STATE_VECTOR_INTERFACE] : TRAINING_INTERFACE;
  for (const f of wanted) {
    const found = (reflect.functions as unknown as ReflectedFunction[]).find((g) => g.name === f.name);
    if (!found) {
      problems.push(`${file}: ${f.signature} is missing`);
      continue;
    }
    const where = originOf(composed, found.startLine);
    if (found.arguments.length !== f.args.length) {
      problems.push(`${where}: ${f.name} takes ${found.arguments.length} arguments; the interface is ${f.signature}`);
      continue;
    }
    const wrong = [
      ...found.arguments.map((a, k) => ({ what: `'s argument ${a.name} is`, type: a.type, expected: f.args[k] as string })),
      { what: ' returns', type: found.returnType, expected: f.returns },
    ].find(({ type, expected }) => {
      const actual = typeName(type, structs);
      return actual !== undefined && !expectedType(expected, env, actual);
    });
    if (wrong) {
      const sizes = f.name === 'envObserve' ? ` (OBS4 = ${Math.ceil(env.obsDim / 4)} for obsDim ${env.obsDim})` : '';
      problems.push(`${where}: ${f.name}${wrong.what} ${typeName(wrong.type, structs)}; the interface is ${f.signature}${sizes}`);
    }
  }
  if (needStateVector && env.stateDim === undefined)
    problems.push('the descriptor has no stateDim (the length of the state vector)');
  if (problems.length > 0) {
    throw new ReinforceError('ENVIRONMENT', `environment "${env.name}": ${problems.join('; also ')}`, 'env');
  }
}

/**
 * A compile error in a user's own WGSL (a descriptor with `shader.source`) is bad input, not an engine failure: an
 * ENVIRONMENT error naming the file, the line and the line's text, on one line (the CLI exits 2). Any other error,
 * an engine file's included, is returned as it is.
 */
export function userShaderError(env: EnvironmentDescriptor, error: unknown): unknown {
  if (!(error instanceof ReinforceError) || error.code !== 'SHADER' || 'file' in env.shader) return error;
  const file = environmentFileName(env).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Kernel.create's details: "ORIGIN line N: MESSAGE\n    SOURCE LINE" per error; the first in the user's file.
  const found = new RegExp(`(${file} line \\d+: [^\\n]*)(?:\\n\\s+([^\\n]*))?`).exec(error.message);
  if (!found) return error;
  const text = found[2] ? `: ${found[2].trim().slice(0, 120)}` : '';
  return new ReinforceError('ENVIRONMENT', `environment "${env.name}": ${found[1]}${text}`, 'env');
}
