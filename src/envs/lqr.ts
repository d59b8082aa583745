// The linear-quadratic regulator: x' = A x + B u + w, w ~ N(0, noiseStd^2 I), x0 ~ N(0, initStd^2 I),
// reward -(x'Qx + u'Ru) per step for a fixed horizon (shaders/envs/lqr.wgsl). Because the optimum is known
// exactly (the Riccati recursion), it is the engine's ground truth for Gaussian policy gradients:
//   optimalCost          the best expected cost of any policy over the horizon (time-varying linear feedback)
//   linearPolicyReturn   the exact expected return of a linear Gaussian policy u ~ N(Kx + b, diag(sigma^2)),
//                        from the propagated state mean and covariance (the exact J whose gradient tests check)
import { invalidOption, shown } from '../errors.js';
import { type EnvironmentDescriptor, type ReferenceDynamics, standardNormal4 } from './environment.js';

export interface LqrConfig {
  stateDim: number;
  actionDim: number;
  /** Row-major matrices: A (n x n), B (n x m), Q (n x n, symmetric PSD), R (m x m, symmetric PD). */
  A: number[];
  B: number[];
  Q: number[];
  R: number[];
  noiseStd: number;
  initStd: number;
  horizon: number;
}

/** The default task: a double integrator (position, velocity; dt 0.1) pushed by a force, 50 steps. */
export const defaultLqrConfig: LqrConfig = {
  stateDim: 2,
  actionDim: 1,
  A: [1, 0.1, 0, 1],
  B: [0.005, 0.1],
  Q: [1, 0, 0, 0.1],
  R: [0.1],
  noiseStd: 0.05,
  initStd: 1,
  horizon: 50,
};

type Matrix = number[][];

const matrix = (data: readonly number[], rows: number, cols: number): Matrix =>
  Array.from({ length: rows }, (_, r) => data.slice(r * cols, (r + 1) * cols));
const transpose = (a: Matrix): Matrix => (a[0] ?? []).map((_, c) => a.map((row) => row[c] as number));
const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => (b[0] ?? []).map((_, c) => row.reduce((sum, x, k) => sum + x * ((b[k] as number[])[c] as number), 0)));
const add = (a: Matrix, b: Matrix): Matrix => a.map((row, r) => row.map((x, c) => x + ((b[r] as number[])[c] as number)));
const scale = (a: Matrix, s: number): Matrix => a.map((row) => row.map((x) => x * s));
const identity = (n: number): Matrix =>
  Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0)));
const trace = (a: Matrix) => a.reduce((sum, row, i) => sum + (row[i] as number), 0);
const column = (v: readonly number[]): Matrix => v.map((x) => [x]);

/** Inverse by Gauss-Jordan elimination with partial pivoting; throws for a singular matrix. */
function inverse(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, r) => [...row, ...(identity(n)[r] as number[])]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const p = (m[c] as number[])[c] as number;
    if (Math.abs(p) < 1e-12) throw new Error('singular matrix');
    m[c] = (m[c] as number[]).map((x) => x / p);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = (m[r] as number[])[c] as number;
      m[r] = (m[r] as number[]).map((x, k) => x - f * ((m[c] as number[])[k] as number));
    }
  }
  return m.map((row) => row.slice(n));
}

/** Eigenvalues of a symmetric matrix (cyclic Jacobi rotations, on the matrix scaled to max |a_ij| = 1). */
function symmetricEigenvalues(a: Matrix): number[] {
  const size = Math.max(...a.map((row) => Math.max(...row.map(Math.abs))));
  if (size === 0) return a.map(() => 0);
  const m = a.map((row) => row.map((x) => x / size));
  const at = (r: number, c: number) => (m[r] as number[])[c] as number;
  const set = (r: number, c: number, x: number) => {
    (m[r] as number[])[c] = x;
  };
  const n = m.length;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += at(p, q) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (at(p, q) === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * at(p, q));
        const t = (theta < 0 ? -1 : 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [kp, kq] = [at(k, p), at(k, q)];
          set(k, p, c * kp - s * kq);
          set(k, q, s * kp + c * kq);
        }
        for (let k = 0; k < n; k++) {
          const [pk, qk] = [at(p, k), at(q, k)];
          set(p, k, c * pk - s * qk);
          set(q, k, s * pk + c * qk);
        }
      }
    }
  }
  return m.map((_, i) => at(i, i) * size);
}

const LQR_FIELDS = Object.keys(defaultLqrConfig);
// Every matrix entry reaches the GPU as a float32 constant: finite there too.
const isFloat32 = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(Math.fround(x));

export function validateLqrConfig(config: LqrConfig, field = 'lqr'): LqrConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw invalidOption(field, 'must be an object {stateDim, actionDim, A, B, Q, R, noiseStd, initStd, horizon}');
  for (const key of Object.keys(config)) {
    if (!LQR_FIELDS.includes(key))
      throw invalidOption(
        /^\w{1,40}$/.test(key) ? `${field}.${key}` : `${field}[${shown(key)}]`,
        `is not an LQR field; allowed: ${LQR_FIELDS.join(', ')}`,
      );
  }
  const { stateDim: n, actionDim: m } = config;
  if (!Number.isInteger(n) || n < 1 || n > 4)
    throw invalidOption(`${field}.stateDim`, `must be an integer from 1 to 4, got ${shown(n)}`);
  if (!Number.isInteger(m) || m < 1 || m > 4)
    throw invalidOption(`${field}.actionDim`, `must be an integer from 1 to 4, got ${shown(m)}`);
  const sizes: [keyof LqrConfig, number, string][] = [
    ['A', n * n, 'n x n'],
    ['B', n * m, 'n x m'],
    ['Q', n * n, 'n x n'],
    ['R', m * m, 'm x m'],
  ];
  for (const [name, size, shape] of sizes) {
    const value = config[name] as unknown;
    if (!Array.isArray(value) || value.length !== size || !value.every(isFloat32))
      throw invalidOption(`${field}.${name}`, `must be ${size} finite numbers (${shape}, row-major; float32 range)`);
  }
  for (const [name, dim] of [
    ['Q', n],
    ['R', m],
  ] as const) {
    const mat = matrix(config[name], dim, dim);
    if (mat.some((row, r) => row.some((x, c) => Math.abs(x - ((mat[c] as number[])[r] as number)) > 1e-12)))
      throw invalidOption(`${field}.${name}`, 'must be symmetric');
    // Q may be singular (>= 0 within rounding); R must be invertible, its eigenvalues strictly positive.
    const scale = Math.max(...mat.map((row) => Math.max(...row.map(Math.abs))));
    const lowest = Math.min(...symmetricEigenvalues(mat));
    if (name === 'Q' ? lowest < -1e-9 * scale : !(lowest > 1e-12 * scale))
      throw invalidOption(`${field}.${name}`, name === 'R' ? 'must be positive definite' : 'must be positive semi-definite');
  }
  try {
    inverse(matrix(config.R, m, m));
  } catch {
    throw invalidOption(`${field}.R`, 'must be positive definite');
  }
  for (const name of ['noiseStd', 'initStd'] as const) {
    const v = config[name];
    if (!isFloat32(v) || v < 0) throw invalidOption(`${field}.${name}`, `must be a number >= 0, got ${shown(v)}`);
  }
  if (!Number.isInteger(config.horizon) || config.horizon < 1 || config.horizon > 10000)
    throw invalidOption(`${field}.horizon`, `must be an integer from 1 to 10000, got ${shown(config.horizon)}`);
  // The ground truth must exist: a Riccati recursion that overflows (or meets a singular R + B'PB) means costs no
  // float can hold.
  let cost: number;
  try {
    cost = optimalCost(config);
  } catch {
    cost = Number.NaN;
  }
  if (!Number.isFinite(cost))
    throw invalidOption(
      `${field}.A`,
      `makes the optimal cost over ${config.horizon} steps overflow or the Riccati recursion singular: A, B, Q, R out of scale for this horizon`,
    );
  return config;
}

/** Minimum expected cost over `horizon` steps (Riccati: P_T = 0, P_t = Q + A'P A - A'P B (R + B'P B)^-1 B'P A). */
export function optimalCost(config: LqrConfig, horizon = config.horizon): number {
  const { stateDim: n, actionDim: m } = config;
  const A = matrix(config.A, n, n);
  const B = matrix(config.B, n, m);
  const Q = matrix(config.Q, n, n);
  const R = matrix(config.R, m, m);
  const At = transpose(A);
  const Bt = transpose(B);
  let P = scale(identity(n), 0);
  let noiseCost = 0;
  for (let t = horizon - 1; t >= 0; t--) {
    // The noise entering x_{t+1} costs tr(P_{t+1}) noiseStd^2 from then on.
    noiseCost += config.noiseStd ** 2 * trace(P);
    const gain = multiply(inverse(add(R, multiply(multiply(Bt, P), B))), multiply(multiply(Bt, P), A));
    P = add(Q, add(multiply(multiply(At, P), A), scale(multiply(multiply(multiply(At, P), B), gain), -1)));
  }
  return config.initStd ** 2 * trace(P) + noiseCost;
}

/**
 * Exact expected return of u ~ N(K x + b, diag(exp(logStd))^2): K is m x n row-major (the policy's linear layer
 * weight), b its bias.
 */
export function linearPolicyReturn(
  config: LqrConfig,
  K: readonly number[],
  b: readonly number[],
  logStd: readonly number[],
  horizon = config.horizon,
): number {
  const { stateDim: n, actionDim: m } = config;
  const A = matrix(config.A, n, n);
  const B = matrix(config.B, n, m);
  const Q = matrix(config.Q, n, n);
  const R = matrix(config.R, m, m);
  const gain = matrix(K, m, n);
  const closed = add(A, multiply(B, gain));
  const actionNoise = logStd.map((s, i) => (identity(m)[i] as number[]).map((x) => x * Math.exp(2 * s)));
  const bias = column(b);
  let mean = column(new Array(n).fill(0));
  let cov = scale(identity(n), config.initStd ** 2);
  let cost = 0;
  for (let t = 0; t < horizon; t++) {
    const actionMean = add(multiply(gain, mean), bias);
    cost += trace(multiply(Q, cov)) + (multiply(multiply(transpose(mean), Q), mean)[0]?.[0] as number);
    cost += trace(multiply(multiply(multiply(transpose(gain), R), gain), cov));
    cost += multiply(multiply(transpose(actionMean), R), actionMean)[0]?.[0] as number;
    cost += trace(multiply(R, actionNoise));
    mean = add(multiply(closed, mean), multiply(B, bias));
    cov = add(
      add(multiply(multiply(closed, cov), transpose(closed)), multiply(multiply(B, actionNoise), transpose(B))),
      scale(identity(n), config.noiseStd ** 2),
    );
  }
  return -cost;
}

function reference(config: LqrConfig): ReferenceDynamics {
  const { stateDim: n, actionDim: m } = config;
  return {
    reset: (u) =>
      standardNormal4(u)
        .slice(0, n)
        .map((z) => z * config.initStd),
    step: (x, action, u) => {
      const a = typeof action === 'number' ? [action] : action;
      const noise = standardNormal4(u);
      let cost = 0;
      const next: number[] = [];
      for (let i = 0; i < n; i++) {
        let v = (noise[i] as number) * config.noiseStd;
        for (let j = 0; j < n; j++) {
          cost += (x[i] as number) * (config.Q[i * n + j] as number) * (x[j] as number);
          v += (config.A[i * n + j] as number) * (x[j] as number);
        }
        for (let k = 0; k < m; k++) v += (config.B[i * m + k] as number) * (a[k] as number);
        next.push(v);
      }
      for (let k = 0; k < m; k++)
        for (let l = 0; l < m; l++) cost += (a[k] as number) * (config.R[k * m + l] as number) * (a[l] as number);
      return { next, reward: -cost, terminated: false };
    },
    observe: (x) => [...x],
  };
}

/** The LQR environment for a configuration (validated; fields named lqr.* in errors). */
export function lqrEnvironment(config: LqrConfig = defaultLqrConfig): EnvironmentDescriptor {
  validateLqrConfig(config);
  const unbounded = new Array(config.actionDim).fill(1e6);
  return {
    name: 'lqr',
    obsDim: config.stateDim,
    action: { kind: 'gaussian', dim: config.actionDim, low: unbounded.map((x) => -x), high: unbounded },
    horizon: config.horizon,
    stateDim: config.stateDim,
    shader: { file: 'envs/lqr.wgsl' },
    constants: {
      f32: {
        LQR_A: config.A,
        LQR_B: config.B,
        LQR_Q: config.Q,
        LQR_R: config.R,
        LQR_NOISE_STD: config.noiseStd,
        LQR_INIT_STD: config.initStd,
      },
    },
    optimalReturn: (horizon) => -optimalCost(config, horizon),
    reference: reference(config),
  };
}
