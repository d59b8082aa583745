// The built-in environments, by the names the CLI and createTrainer accept.
import { invalidOption } from '../errors.js';
import { acrobot } from './acrobot.js';
import { cartpole, cartpolePomdp } from './cartpole.js';
import type { EnvironmentDescriptor } from './environment.js';
import { lqrEnvironment } from './lqr.js';
import { mountainCarContinuous } from './mountainCarContinuous.js';
import { pendulum } from './pendulum.js';

export const builtInEnvironments: Record<string, EnvironmentDescriptor> = {
  cartpole,
  'cartpole-pomdp': cartpolePomdp,
  acrobot,
  pendulum,
  'mountaincar-continuous': mountainCarContinuous,
  lqr: lqrEnvironment(),
};

export function resolveEnvironment(env: string | EnvironmentDescriptor): EnvironmentDescriptor {
  if (typeof env !== 'string') return env;
  const descriptor = builtInEnvironments[env];
  if (!descriptor)
    throw invalidOption('env', `unknown environment "${env}"; allowed: ${Object.keys(builtInEnvironments).join(', ')}`);
  return descriptor;
}
