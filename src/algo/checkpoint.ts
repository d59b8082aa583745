// Checkpoints: everything a run needs to continue exactly where it stopped. The random streams are keyed by
// (seed, environment, step, rollout count), so the rollout count and the optimizer's step count (TrainState) with
// the parameters, Adam's moments and the off-policy replay's batches are the whole state: a run resumed from a
// checkpoint draws the same batches and computes the same statistics, bit for bit, as the run never stopped.
// Buffers travel as base64 of their bytes (exact); no float in a checkpoint may be NaN or infinite.
import { type ReinforceError, ReinforceError as ReinforceErrorClass, shown } from '../errors.js';
import { readBuffer } from '../gpu/readback.js';
import type { ActionSpace } from '../policy/head.js';
import type { Activation } from '../policy/layout.js';
import { type BaselineKind, type ImportanceKind, type ResolvedOptions, resolveOptions, type TrainerOptions } from './options.js';
import type { TrainerInternals } from './trainerInternals.js';

export const CHECKPOINT_FORMAT = 'webgpu-reinforce-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** The run's settings as a checkpoint keeps them (the resolved options, less the environment and the device). */
export interface CheckpointOptions {
  numEnvs: number;
  hidden: number[];
  activation: Activation;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  seed: number;
  baseline: BaselineKind;
  rewardToGo: boolean;
  gamma: number;
  normalizeAdvantages: boolean;
  maxGradNorm: number;
  horizon: number;
  logStd: number;
  learnLogStd: boolean;
  epochs: number;
  reuse: number;
  importance: ImportanceKind;
  importanceClip: number;
  importanceSelfNormalize: boolean;
}

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  env: { name: string; obsDim: number; action: ActionSpace };
  options: CheckpointOptions;
  /** Training iterations completed. */
  iterations: number;
  /** Rollouts so far (training and evaluation: they key the random streams) and Adam steps so far. */
  trainState: { rollouts: number; optimizerSteps: number };
  /** base64 of the GPU buffers' bytes, by their WGSL binding names. */
  buffers: Record<string, string>;
}

/** Float32 buffers a checkpoint keeps; the replay's only when the run is off-policy. */
const KEPT = ['policyParams', 'adamMoments'] as const;
const REPLAY_KEPT = [
  'replayObservations',
  'replayActions',
  'replayLogProbs',
  'replayAdvantages',
  'replayEpisodes',
  'replayRewards',
  'replayMoments',
] as const;

function keptBuffers(options: { offPolicy: { epochs: number; reuse: number } }): string[] {
  const offPolicy = options.offPolicy.epochs > 1 || options.offPolicy.reuse > 1;
  return offPolicy ? [...KEPT, ...REPLAY_KEPT] : [...KEPT];
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The index of the first word of `bytes` that is a NaN or infinite float32 (episodes: their float fields), or -1. */
function firstNonFinite(name: string, bytes: Uint8Array, gaussianActions: boolean): number {
  if (name === 'replayActions' && !gaussianActions) return -1;
  const words = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  for (let i = 0; i < words.length; i++) {
    if (name === 'replayEpisodes' && i % 4 === 0) continue; // the length, a u32
    if (!Number.isFinite(words[i] as number)) return i;
  }
  return -1;
}

/** Reads a trainer's state. Call it with no step in flight that the checkpoint should include. */
export async function captureCheckpoint(t: TrainerInternals): Promise<Checkpoint> {
  const names = keptBuffers(t.options);
  // Every copy is submitted before the first await, so the buffers are read as of one point in the queue.
  const reads = [...names, 'trainState'].map((name) => readBuffer(t.device, t.buffers[name] as GPUBuffer));
  const iterations = t.counters.iterationsEncoded;
  const data = await Promise.all(reads);
  const state = new Uint32Array(data[names.length] as ArrayBuffer);
  const buffers: Record<string, string> = {};
  names.forEach((name, i) => {
    const bytes = new Uint8Array(data[i] as ArrayBuffer);
    if (firstNonFinite(name, bytes, t.options.env.action.kind === 'gaussian') >= 0)
      throw new ReinforceErrorClass(
        'NON_FINITE',
        `checkpoint: ${name} holds a NaN or an infinite value; no checkpoint is written from it`,
      );
    buffers[name] = toBase64(bytes);
  });
  const o = t.options;
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    env: { name: o.env.name, obsDim: o.env.obsDim, action: o.env.action },
    options: checkpointOptions(o),
    iterations,
    trainState: { rollouts: state[0] as number, optimizerSteps: state[1] as number },
    buffers,
  };
}

function checkpointOptions(o: ResolvedOptions): CheckpointOptions {
  return {
    numEnvs: o.numEnvs,
    hidden: o.hidden,
    activation: o.activation,
    lr: o.lr,
    beta1: o.beta1,
    beta2: o.beta2,
    epsilon: o.epsilon,
    seed: o.seed,
    baseline: o.baseline,
    rewardToGo: o.rewardToGo,
    gamma: o.gamma,
    normalizeAdvantages: o.normalizeAdvantages,
    maxGradNorm: o.maxGradNorm,
    horizon: o.horizon,
    logStd: o.logStd,
    learnLogStd: o.learnLogStd,
    epochs: o.offPolicy.epochs,
    reuse: o.offPolicy.reuse,
    importance: o.offPolicy.importance,
    importanceClip: o.offPolicy.importanceClip,
    importanceSelfNormalize: o.offPolicy.importanceSelfNormalize,
  };
}

function invalid(field: string, message: string): ReinforceError {
  return new ReinforceErrorClass('INVALID_CHECKPOINT', `${field}: ${message}`, field);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** How each option is kept: a finite number, true or false, a name, or a list of layer widths. */
const OPTION_TYPES: Record<keyof CheckpointOptions, 'number' | 'boolean' | 'string' | 'widths'> = {
  numEnvs: 'number',
  hidden: 'widths',
  activation: 'string',
  lr: 'number',
  beta1: 'number',
  beta2: 'number',
  epsilon: 'number',
  seed: 'number',
  baseline: 'string',
  rewardToGo: 'boolean',
  gamma: 'number',
  normalizeAdvantages: 'boolean',
  maxGradNorm: 'number',
  horizon: 'number',
  logStd: 'number',
  learnLogStd: 'boolean',
  epochs: 'number',
  reuse: 'number',
  importance: 'string',
  importanceClip: 'number',
  importanceSelfNormalize: 'boolean',
};

const keyName = (parent: string, key: string) => (/^\w{1,40}$/.test(key) ? `${parent}.${key}` : `${parent}[${shown(key)}]`);

function validateOptions(options: Record<string, unknown>): void {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(OPTION_TYPES, key))
      throw invalid(
        keyName('options', key),
        `is not an option a checkpoint keeps; allowed: ${Object.keys(OPTION_TYPES).join(', ')}`,
      );
  }
  for (const [key, type] of Object.entries(OPTION_TYPES)) {
    const value = options[key];
    const ok =
      type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : type === 'widths'
          ? Array.isArray(value) && value.every((h) => Number.isInteger(h))
          : type === 'string'
            ? typeof value === 'string' && /^[\w-]{1,40}$/.test(value)
            : typeof value === type;
    const wanted = { number: 'a finite number', boolean: 'true or false', string: 'a name', widths: 'a list of layer widths' }[
      type
    ];
    if (!ok) throw invalid(`options.${key}`, `must be ${wanted}, got ${shown(value)}`);
  }
  // The ranges, checked as createTrainer will check them (no environment option reads it: cartpole stands in).
  try {
    resolveOptions({ ...(options as Omit<TrainerOptions, 'env'>), env: 'cartpole' });
  } catch (error) {
    const field = (error as ReinforceError).field;
    if (!(error instanceof ReinforceErrorClass) || field === undefined) throw error;
    throw invalid(`options.${field}`, error.message.replace(/^[^:]*: /, ''));
  }
}

/** A checkpoint from JSON, its form checked field by field (what it must match is checked when it is restored). */
export function validateCheckpoint(value: unknown): Checkpoint {
  if (!isRecord(value)) throw invalid('checkpoint', 'must be a JSON object');
  if (value.format !== CHECKPOINT_FORMAT) throw invalid('format', `must be "${CHECKPOINT_FORMAT}", got ${shown(value.format)}`);
  if (value.version !== CHECKPOINT_VERSION)
    throw invalid(
      'version',
      `this version of webgpu-reinforce reads checkpoint version ${CHECKPOINT_VERSION}, got ${shown(value.version)}`,
    );
  const env = value.env;
  if (!isRecord(env) || typeof env.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(env.name))
    throw invalid('env.name', 'must be an environment name (1 to 64 letters, digits, "_", "-" or ".")');
  if (!count(env.obsDim) || env.obsDim === 0) throw invalid('env.obsDim', 'must be an integer >= 1');
  if (!isRecord(env.action)) throw invalid('env.action', 'must be an action space object');
  if (!isRecord(value.options)) throw invalid('options', 'must be an object');
  validateOptions(value.options);
  if (!count(value.iterations)) throw invalid('iterations', 'must be an integer >= 0');
  const state = value.trainState;
  if (!isRecord(state) || !count(state.rollouts) || !count(state.optimizerSteps))
    throw invalid('trainState', 'must be { rollouts, optimizerSteps } (integers >= 0)');
  if (!isRecord(value.buffers)) throw invalid('buffers', 'must be an object of base64 strings');
  for (const [name, text] of Object.entries(value.buffers)) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
      throw invalid(keyName('buffers', name), 'must be a base64 string');
  }
  return value as unknown as Checkpoint;
}

/** The trainer options that resume a checkpoint's run (the environment and the device are the caller's). */
export function resumedOptions(checkpoint: Checkpoint): Omit<TrainerOptions, 'env' | 'device'> {
  return { ...checkpoint.options };
}

/** Writes a checkpoint's state into a trainer made with its options; refuses what does not fit, naming the field. */
export function restoreCheckpoint(t: TrainerInternals, checkpoint: Checkpoint): void {
  const o = t.options;
  const env = checkpoint.env;
  if (env.name !== o.env.name) throw invalid('env.name', `the checkpoint's run trained "${env.name}", not "${o.env.name}"`);
  if (env.obsDim !== o.env.obsDim || JSON.stringify(env.action) !== JSON.stringify(o.env.action))
    throw invalid('env', `the checkpoint's ${env.name} has obsDim ${env.obsDim} and another action space than this one`);
  const expected = checkpointOptions(o);
  for (const [field, value] of Object.entries(expected)) {
    const stored = (checkpoint.options as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(stored) !== JSON.stringify(value))
      throw invalid(
        `options.${field}`,
        `is ${JSON.stringify(stored)} in the checkpoint; this trainer has ${JSON.stringify(value)}`,
      );
  }
  const names = keptBuffers(o);
  const decoded = names.map((name) => {
    const text = checkpoint.buffers[name];
    if (text === undefined) throw invalid(`buffers.${name}`, 'is missing');
    const bytes = fromBase64(text);
    const size = (t.buffers[name] as GPUBuffer).size;
    if (bytes.byteLength !== size)
      throw invalid(`buffers.${name}`, `holds ${bytes.byteLength} bytes; this network and these options need ${size}`);
    const bad = firstNonFinite(name, bytes, o.env.action.kind === 'gaussian');
    if (bad >= 0) throw invalid(`buffers.${name}`, `word ${bad} is NaN or infinite`);
    return bytes;
  });
  names.forEach((name, i) => {
    const bytes = decoded[i] as Uint8Array;
    t.device.queue.writeBuffer(t.buffers[name] as GPUBuffer, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
  const state = new Uint32Array([checkpoint.trainState.rollouts, checkpoint.trainState.optimizerSteps, 0, 0]);
  t.device.queue.writeBuffer(t.buffers.trainState as GPUBuffer, 0, state);
  t.counters.iterationsEncoded = checkpoint.iterations;
}
