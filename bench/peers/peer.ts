// What every benchmark peer implements: the same REINFORCE as the engine, on CartPole-v1, so that one run can
// time them side by side. A peer is built from a policy file (the same starting weights for everyone), steps
// numEnvs environments for at most `horizon` steps each (one episode per environment and iteration), and:
//   - rollout():   samples one batch of episodes with the current policy, no update;
//   - iteration(): rollout, reward-to-go (gamma 1, reward 1 per step), per-timestep baseline (mean return-to-go
//                  of the environments still alive at t), the gradient of the pseudo-loss
//                  (1/N) sum_i sum_t log pi(a_it|s_it) * A_it, and one Adam step of gradient ascent
//                  (beta1 0.9, beta2 0.999, epsilon 1e-8, bias-corrected).
// Env-steps count only steps of live episodes (the engine counts the same way). Times are wall-clock seconds
// of the whole call, all work finished (a GPU peer waits for its queue).
import type { PolicyFile } from '../../src/index.js';

export interface PeerOptions {
  policy: PolicyFile;
  numEnvs: number;
  /** Episode cap; a smaller value times the same bounded slice (the first `horizon` steps) for every peer. */
  horizon: number;
  lr: number;
  seed: number;
}

export interface PeerTiming {
  envSteps: number;
  seconds: number;
  /** Mean undiscounted return of the batch's episodes (capped at `horizon`). */
  meanReturn: number;
}

export interface ReinforcePeer {
  rollout(): Promise<PeerTiming>;
  iteration(): Promise<PeerTiming>;
  /** Releases what the peer holds (tensors, devices). */
  dispose(): void;
}
