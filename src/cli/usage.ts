export const USAGE = `webgpu-reinforce: REINFORCE on thousands of parallel environments, on the GPU (WebGPU)

usage:
  webgpu-reinforce train [ENVIRONMENT] [--envs 1024] [--hidden 32|64,64|none] [--activation tanh|relu] [--lr 0.02]
                         [--seed 1] [--iters 100] [--target 475] [--baseline none|mean|perTimestep|optimal]
                         [--no-reward-to-go] [--gamma 1] [--normalize-advantages] [--max-grad-norm 0]
                         [--log-std 0] [--fixed-std]
                         [--epochs 1] [--reuse 1] [--is per-decision|trajectory|ratio|prefix] [--is-clip 0]
                         [--is-self-normalize]
                         [--json] [--save policy.json] [--load policy.json] [--dump-batch batch.json]
  webgpu-reinforce eval --policy policy.json [ENVIRONMENT] [--episodes 1000] [--seed 1] [--deterministic] [--json]
  webgpu-reinforce check-env ENVIRONMENT --vectors transitions.json [--json]

ENVIRONMENT:
  --env cartpole|cartpole-pomdp|acrobot|pendulum|mountaincar-continuous|lqr   (default cartpole)
  --env lqr --lqr config.json          an LQR of your own ({stateDim, actionDim, A, B, Q, R, noiseStd, initStd,
                                       horizon}; fields left out keep the defaults)
  --env-file my-env.wgsl --env-spec my-env.json   an environment written in WGSL (README: "Writing an environment")

train stops at --iters or once the batch mean return reaches --target (default: the environment's threshold,
475 for CartPole-v1, -100 for Acrobot-v1); it exits 0 when the target was reached, 1 when not, 2 on bad input.
Gaussian policies (continuous actions) start with log-std --log-std and learn it unless --fixed-std.
Off-policy: --epochs E gradient steps per fresh batch over the last --reuse K batches, each sample's term
importance-weighted for the current parameters (per-decision: unbiased; see README).
check-env exits 0 when every transition matches (relative error <= 1e-4), 1 otherwise.`;
