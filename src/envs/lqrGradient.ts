// The exact policy gradient on the LQR: J(K, b, logStd) is known in closed form (linearPolicyReturn, the expected
// return of u ~ N(Kx + b, diag(exp(logStd))^2) from the propagated state mean and covariance), so its gradient with
// respect to a linear policy's parameters is too. It is taken here by float64 central differences with one
// Richardson step, D = (4 D(h/2) - D(h)) / 3 at h = 1e-3: the truncation error is O(h^4) and the rounding error
// ~ 1e-16 |J| / h. Measured on the default task (K = [-1.2, -0.6], b = 0.4, logStd = -0.4, |grad| 48): the
// results at h = 2e-3, 5e-4 and 2.5e-4 agree with h = 1e-3 to 4e-12 of |grad| (test/lqrGradient.test.ts holds them
// to 1e-9, and a hand-derived two-step case to 1e-8): far below any Monte Carlo standard error.
import { invalidOption } from '../errors.js';
import { headParameterCount, outputDim } from '../policy/head.js';
import { packParameters, policyLayout } from '../policy/layout.js';
import type { PolicyFile } from '../policy/policyFile.js';
import { type LqrConfig, linearPolicyReturn } from './lqr.js';

export interface ExactLqrGradientOptions {
  /** The log-stds are learned (their gradient is reported) or fixed (their entries are 0, as the GPU's are). Default true. */
  learnLogStd?: boolean;
  /** T. Default: the configuration's. */
  horizon?: number;
  /** The difference step. Default 1e-3. */
  step?: number;
}

/** dJ/d(K, b, logStd) for the flat parameters [K row-major (m x n), b (m), logStd (m)], float64. */
export function lqrReturnGradient(
  config: LqrConfig,
  K: readonly number[],
  b: readonly number[],
  logStd: readonly number[],
  options: { horizon?: number; step?: number } = {},
): number[] {
  const { stateDim: n, actionDim: m } = config;
  const theta = [...K, ...b, ...logStd];
  const J = (p: number[]) =>
    linearPolicyReturn(config, p.slice(0, m * n), p.slice(m * n, m * n + m), p.slice(m * n + m), options.horizon);
  const h = options.step ?? 1e-3;
  const central = (k: number, step: number) => {
    const plus = [...theta];
    const minus = [...theta];
    (plus[k] as number) += step;
    (minus[k] as number) -= step;
    return (J(plus) - J(minus)) / (2 * step);
  };
  return theta.map((_, k) => (4 * central(k, h / 2) - central(k, h)) / 3);
}

/**
 * The exact gradient of the expected return for a linear Gaussian policy file on the LQR `config`, packed as the
 * trainer's parameters are (packParameters: the linear layer's weight is K, its bias b; then the log-stds), for
 * measureEstimators({ reference: { gradient } }). Throws INVALID_OPTION for a policy with hidden layers or of
 * another shape.
 */
export function exactLqrGradient(config: LqrConfig, policy: PolicyFile, options: ExactLqrGradientOptions = {}): Float32Array {
  const { stateDim: n, actionDim: m } = config;
  const layer = policy.layers[0];
  if (policy.layers.length !== 1 || !layer)
    throw invalidOption(
      'policy',
      `must be linear (no hidden layers) for the exact LQR gradient; it has ${policy.layers.length - 1}`,
    );
  if (policy.action.kind !== 'gaussian' || policy.action.dim !== m || policy.obsDim !== n || !policy.logStd)
    throw invalidOption('policy', `must be a Gaussian policy with obsDim ${n} and action dim ${m} for this LQR`);
  const g = lqrReturnGradient(config, layer.weight, layer.bias, policy.logStd, options);
  const head = options.learnLogStd === false ? new Array(m).fill(0) : g.slice(m * n + m);
  const layout = policyLayout(n, outputDim(policy.action), [], 'tanh', headParameterCount(policy.action));
  return packParameters(layout, [{ weight: g.slice(0, m * n), bias: g.slice(m * n, m * n + m) }], head);
}
