// How an environment enters a kernel: its WGSL spliced at `#include "env"`, the policy head and action files
// for its action space at "head" and "action", and the constants they read (sizes, bounds, its own constants).
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { ReinforceError } from '../errors.js';
import { composeSource, loadShaderFile } from '../gpu/shaderSource.js';
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
  arguments: number;
  signature: string;
}

const TRAINING_INTERFACE: InterfaceFunction[] = [
  { name: 'envReset', arguments: 1, signature: 'fn envReset(u: vec4f) -> EnvState' },
  { name: 'envObserve', arguments: 1, signature: 'fn envObserve(s: EnvState) -> array<vec4f, OBS4>' },
  { name: 'envStep', arguments: 3, signature: 'fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f' },
];

const STATE_VECTOR_INTERFACE: InterfaceFunction[] = [
  { name: 'envFromVector', arguments: 1, signature: 'fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState' },
  { name: 'envToVector', arguments: 1, signature: 'fn envToVector(s: EnvState) -> array<f32, STATE_DIM>' },
];

/**
 * Checks that an environment's WGSL declares the interface (struct EnvState and the functions, with their
 * argument counts) and names what is missing. WGSL that does not parse is left to the compiler, whose errors
 * name the file's lines; so are wrong types (e.g. an observation of the wrong size).
 */
export async function assertEnvironmentInterface(
  env: EnvironmentDescriptor,
  source: string,
  needStateVector = false,
): Promise<void> {
  let reflect: WgslReflect;
  try {
    // With its own includes resolved (e.g. shared dynamics), as the kernels will see it.
    reflect = new WgslReflect(await composeSource(environmentFileName(env), source, { prelude: '' }));
  } catch {
    return;
  }
  const file = environmentFileName(env);
  const problems: string[] = [];
  if (!reflect.structs.some((s: { name: string }) => s.name === 'EnvState')) problems.push('struct EnvState { ... } is missing');
  const wanted = needStateVector ? [...TRAINING_INTERFACE, ...STATE_VECTOR_INTERFACE] : TRAINING_INTERFACE;
  for (const f of wanted) {
    const found = reflect.functions.find((g: { name: string }) => g.name === f.name) as { arguments: unknown[] } | undefined;
    if (!found) problems.push(`${f.signature} is missing`);
    else if (found.arguments.length !== f.arguments)
      problems.push(`${f.name} takes ${found.arguments.length} arguments; the interface is ${f.signature}`);
  }
  if (needStateVector && env.stateDim === undefined)
    problems.push('the descriptor has no stateDim (the length of the state vector)');
  if (problems.length > 0) {
    throw new ReinforceError('ENVIRONMENT', `environment "${env.name}" (${file}): ${problems.join('; ')}`, 'env');
  }
}
