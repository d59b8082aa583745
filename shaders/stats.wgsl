// Per-iteration statistics over the N episodes, reduced in one workgroup in a fixed order; then the iteration
// counter advances (this is the last kernel of an iteration). gradNorm was written by gradient.wgsl.
// The pseudo-loss L~ = (1/N) sum_i sum_t log pi(a_it|s_it) A_it is the function whose gradient the backward pass
// computes (the chapter's implementation of the estimator; what an autodiff implementation would differentiate),
// reported so that a run can be compared with one; with off-policy reuse it is the fresh batch's, on-policy form.

#include "common/config.wgsl"
#include "common/workgroupReduce.wgsl"

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> episodes: array<Episode>;
@group(0) @binding(2) var<storage, read_write> stats: IterationStats;
@group(0) @binding(3) var<storage, read_write> trainState: TrainState;
// Per trajectory, sum_t log pi(a_it|s_it) A_it (advantage.wgsl computePseudoLossTerms; stale in an evaluation: not read).
@group(0) @binding(4) var<storage, read> pseudoLossTerms: array<f32>;

@compute @workgroup_size(REDUCE_SIZE)
fn reduceStats(@builtin(local_invocation_index) lid: u32) {
  var sums = vec4f(0.0);
  var extremes = vec2f(3.0e38, -3.0e38);
  var steps = 0u;
  let training = config.evaluating == 0u;
  for (var i = lid; i < config.numEnvs; i += REDUCE_SIZE) {
    let episode = episodes[i];
    let surrogate = select(0.0, pseudoLossTerms[i], training);
    sums += vec4f(episode.totalReward, f32(episode.length), episode.entropySum, surrogate);
    extremes = vec2f(min(extremes.x, episode.totalReward), max(extremes.y, episode.totalReward));
  }
  let total = workgroupSum4(sums, lid);
  let range = workgroupMinMax(extremes, lid);
  if (lid == 0u) {
    let n = f32(config.numEnvs);
    stats.iteration = trainState.iteration;
    stats.envSteps = u32(total.y);
    stats.meanReturn = total.x / n;
    stats.minReturn = range.x;
    stats.maxReturn = range.y;
    stats.meanLength = total.y / n;
    stats.entropy = total.z / max(total.y, 1.0);
    stats.pseudoLoss = total.w / n;
    if (!isFiniteValue(total.x)) {
      stats.nonFinite |= NON_FINITE_RETURN;
    }
    trainState.iteration += 1u;
  }
}
