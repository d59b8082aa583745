// The variance lab: at fixed parameters, M independent batches of N trajectories per estimator (a baseline and
// reward-to-go or not), each batch's gradient estimate folded into running moments on the GPU (gradient.wgsl
// accumulateEstimate: nothing per batch comes back), then per estimator its mean, total variance (the trace of the
// estimate's covariance), variance relative to plain REINFORCE (no baseline, whole return), and distance and cosine
// to a reference gradient: a much larger batch of an unbiased estimator, or one the caller knows exactly.
import { invalidOption } from '../errors.js';
import { readBuffer } from '../gpu/readback.js';
import type { PolicyFile } from '../policy/policyFile.js';
import { createTrainerWithPlan } from './createTrainer.js';
import { singlePassTarget } from './dispatchTarget.js';
import { encodeEstimate } from './iteration.js';
import { type BaselineKind, baselineKinds, type TrainerOptions } from './options.js';
import type { Trainer } from './trainer.js';
import { internalsOf } from './trainerInternals.js';

export interface EstimatorSetting {
  baseline: BaselineKind;
  rewardToGo: boolean;
}

export interface VarianceLabOptions {
  /** The run's setting (env, numEnvs, gamma, horizon, seed, device, ...); `policy` fixes the parameters. */
  trainer: Omit<TrainerOptions, 'baseline' | 'rewardToGo' | 'epochs' | 'reuse'> & { policy: PolicyFile };
  /** M: batches per estimator (2 to 100,000). */
  batches: number;
  /** The estimators to measure; plain REINFORCE (none, whole return) is measured too, as the ratio's base. */
  estimators: EstimatorSetting[];
  /** The gradient to compare with, packed as the policy's parameters are (an exact one, e.g. the LQR's); without
   *  it, the mean of `referenceBatches` batches of `referenceEnvs` trajectories with perTimestepLeaveOneOut and
   *  reward-to-go (unbiased). */
  reference?: { gradient: Float32Array | number[] } | { numEnvs?: number; batches?: number };
  progress?: (message: string) => void;
}

export interface EstimatorReport extends EstimatorSetting {
  batches: number;
  numEnvs: number;
  /** The mean estimate (packed layout, padding zero). */
  meanGradient: number[];
  /** Sum over components of the variance of one batch's estimate. */
  totalVariance: number;
  /** totalVariance over plain REINFORCE's. */
  varianceRatio: number;
  /** |mean - reference|, and its expected size from the mean's own noise alone, sqrt(totalVariance / M). */
  distanceToReference: number;
  noiseDistance: number;
  cosineToReference: number;
}

export interface VarianceReport {
  estimators: EstimatorReport[];
  reference: { kind: 'exact' | 'large batch'; numEnvs?: number; batches?: number; norm: number; standardError?: number };
}

const PLAIN: EstimatorSetting = { baseline: 'none', rewardToGo: false };
const same = (a: EstimatorSetting, b: EstimatorSetting) => a.baseline === b.baseline && a.rewardToGo === b.rewardToGo;

/** Mean and M2 of M batches' estimates for one setting, reduced on the GPU. */
async function measure(
  options: VarianceLabOptions['trainer'],
  setting: EstimatorSetting,
  batches: number,
): Promise<{ mean: Float32Array; variance: Float32Array; numEnvs: number }> {
  const trainer: Trainer = await createTrainerWithPlan({ ...options, ...setting }, {}, { estimating: true });
  try {
    // The trainer starts from options.policy; no Adam step runs here, so every batch sees those parameters.
    const t = internalsOf(trainer);
    const perSubmit = 16;
    for (let done = 0; done < batches; done += perSubmit) {
      const encoder = t.device.createCommandEncoder({ label: 'variance lab' });
      const target = singlePassTarget(encoder, t.kernels, t.bindGroups, 'variance lab');
      for (let k = done; k < Math.min(batches, done + perSubmit); k++) encodeEstimate(target.dispatch, t.shape);
      target.flush();
      t.device.queue.submit([encoder.finish()]);
      await t.device.queue.onSubmittedWorkDone();
    }
    const moments = new Float32Array(await readBuffer(t.device, t.buffers.estimateMoments as GPUBuffer));
    const P = t.layout.param4 * 4;
    const mean = moments.slice(0, P);
    const variance = moments.slice(P, 2 * P).map((m2) => m2 / (batches - 1));
    return { mean, variance, numEnvs: trainer.options.numEnvs };
  } finally {
    trainer.destroy();
  }
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0));

export async function measureEstimators(lab: VarianceLabOptions): Promise<VarianceReport> {
  if (!Number.isInteger(lab.batches) || lab.batches < 2 || lab.batches > 100_000)
    throw invalidOption('batches', `must be an integer from 2 to 100000, got ${lab.batches}`);
  if (!Array.isArray(lab.estimators) || lab.estimators.length === 0)
    throw invalidOption('estimators', 'must list at least one { baseline, rewardToGo }');
  lab.estimators.forEach((e, i) => {
    if (!baselineKinds.includes(e.baseline))
      throw invalidOption(`estimators[${i}].baseline`, `must be one of ${baselineKinds.join(', ')}, got "${e.baseline}"`);
    if (typeof e.rewardToGo !== 'boolean') throw invalidOption(`estimators[${i}].rewardToGo`, 'must be true or false');
  });
  const progress = lab.progress ?? (() => {});
  const settings = lab.estimators.some((e) => same(e, PLAIN)) ? lab.estimators : [PLAIN, ...lab.estimators];
  const measured = [];
  for (const setting of settings) {
    progress(`measuring baseline ${setting.baseline}, reward-to-go ${setting.rewardToGo ? 'on' : 'off'}`);
    measured.push({ setting, ...(await measure(lab.trainer, setting, lab.batches)) });
  }
  let reference: Float32Array;
  let summary: VarianceReport['reference'];
  if (lab.reference && 'gradient' in lab.reference) {
    reference = Float32Array.from(lab.reference.gradient);
    summary = { kind: 'exact', norm: norm(reference) };
  } else {
    const numEnvs = lab.reference?.numEnvs ?? 8 * (measured[0]?.numEnvs ?? 1024);
    const batches = lab.reference?.batches ?? Math.max(4, Math.ceil(lab.batches / 4));
    progress(`reference: ${batches} batches of ${numEnvs} trajectories (perTimestepLeaveOneOut, reward-to-go)`);
    // Its own seed: with the run's, its first numEnvs trajectories of each batch would be the estimators' (the draws
    // are keyed by seed, environment, step and batch), and the distances would shrink by that shared noise.
    const seed = ((lab.trainer.seed ?? 1) + 0x9e3779b9) >>> 0;
    const unbiased = { baseline: 'perTimestepLeaveOneOut', rewardToGo: true } as const;
    const large = await measure({ ...lab.trainer, numEnvs, seed }, unbiased, batches);
    reference = large.mean;
    const total = large.variance.reduce((a, v) => a + v, 0);
    summary = { kind: 'large batch', numEnvs, batches, norm: norm(reference), standardError: Math.sqrt(total / batches) };
  }
  const plain = measured.find((m) => same(m.setting, PLAIN));
  const plainVariance = plain ? plain.variance.reduce((a, v) => a + v, 0) : Number.NaN;
  const estimators = measured
    .filter((m) => lab.estimators.some((e) => same(e, m.setting)))
    .map((m): EstimatorReport => {
      const totalVariance = m.variance.reduce((a, v) => a + v, 0);
      let dot = 0;
      let distance = 0;
      m.mean.forEach((x, k) => {
        dot += x * (reference[k] as number);
        distance += (x - (reference[k] as number)) ** 2;
      });
      return {
        ...m.setting,
        batches: lab.batches,
        numEnvs: m.numEnvs,
        meanGradient: Array.from(m.mean),
        totalVariance,
        varianceRatio: totalVariance / plainVariance,
        distanceToReference: Math.sqrt(distance),
        noiseDistance: Math.sqrt(totalVariance / lab.batches),
        cosineToReference: dot / (norm(m.mean) * norm(reference) || 1),
      };
    });
  return { estimators, reference: summary };
}
