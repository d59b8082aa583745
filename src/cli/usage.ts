export const USAGE = `webgpu-reinforce: REINFORCE on thousands of parallel environments, on the GPU (WebGPU)

usage:
  webgpu-reinforce train [--env cartpole] [--envs 1024] [--hidden 32] [--activation tanh|relu] [--lr 0.02]
                         [--seed 1] [--iters 100] [--target 475] [--baseline none|mean|perTimestep|optimal]
                         [--no-reward-to-go] [--gamma 1] [--normalize-advantages] [--max-grad-norm 0]
                         [--json] [--save policy.json] [--load policy.json] [--dump-batch batch.json]
  webgpu-reinforce eval --policy policy.json [--episodes 1000] [--seed 1] [--deterministic] [--json]

train stops at --iters or once the batch mean return reaches --target (default: the environment's threshold,
475 for CartPole-v1); it exits 0 when the target was reached, 1 when not, 2 on bad input.`;
