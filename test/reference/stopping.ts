// The stopping MDP of test/shaders/envs/stopping.wgsl (random, action-dependent termination), small enough to
// enumerate: its descriptor, two policies some distance apart (the second keeps episodes alive longer), and J's
// exact gradient, sum over every trajectory of p(tau) r(tau) sum_t grad log pi(a_t|s_t), in float64.
import { readFileSync } from 'node:fs';
import type { EnvironmentDescriptor } from '../../src/index.js';
import { initialPolicy, type PolicyFile } from '../../src/policy/policyFile.js';
import { addLogProbGradient, flatten, forward, softmax, zeroGradient } from './mlp.js';

export const HORIZON = 4;
const STOP = [0.6, 0.15]; // termination probability after action 0, 1

export const stopping: EnvironmentDescriptor = {
  name: 'stopping',
  obsDim: 8,
  action: { kind: 'categorical', n: 2 },
  horizon: HORIZON,
  shader: { source: readFileSync(new URL('../shaders/envs/stopping.wgsl', import.meta.url), 'utf8') },
};

export const observation = (t: number, x: number) => Array.from({ length: 8 }, (_, k) => (k === t * 2 + x ? 1 : 0));

export function stoppingPolicy(): PolicyFile {
  return initialPolicy({
    env: 'stopping',
    obsDim: 8,
    action: { kind: 'categorical', n: 2 },
    hidden: [6],
    activation: 'tanh',
    seed: 5,
  });
}

/** The policy moved towards action 1 (longer episodes): a behaviour policy for the off-policy checks. */
export function survivingPolicy(policy: PolicyFile): PolicyFile {
  const moved = structuredClone(policy);
  moved.layers[1]!.bias = moved.layers[1]!.bias.map((b, k) => Math.fround(b + (k === 1 ? 0.9 : -0.9)));
  return moved;
}

/** J's exact gradient (gamma 1): every trajectory enumerated with its probability. */
export function exactStoppingGradient(policy: PolicyFile): number[] {
  const g = zeroGradient(policy);
  const visit = (t: number, x: number, p: number, ret: number, steps: [number[], number][]) => {
    const pi = softmax(forward(policy, observation(t, x)).activations.at(-1) as number[]);
    for (const a of [0, 1]) {
      const reward = a === x ? 1 : 0.2;
      const path: [number[], number][] = [...steps, [observation(t, x), a]];
      const pa = p * (pi[a] as number);
      const stop = t + 1 >= HORIZON ? 1 : (STOP[a] as number);
      // Ended here: the trajectory's probability times its return, credited to every step's score.
      for (const [obs, action] of path) addLogProbGradient(policy, obs, action, pa * stop * (ret + reward), g);
      if (stop < 1) for (const next of [0, 1]) visit(t + 1, next, pa * (1 - stop) * 0.5, ret + reward, path);
    }
  };
  for (const x of [0, 1]) visit(0, x, 0.5, 0, []);
  return flatten(g);
}
