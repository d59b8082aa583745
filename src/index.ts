// The public API: what an embedding app imports.
export { ReinforceError, type ReinforceErrorCode } from './errors.js';
export { requestDevice, type AcquiredDevice, type RequestDeviceOptions } from './gpu/device.js';
export { createTrainer, Trainer, type IterationStats } from './algo/trainer.js';
export type { TrainerOptions, BaselineKind } from './algo/options.js';
export type { Batch } from './algo/batch.js';
export type { EnvironmentDescriptor } from './envs/environment.js';
export { builtInEnvironments } from './envs/registry.js';
export { validatePolicy, initialPolicy, type PolicyFile, type PolicyLayer } from './policy/policyFile.js';
