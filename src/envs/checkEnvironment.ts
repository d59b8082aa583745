// Runs an environment's WGSL one step (or one reset) at a time from given states (shaders/envCheck.wgsl),
// and checks it against reference transitions: Gymnasium's own (test/data/gymnasium-vectors format) for the
// built-in environments, the user's for theirs. This is `webgpu-reinforce check-env`.
import { ReinforceError } from '../errors.js';
import { Kernel } from '../gpu/kernel.js';
import { ownedBuffer, releaseBuffer } from '../gpu/ownedBuffers.js';
import { readBuffer } from '../gpu/readback.js';
import { composeShader } from '../gpu/shaderSource.js';
import { wgslConstants } from '../gpu/wgslConstants.js';
import { actionWords } from '../policy/head.js';
import type { EnvironmentDescriptor } from './environment.js';
import { assertEnvironmentInterface, environmentConstants, environmentSplices, userShaderError } from './environmentSource.js';

export interface StepCase {
  /** The state vector (Gymnasium's layout for built-in environments), stateDim numbers. */
  state: readonly number[];
  /** An action index, or the continuous action's components. */
  action: number | readonly number[];
  /** The step's four U(0, 1) draws (environments with noise); default 0.5 each. */
  uniforms?: readonly number[];
}

export interface StepResult {
  next: number[];
  reward: number;
  terminated: boolean;
  observation: number[];
}

/** A reference transition: a StepCase with what should come out. */
export interface ReferenceTransition extends StepCase {
  nextState: readonly number[];
  reward: number;
  terminated: boolean;
}

export interface EnvCheckReport {
  env: string;
  transitions: number;
  maxStateError: number;
  maxRewardError: number;
  terminatedMismatches: number;
  ok: boolean;
}

/** Per-component tolerance of check-env: relative error, measured against max(|expected|, 1). */
export const CHECK_TOLERANCE = 1e-4;

function createBuffer(device: GPUDevice, bytes: number, data?: ArrayBufferView): GPUBuffer {
  const buffer = ownedBuffer(device, {
    size: Math.max(16, Math.ceil(bytes / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  if (data) device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return buffer;
}

async function runEnvCheck(
  device: GPUDevice,
  env: EnvironmentDescriptor,
  entryPoint: 'main' | 'reset',
  count: number,
  inputs: { states: Float32Array; actions: Uint32Array; uniforms: Float32Array },
): Promise<{ states: Float32Array; outcomes: Float32Array; observations: Float32Array }> {
  const splices = await environmentSplices(env);
  await assertEnvironmentInterface(env, (splices.env as { source: string }).source, true);
  const stateDim = env.stateDim as number;
  const obs4 = Math.ceil(env.obsDim / 4);
  const prelude = [wgslConstants({ u32: { OBS_DIM: env.obsDim, OBS4: obs4 } }), environmentConstants(env, true)].join('\n');
  const code = await composeShader('envCheck.wgsl', { prelude, splices });
  const kernel = await Kernel.create(device, {
    label: `envCheck.wgsl:${entryPoint} (${env.name})`,
    code,
    entryPoint,
    constants: { CASE_COUNT: count },
  }).catch((error: unknown) => {
    throw userShaderError(env, error);
  });
  const buffers: Record<string, GPUBuffer> = {
    states: createBuffer(device, inputs.states.byteLength, inputs.states),
    actions: createBuffer(device, inputs.actions.byteLength, inputs.actions),
    uniforms: createBuffer(device, inputs.uniforms.byteLength, inputs.uniforms),
    nextStates: createBuffer(device, count * stateDim * 4, new Float32Array(count * stateDim).fill(Number.NaN)),
    outcomes: createBuffer(device, count * 8, new Float32Array(count * 2).fill(Number.NaN)),
    nextObservations: createBuffer(device, count * obs4 * 16, new Float32Array(count * obs4 * 4).fill(Number.NaN)),
  };
  try {
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder({ label: 'envCheck' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, kernel.bind(buffers));
    pass.dispatchWorkgroups(Math.max(1, Math.ceil(count / 64)));
    pass.end();
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new ReinforceError('GPU_VALIDATION', `envCheck: ${error.message}`);
    const read = async (name: string) => new Float32Array(await readBuffer(device, buffers[name] as GPUBuffer));
    return { states: await read('nextStates'), outcomes: await read('outcomes'), observations: await read('nextObservations') };
  } finally {
    for (const buffer of Object.values(buffers)) releaseBuffer(device, buffer);
  }
}

function results(
  env: EnvironmentDescriptor,
  count: number,
  out: { states: Float32Array; outcomes: Float32Array; observations: Float32Array },
): StepResult[] {
  const stateDim = env.stateDim as number;
  const obsStride = Math.ceil(env.obsDim / 4) * 4;
  return Array.from({ length: count }, (_, i) => ({
    next: Array.from(out.states.subarray(i * stateDim, (i + 1) * stateDim)),
    reward: out.outcomes[2 * i] as number,
    terminated: out.outcomes[2 * i + 1] !== 0,
    observation: Array.from(out.observations.subarray(i * obsStride, i * obsStride + env.obsDim)),
  }));
}

const uniformRows = (rows: readonly (readonly number[] | undefined)[]) => {
  const data = new Float32Array(rows.length * 4).fill(0.5);
  rows.forEach((u, i) => {
    if (u) data.set(u.slice(0, 4), i * 4);
  });
  return data;
};

/** One step of the environment's WGSL from each case's state and action. */
export async function stepEnvironment(
  device: GPUDevice,
  env: EnvironmentDescriptor,
  cases: readonly StepCase[],
): Promise<StepResult[]> {
  if (env.stateDim === undefined) {
    throw new ReinforceError(
      'ENVIRONMENT',
      `environment "${env.name}" has no stateDim: stepping from given states needs it`,
      'stateDim',
    );
  }
  const stateDim = env.stateDim;
  const words = actionWords(env.action);
  const states = new Float32Array(cases.length * stateDim);
  const actions = new Uint32Array(cases.length * words);
  const actionFloats = new Float32Array(actions.buffer);
  cases.forEach((c, i) => {
    if (c.state.length !== stateDim)
      throw new ReinforceError(
        'ENVIRONMENT',
        `case ${i}: state has ${c.state.length} components, stateDim is ${stateDim}`,
        'state',
      );
    states.set(c.state, i * stateDim);
    if (env.action.kind === 'categorical') {
      const a = typeof c.action === 'number' ? c.action : (c.action[0] as number);
      if (!Number.isInteger(a) || a < 0 || a >= env.action.n)
        throw new ReinforceError(
          'ENVIRONMENT',
          `case ${i}: action must be an integer from 0 to ${env.action.n - 1}, got ${a}`,
          'action',
        );
      actions[i] = a;
    } else {
      const a = typeof c.action === 'number' ? [c.action] : c.action;
      if (a.length !== words)
        throw new ReinforceError('ENVIRONMENT', `case ${i}: action must have ${words} components`, 'action');
      actionFloats.set(a, i * words);
    }
  });
  const out = await runEnvCheck(device, env, 'main', cases.length, {
    states,
    actions,
    uniforms: uniformRows(cases.map((c) => c.uniforms)),
  });
  return results(env, cases.length, out);
}

/** The environment's WGSL reset from each row of four U(0, 1) draws. */
export async function resetEnvironment(
  device: GPUDevice,
  env: EnvironmentDescriptor,
  uniforms: readonly (readonly number[])[],
): Promise<StepResult[]> {
  const count = uniforms.length;
  const out = await runEnvCheck(device, env, 'reset', count, {
    states: new Float32Array(4),
    actions: new Uint32Array(4),
    uniforms: uniformRows(uniforms),
  });
  return results(env, count, out);
}

/** |actual - expected| / max(|expected|, 1); for angles, the difference is taken modulo 2 pi first. */
export function componentError(actual: number, expected: number, angular = false): number {
  let difference = actual - expected;
  if (angular) difference -= 2 * Math.PI * Math.round(difference / (2 * Math.PI));
  if (Number.isNaN(difference)) return Number.POSITIVE_INFINITY;
  return Math.abs(difference) / Math.max(Math.abs(expected), 1);
}

/** Steps every transition on the GPU and compares next state, reward and termination. */
export async function checkEnvironment(
  device: GPUDevice,
  env: EnvironmentDescriptor,
  transitions: readonly ReferenceTransition[],
): Promise<EnvCheckReport> {
  checkTransitionShapes(env, transitions);
  const stepped = await stepEnvironment(device, env, transitions);
  const angular = new Set(env.angularState ?? []);
  let maxStateError = 0;
  let maxRewardError = 0;
  let terminatedMismatches = 0;
  stepped.forEach((result, i) => {
    const expected = transitions[i] as ReferenceTransition;
    result.next.forEach((x, k) => {
      maxStateError = Math.max(maxStateError, componentError(x, expected.nextState[k] as number, angular.has(k)));
    });
    maxRewardError = Math.max(maxRewardError, componentError(result.reward, expected.reward));
    if (result.terminated !== expected.terminated) terminatedMismatches++;
  });
  return {
    env: env.name,
    transitions: transitions.length,
    maxStateError,
    maxRewardError,
    terminatedMismatches,
    ok:
      transitions.length > 0 &&
      maxStateError <= CHECK_TOLERANCE &&
      maxRewardError <= CHECK_TOLERANCE &&
      terminatedMismatches === 0,
  };
}

/**
 * The "single" transitions of a reference-vectors file (test/data/gymnasium-vectors format), checked; with `env`, their
 * shapes too (checkTransitionShapes). Errors name the file (source) and the transition's field.
 */
export function parseTransitions(json: unknown, source: string, env?: EnvironmentDescriptor): ReferenceTransition[] {
  const single = (json as { single?: unknown } | null)?.single;
  const refuse = (what: string) => new ReinforceError('INVALID_OPTION', `${source}: ${what}`, 'vectors');
  if (typeof json !== 'object' || json === null || !Array.isArray(single) || single.length === 0)
    throw refuse('"single" must be a non-empty array of transitions');
  // JSON's 1e999 parses to Infinity: every number must be finite.
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const numbers = (v: unknown) => Array.isArray(v) && v.every(finite);
  const transitions = single.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw refuse(`single[${i}] must be an object {state, action, nextState, reward, terminated}`);
    const t = raw as Record<string, unknown>;
    if (!numbers(t.state)) throw refuse(`single[${i}].state must be an array of finite numbers`);
    if (!numbers(t.nextState)) throw refuse(`single[${i}].nextState must be an array of finite numbers`);
    if (!finite(t.action) && !numbers(t.action))
      throw refuse(`single[${i}].action must be a number or an array of numbers (finite)`);
    if (!finite(t.reward)) throw refuse(`single[${i}].reward must be a finite number`);
    if (typeof t.terminated !== 'boolean') throw refuse(`single[${i}].terminated must be true or false`);
    if (t.uniforms !== undefined && !(numbers(t.uniforms) && (t.uniforms as number[]).every((u) => u > 0 && u < 1)))
      throw refuse(`single[${i}].uniforms must be numbers in (0, 1)`);
    return t as unknown as ReferenceTransition;
  });
  // (Without stateDim, check-env's interface check says what is missing.)
  if (env?.stateDim !== undefined) checkTransitionShapes(env, transitions, `${source}: single`, 'vectors');
  return transitions;
}

/**
 * Refuses transitions that do not fit the environment, naming the first (`name[i].field`): a state or next state of
 * another length than stateDim, an action outside the action space.
 */
export function checkTransitionShapes(
  env: EnvironmentDescriptor,
  transitions: readonly ReferenceTransition[],
  name = 'transitions',
  field = 'transitions',
): void {
  const refuse = (what: string) => new ReinforceError('INVALID_OPTION', `${name}${what}`, field);
  if (env.stateDim === undefined)
    throw new ReinforceError(
      'ENVIRONMENT',
      `environment "${env.name}" has no stateDim: stepping from given states needs it`,
      'stateDim',
    );
  const stateDim = env.stateDim;
  transitions.forEach((t, i) => {
    for (const key of ['state', 'nextState'] as const) {
      if (t[key].length !== stateDim)
        throw refuse(`[${i}].${key} has ${t[key].length} numbers; ${env.name} has stateDim ${stateDim}`);
    }
    const action = typeof t.action === 'number' ? [t.action] : t.action;
    if (env.action.kind === 'categorical') {
      const a = action[0] as number;
      if (action.length !== 1 || !Number.isInteger(a) || a < 0 || a >= env.action.n)
        throw refuse(`[${i}].action must be an integer from 0 to ${env.action.n - 1}`);
    } else if (action.length !== env.action.dim) {
      throw refuse(`[${i}].action must have ${env.action.dim} components`);
    }
  });
}
