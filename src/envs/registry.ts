import { invalidOption } from '../errors.js';
import { cartpole } from './cartpole.js';
import type { EnvironmentDescriptor } from './environment.js';

export const builtInEnvironments: Record<string, EnvironmentDescriptor> = { cartpole };

export function resolveEnvironment(env: string | EnvironmentDescriptor): EnvironmentDescriptor {
  if (typeof env !== 'string') return env;
  const descriptor = builtInEnvironments[env];
  if (!descriptor)
    throw invalidOption('env', `unknown environment "${env}"; allowed: ${Object.keys(builtInEnvironments).join(', ')}`);
  return descriptor;
}
