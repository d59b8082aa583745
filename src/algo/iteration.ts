// One REINFORCE iteration as one sequence of compute dispatches, recorded into one command encoder:
// Each dispatch names its kernel, which is the WGSL entry point it runs (kernels.ts KERNEL_FILES: which file):
//   COLLECT TRAJECTORIES   rollout                  N episodes with the current policy (env + MLP + sampling fused)
//   CALCULATE RETURNS      computeReturns           reward-to-go (or the whole return) per step
//   BASELINE, ADVANTAGE    meanBaseline | perTimestepBaseline(ByStep) | backwardTrajectoryGradSq (with reward-to-go
//                          also returnsAsAdvantages, backwardTrajectoryPlusSq, backwardTrajectoryMinusSq) + optimalBaseline,
//                          advantage (A = R - b), reduceAdvantageMoments + normalizeAdvantage (optional)
//   GRADIENT               backwardGradient         (1/N) sum_i sum_t grad log pi(a_it|s_it) A_it, per workgroup
//                          reduceGradient, gradientNorm   fixed-order sum of the partials, its norm
//   UPDATE NETWORK         adam                     Adam ascent step (optionally clipped)
//   (off-policy: after the batch is copied into the replay, `epochs` steps over the replayed batches, each
//    term weighted by the importance* kernels; see offPolicy.ts)
//   STATISTICS             computePseudoLossTerms, reduceStats: mean/min/max return, length, entropy,
//                          the pseudo-loss; iteration += 1
// Nothing is read back here: statistics are copied out by the caller (statsReader.ts).
import { type KernelPlan, WORKGROUP_SIZE } from './kernelPlan.js';
import type { CompiledKernels, KernelName, TrainerBindGroups } from './kernels.js';
import type { BaselineKind } from './options.js';

export interface IterationShape {
  numEnvs: number;
  horizon: number;
  param4: number;
  partialCount: number;
  baseline: BaselineKind;
  rewardToGo: boolean;
  normalizeAdvantages: boolean;
  plan: KernelPlan;
}

const MAX_GROUPS = 65535;
const groupsFor = (count: number) => Math.min(MAX_GROUPS, Math.max(1, Math.ceil(count / WORKGROUP_SIZE)));
/** Workgroups of the rollout: each invocation runs samplesPerInvocation environments. */
const rolloutGroups = (numEnvs: number, plan: KernelPlan) => groupsFor(Math.ceil(numEnvs / plan.samplesPerInvocation));

/** Records one kernel dispatch (its bind group defaults to the kernel's own). */
export type Dispatch = (name: KernelName, groups: number, bindGroup?: GPUBindGroup) => void;

/** Sets the pipeline and bind group of a named kernel in `pass` and dispatches it. */
export function encodeDispatch(
  pass: GPUComputePassEncoder,
  k: CompiledKernels,
  g: TrainerBindGroups,
  name: KernelName,
  groups: number,
  bindGroup: GPUBindGroup | undefined = g[name],
): void {
  const kernel = k[name];
  if (!kernel || !bindGroup) throw new Error(`kernel ${name} was not compiled for this trainer's options`);
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(groups);
}

export function dispatcher(pass: GPUComputePassEncoder, k: CompiledKernels, g: TrainerBindGroups): Dispatch {
  return (name, groups, bindGroup) => encodeDispatch(pass, k, g, name, groups, bindGroup);
}

export { groupsFor };

export function encodeIteration(dispatch: Dispatch, s: IterationShape): void {
  encodeSampling(dispatch, s);
  encodeUpdate(dispatch, s);
  encodeStatistics(dispatch);
}

/** COLLECT TRAJECTORIES, CALCULATE RETURNS, BASELINE, ADVANTAGE: a fresh batch with its A_it. */
export function encodeSampling(dispatch: Dispatch, s: IterationShape): void {
  const samples = s.numEnvs * s.horizon;

  // COLLECT TRAJECTORIES, CALCULATE RETURNS
  dispatch('rollout', rolloutGroups(s.numEnvs, s.plan));
  dispatch('computeReturns', groupsFor(s.numEnvs));

  // BASELINE (the "none" baseline buffer stays zero), ADVANTAGE
  if (s.baseline === 'mean' || s.baseline === 'meanLeaveOneOut') dispatch('meanBaseline', 1);
  if (s.baseline === 'perTimestep' || s.baseline === 'perTimestepLeaveOneOut') {
    if (s.plan.perTimestepWorkgroups) dispatch('perTimestepBaseline', Math.min(s.horizon, MAX_GROUPS));
    else dispatch('perTimestepBaselineByStep', groupsFor(s.horizon));
  }
  if (s.baseline === 'optimal') {
    dispatch('backwardTrajectoryGradSq', s.partialCount);
    if (s.rewardToGo) {
      dispatch('returnsAsAdvantages', groupsFor(samples));
      dispatch('backwardTrajectoryPlusSq', s.partialCount);
      dispatch('backwardTrajectoryMinusSq', s.partialCount);
    }
    dispatch('optimalBaseline', 1);
  }
  dispatch('advantage', groupsFor(samples));
  if (s.normalizeAdvantages) {
    dispatch('reduceAdvantageMoments', 1);
    dispatch('normalizeAdvantage', groupsFor(samples));
  }
  dispatch('computePseudoLossTerms', groupsFor(s.numEnvs));
}

/** GRADIENT, UPDATE NETWORK: one on-policy gradient step on the fresh batch. */
export function encodeUpdate(dispatch: Dispatch, s: IterationShape): void {
  dispatch('backwardGradient', s.partialCount);
  dispatch('reduceGradient', groupsFor(s.param4));
  dispatch('gradientNorm', 1);
  dispatch('adam', groupsFor(s.param4));
}

/** The variance lab's batch: a fresh batch and its gradient estimate folded into the running moments; no update. */
export function encodeEstimate(dispatch: Dispatch, s: IterationShape): void {
  encodeSampling(dispatch, s);
  dispatch('backwardGradient', s.partialCount);
  dispatch('reduceGradient', groupsFor(s.param4));
  dispatch('accumulateEstimate', groupsFor(s.param4));
  encodeStatistics(dispatch);
}

/** STATISTICS of the fresh batch; advances the iteration counter. */
export function encodeStatistics(dispatch: Dispatch): void {
  dispatch('reduceStats', 1);
}

/** Evaluation: episodes and their statistics only, parameters untouched. */
export function encodeEvaluation(dispatch: Dispatch, numEnvs: number, plan: KernelPlan): void {
  dispatch('rollout', rolloutGroups(numEnvs, plan));
  dispatch('computeReturns', groupsFor(numEnvs));
  dispatch('reduceStats', 1);
}
