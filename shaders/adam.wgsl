// Adam (Kingma & Ba, 2015, Algorithm 1) as gradient ASCENT on J: theta += lr * m_hat / (sqrt(v_hat) + eps).
// The gradient is first scaled by min(1, maxGradNorm / ||g||) when clipping is on. The step count t is
// TrainState.optimizerSteps, already advanced for this step. Padded slots have zero gradient and stay zero.

#include "common/config.wgsl"

override WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> trainState: TrainState;
@group(0) @binding(2) var<storage, read> gradient: array<vec4f>;
@group(0) @binding(3) var<storage, read> stats: IterationStats;
@group(0) @binding(4) var<storage, read_write> policyParams: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> adamMoments: array<vec4f>; // m at q, v at PARAM4 + q

@compute @workgroup_size(WORKGROUP_SIZE)
fn adam(@builtin(global_invocation_id) id: vec3u) {
  let q = id.x;
  // A non-finite gradient (gradientNorm flagged it) leaves the parameters and moments as they were.
  if (q >= PARAM4 || (stats.nonFinite & NON_FINITE_GRADIENT) != 0u) {
    return;
  }
  var scale = 1.0;
  if (config.maxGradNorm > 0.0 && stats.gradNorm > config.maxGradNorm) {
    scale = config.maxGradNorm / stats.gradNorm;
  }
  let g = gradient[q] * scale;
  let step = f32(trainState.optimizerSteps);
  let m = config.beta1 * adamMoments[q] + (1.0 - config.beta1) * g;
  let v = config.beta2 * adamMoments[PARAM4 + q] + (1.0 - config.beta2) * g * g;
  adamMoments[q] = m;
  adamMoments[PARAM4 + q] = v;
  let mHat = m / (1.0 - pow(config.beta1, step));
  let vHat = v / (1.0 - pow(config.beta2, step));
  policyParams[q] += config.learningRate * mHat / (sqrt(vHat) + config.epsilon);
}
