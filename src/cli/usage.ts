export const USAGE = `webgpu-reinforce: REINFORCE on thousands of parallel environments, on the GPU (WebGPU)

usage:
  webgpu-reinforce train [ENVIRONMENT] [--envs 1024] [--hidden 32|64,64|none] [--activation tanh|relu] [--lr 0.02]
                         [--seed 1] [--iters 100] [--target 475]
                         [--baseline none|mean|perTimestep|optimal|meanLeaveOneOut|perTimestepLeaveOneOut]
                         [--no-reward-to-go] [--gamma 1] [--normalize-advantages] [--max-grad-norm 0]
                         [--log-std 0] [--fixed-std]
                         [--epochs 1] [--reuse 1] [--is per-decision|trajectory|ratio|prefix] [--is-clip 0]
                         [--is-self-normalize]
                         [--json] [--save policy.json] [--load policy.json] [--dump-batch batch.json]
                         [--checkpoint c.json [--checkpoint-every K]]
  webgpu-reinforce train --resume c.json [ENVIRONMENT] [--iters N] [--target R] [--checkpoint c.json
                         [--checkpoint-every K]] [--save policy.json] [--json]
  webgpu-reinforce eval --policy policy.json [ENVIRONMENT] [--episodes 1000] [--seed 1] [--deterministic] [--json]
  webgpu-reinforce check-env ENVIRONMENT --vectors transitions.json [--json]
  webgpu-reinforce variance [ENVIRONMENT] [--policy policy.json | --iters 0] [--envs 1024] [--batches 100]
                         [--baselines none,mean,perTimestep,optimal,meanLeaveOneOut,perTimestepLeaveOneOut]
                         [--reward-to-go on,off] [--reference-envs 8N] [--reference-batches M/4]
                         [--hidden 32|none] [--seed 1] [--gamma 1] [--json] [--out report.json]

ENVIRONMENT:
  --env cartpole|cartpole-pomdp|acrobot|pendulum|mountaincar-continuous|lqr   (default cartpole)
  --env lqr --lqr config.json          an LQR of your own ({stateDim, actionDim, A, B, Q, R, noiseStd, initStd,
                                       horizon}; fields left out keep the defaults)
  --env-file my-env.wgsl --env-spec my-env.json   an environment written in WGSL (README: "Writing an environment")

train stops at --iters or once the batch mean return reaches --target (default: the environment's threshold,
475 for CartPole-v1, -100 for Acrobot-v1). --checkpoint writes all the run needs to continue: at the end, when it
stops early and every --checkpoint-every K iterations. --resume continues it exactly, with its settings (training
flags are refused) and its built-in environment (a user environment or --lqr file: give it again); --iters counts
the iterations before the checkpoint too. Ctrl-C (SIGINT) or SIGTERM: the iteration in flight finishes, --checkpoint
and --save are written; a second Ctrl-C stops at once.
Exit codes: 0 done or target reached; 1 target not reached, a NaN or infinite gradient (the last finite parameters
are written) or a check-env mismatch; 2 bad input; 3 no GPU adapter; 4 the GPU device was lost; 130 SIGINT; 143 SIGTERM.
--gamma < 1 with reward-to-go follows the gradient of neither the discounted nor the undiscounted objective (no
gamma^t factor: a biased, lower-variance surrogate); with --no-reward-to-go it is the gradient of the discounted one.
Baselines: the *LeaveOneOut ones are exactly unbiased; mean, perTimestep and optimal use the batch's own returns
(a bias of order 1/n); optimal minimises the variance of the estimator in use (README: "The estimator").
Gaussian policies (continuous actions) start with log-std --log-std and learn it unless --fixed-std.
Off-policy: --epochs E gradient steps per fresh batch over the last --reuse K batches, each sample's term
importance-weighted for the current parameters (per-decision: unbiased; see README).
check-env exits 0 when every transition matches (relative error <= 1e-4).
variance: the variance lab. At fixed parameters (--policy, a fresh policy trained --iters K iterations with the
train defaults, or the initial one) it draws --batches M batches of --envs N trajectories for each baseline x
reward-to-go setting and prints per estimator |mean gradient|, its distance to a reference beside the distance
noise alone would give, the cosine, the total variance (trace of the covariance of one batch's estimate) and its
ratio to plain REINFORCE. The reference: the exact gradient for --env lqr --hidden none with gamma 1, else a large
batch (--reference-envs x --reference-batches, perTimestepLeaveOneOut with reward-to-go). --out also writes an
SVG chart (same name, .svg).`;
