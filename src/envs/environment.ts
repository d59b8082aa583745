// What the engine needs to know about an environment: its WGSL (shaders/envs/<name>.wgsl, implementing the
// interface described at the top of shaders/envs/cartpole.wgsl) and its sizes.
export interface EnvironmentDescriptor {
  name: string;
  /** Observation size (what the policy sees). */
  obsDim: number;
  /** Number of discrete actions (categorical policies). */
  actionCount: number;
  /** Episode step limit: one episode per environment per iteration, at most this long. */
  horizon: number;
  /** The WGSL source file under shaders/, or the source itself for environments defined by users. */
  shader: { file: string } | { source: string };
  /** Mean return at which the task counts as solved, when there is one. */
  rewardThreshold?: number;
}
