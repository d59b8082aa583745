// The batch file ("webgpu-reinforce.batch", version 1): one iteration's samples, the advantages used and the
// gradient (1/N) sum_i sum_t grad log pi(a_it|s_it) A_it before clipping and Adam. Masked steps hold zeros.
import { actionWords } from '../policy/head.js';
import { type PolicyLayout, unpackHeadParameters, unpackParameters } from '../policy/layout.js';
import type { PolicyFile } from '../policy/policyFile.js';
import type { BaselineKind, ResolvedOptions } from './options.js';

export interface Batch {
  format: 'webgpu-reinforce.batch';
  version: 1;
  env: string;
  numEnvs: number;
  horizon: number;
  gamma: number;
  rewardToGo: boolean;
  baseline: BaselineKind;
  policy: PolicyFile;
  /** Index (i * horizon + t) * obsDim + k: the observation the action was chosen on. */
  obs: number[];
  /** Categorical: the action index at i * horizon + t. Gaussian: component k at (i * horizon + t) * dim + k. */
  actions: number[];
  rewards: number[];
  valid: number[];
  logProbs: number[];
  advantages: number[];
  gradient: { layers: { weight: number[]; bias: number[] }[]; logStd?: number[] };
}

export interface BatchSources {
  options: ResolvedOptions;
  layout: PolicyLayout;
  policy: PolicyFile;
  observations: ArrayBuffer;
  actions: ArrayBuffer;
  rewards: ArrayBuffer;
  logProbs: ArrayBuffer;
  advantages: ArrayBuffer;
  episodes: ArrayBuffer;
  gradient: ArrayBuffer;
}

export function assembleBatch(s: BatchSources): Batch {
  const { numEnvs: N, horizon: T, env } = s.options;
  const obsDim = env.obsDim;
  const obs4 = Math.ceil(obsDim / 4) * 4;
  const episodes = new Uint32Array(s.episodes);
  const observations = new Float32Array(s.observations);
  const words = actionWords(env.action);
  const actions = env.action.kind === 'categorical' ? new Uint32Array(s.actions) : new Float32Array(s.actions);
  const gradient = new Float32Array(s.gradient);
  const rewards = new Float32Array(s.rewards);
  const logProbs = new Float32Array(s.logProbs);
  const advantages = new Float32Array(s.advantages);
  const batch: Batch = {
    format: 'webgpu-reinforce.batch',
    version: 1,
    env: env.name,
    numEnvs: N,
    horizon: T,
    gamma: s.options.gamma,
    rewardToGo: s.options.rewardToGo,
    baseline: s.options.baseline,
    policy: s.policy,
    obs: new Array(N * T * obsDim).fill(0),
    actions: new Array(N * T * words).fill(0),
    rewards: new Array(N * T).fill(0),
    valid: new Array(N * T).fill(0),
    logProbs: new Array(N * T).fill(0),
    advantages: new Array(N * T).fill(0),
    gradient: {
      layers: unpackParameters(s.layout, gradient),
      ...(s.layout.headParams > 0 ? { logStd: unpackHeadParameters(s.layout, gradient) } : {}),
    },
  };
  for (let i = 0; i < N; i++) {
    const length = episodes[i * 4] as number;
    for (let t = 0; t < length; t++) {
      const sample = i * T + t;
      for (let k = 0; k < obsDim; k++) batch.obs[sample * obsDim + k] = observations[sample * obs4 + k] as number;
      for (let k = 0; k < words; k++) batch.actions[sample * words + k] = actions[sample * words + k] as number;
      batch.rewards[sample] = rewards[sample] as number;
      batch.valid[sample] = 1;
      batch.logProbs[sample] = logProbs[sample] as number;
      batch.advantages[sample] = advantages[sample] as number;
    }
  }
  return batch;
}
