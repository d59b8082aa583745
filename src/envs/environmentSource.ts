// How an environment enters a kernel: its WGSL spliced at `#include "env"`, the policy head and action files
// for its action space at "head" and "action", and the constants they read (sizes, bounds, its own constants).
import { loadShaderFile } from '../gpu/shaderSource.js';
import { wgslConstants } from '../gpu/wgslConstants.js';
import { headConstants, headFiles } from '../policy/head.js';
import type { EnvironmentDescriptor } from './environment.js';

export type Splices = Record<string, { name: string; source: string }>;

export async function environmentSplices(env: EnvironmentDescriptor): Promise<Splices> {
  const files = headFiles(env.action);
  const envSplice =
    'file' in env.shader
      ? { name: env.shader.file, source: await loadShaderFile(env.shader.file) }
      : { name: env.shader.fileName ?? `${env.name}.wgsl`, source: env.shader.source };
  return {
    env: envSplice,
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
