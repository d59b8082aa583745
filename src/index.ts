/// <reference types="@webgpu/types" preserve="true" />
// The public API: what an embedding app imports.

export type { Batch } from './algo/batch.js';
export type { Checkpoint } from './algo/checkpoint.js';
export { createTrainer, resumeTrainer } from './algo/createTrainer.js';
export type { IterationStats } from './algo/iterationStats.js';
export type { KernelPlan } from './algo/kernelPlan.js';
export type { BaselineKind, ImportanceKind, TrainerOptions } from './algo/options.js';
export type { IterationProfile, KernelTime } from './algo/profile.js';
export type { Trainer } from './algo/trainer.js';
export {
  type EstimatorReport,
  type EstimatorSetting,
  measureEstimators,
  type VarianceLabOptions,
  type VarianceReport,
} from './algo/varianceLab.js';
export { createWatch, Watch } from './algo/watch.js';
export {
  checkEnvironment,
  type EnvCheckReport,
  type ReferenceTransition,
  resetEnvironment,
  type StepCase,
  type StepResult,
  stepEnvironment,
} from './envs/checkEnvironment.js';
export type { ActionSpace, EnvironmentDescriptor, ReferenceDynamics } from './envs/environment.js';
export { defaultLqrConfig, type LqrConfig, linearPolicyReturn, lqrEnvironment, optimalCost } from './envs/lqr.js';
export { type ExactLqrGradientOptions, exactLqrGradient } from './envs/lqrGradient.js';
export { builtInEnvironments } from './envs/registry.js';
export { environmentFromSpec, validateEnvironment } from './envs/userEnvironment.js';
export { ReinforceError, type ReinforceErrorCode } from './errors.js';
export { type AcquiredDevice, type RequestDeviceOptions, requestDevice } from './gpu/device.js';
export { liveBufferBytes, liveBuffers, peakBufferBytes } from './gpu/ownedBuffers.js';
export {
  initialPolicy,
  type PolicyFile,
  type PolicyLayer,
  policyActivation,
  policyHidden,
  validatePolicy,
} from './policy/policyFile.js';
export { type ActOptions, createPolicyRunner, PolicyRunner, type PolicyRunnerOptions } from './policy/policyRunner.js';
