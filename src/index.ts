// The public API: what an embedding app imports.

export type { Batch } from './algo/batch.js';
export type { BaselineKind, TrainerOptions } from './algo/options.js';
export { createTrainer, type IterationStats, Trainer } from './algo/trainer.js';
export type { EnvironmentDescriptor } from './envs/environment.js';
export { builtInEnvironments } from './envs/registry.js';
export { ReinforceError, type ReinforceErrorCode } from './errors.js';
export { type AcquiredDevice, type RequestDeviceOptions, requestDevice } from './gpu/device.js';
export { initialPolicy, type PolicyFile, type PolicyLayer, validatePolicy } from './policy/policyFile.js';
