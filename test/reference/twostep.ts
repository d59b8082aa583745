// The two-step MDP of test/shaders/envs/twostep.wgsl, small enough to enumerate: its descriptor, a policy far from
// uniform, and J's exact gradient by summing over every trajectory.
import { readFileSync } from 'node:fs';
import type { EnvironmentDescriptor } from '../../src/index.js';
import { initialPolicy, type PolicyFile } from '../../src/policy/policyFile.js';
import { addLogProbGradient, flatten, forward, softmax, zeroGradient } from './mlp.js';

export const twostep: EnvironmentDescriptor = {
  name: 'twostep',
  obsDim: 3,
  action: { kind: 'categorical', n: 2 },
  horizon: 2,
  shader: { source: readFileSync(new URL('../shaders/envs/twostep.wgsl', import.meta.url), 'utf8') },
};
const OBS = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

export function testPolicy(): PolicyFile {
  const p = initialPolicy({
    env: 'twostep',
    obsDim: 3,
    action: { kind: 'categorical', n: 2 },
    hidden: [8],
    activation: 'tanh',
    seed: 7,
  });
  // Make the policy far from uniform so that the gradient has structure.
  p.layers[1]!.weight = p.layers[1]!.weight.map((w, k) => Math.fround(w * 100 + (k % 3) * 0.3));
  return p;
}

/** J's exact gradient: sum over trajectories p(tau) sum_t grad log pi(a_t|s_t) r(tau). */
export function exactGradient(policy: PolicyFile): number[] {
  const pi = (s: number) => softmax(forward(policy, OBS[s]!).activations.at(-1) as number[]);
  const g = zeroGradient(policy);
  for (const a0 of [0, 1]) {
    const pA = a0 === 0 ? 0.8 : 0.3;
    for (const [branch, pBranch] of [
      [1, pA],
      [2, 1 - pA],
    ] as const) {
      for (const a1 of [0, 1]) {
        const reward1 = branch === 1 ? (a1 === 0 ? 2 : 0) : a1 === 1 ? 3 : 0;
        const total = a0 + reward1;
        const p = pi(0)[a0]! * pBranch * pi(branch)[a1]!;
        addLogProbGradient(policy, OBS[0]!, a0, p * total, g);
        addLogProbGradient(policy, OBS[branch]!, a1, p * total, g);
      }
    }
  }
  return flatten(g);
}
