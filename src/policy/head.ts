// The policy head for an environment's action space: which WGSL files implement it, the constants they read,
// and how many outputs and parameters of its own it needs.
//   categorical  pi(a|s) = softmax(z)_a                   shaders/common/categoricalHead.wgsl
//   gaussian     a ~ N(mu(s), diag(exp(logStd))^2)         shaders/common/gaussianHead.wgsl
import { wgslConstants } from '../gpu/wgslConstants.js';

export type ActionSpace = { kind: 'categorical'; n: number } | { kind: 'gaussian'; dim: number; low: number[]; high: number[] };

export const MAX_GAUSSIAN_DIM = 4;

/** The network's outputs: one logit per action, or one mean per action component. */
export function outputDim(action: ActionSpace): number {
  return action.kind === 'categorical' ? action.n : action.dim;
}

/** Parameters the head owns besides the network (the Gaussian's state-independent log-stds). */
export function headParameterCount(action: ActionSpace): number {
  return action.kind === 'categorical' ? 0 : action.dim;
}

/** u32 words per stored action in the trainer's `actions` buffer. */
export function actionWords(action: ActionSpace): number {
  return action.kind === 'categorical' ? 1 : action.dim;
}

/** The WGSL files spliced at `#include "head"` and `#include "action"`. */
export function headFiles(action: ActionSpace): { head: string; action: string } {
  return action.kind === 'categorical'
    ? { head: 'common/categoricalHead.wgsl', action: 'common/categoricalAction.wgsl' }
    : { head: 'common/gaussianHead.wgsl', action: 'common/gaussianAction.wgsl' };
}

export function headConstants(action: ActionSpace, learnLogStd: boolean): string {
  if (action.kind === 'categorical') return wgslConstants({ u32: { ACTION_COUNT: action.n } });
  return wgslConstants({
    u32: { ACTION_DIM: action.dim },
    f32: { ACTION_LOW: action.low, ACTION_HIGH: action.high },
    bool: { LEARN_LOG_STD: learnLogStd },
  });
}

export function describeAction(action: ActionSpace): string {
  return action.kind === 'categorical'
    ? `${action.n} discrete actions`
    : `${action.dim}-dimensional continuous action in [${action.low.join(', ')}] .. [${action.high.join(', ')}]`;
}
