// The Gaussian policy head: a ~ N(mu(s), diag(sigma^2)), mu(s) the MLP's outputs (OUTPUT_DIM = ACTION_DIM),
// log sigma state-independent: ACTION_DIM parameters stored right after the last layer's bias (HEAD_OFFSET4).
// With LEARN_LOG_STD false they are fixed (the theory's fixed-Sigma case): their gradient is zero.
//   log pi(a|s)            = sum_k -(a_k - mu_k)^2 / (2 sigma_k^2) - log sigma_k - log sqrt(2 pi)
//   d log pi / d mu_k      = (a_k - mu_k) / sigma_k^2
//   d log pi / d log sig_k = ((a_k - mu_k) / sigma_k)^2 - 1
// The log-prob is that of the sampled (unclipped) action; environments clip what they apply.
// Interface: see shaders/common/categoricalHead.wgsl.
// Needs: mlpOutputs (common/mlp.wgsl, included by the kernel), policyWeight (the kernel, or
//   common/backwardSamples.wgsl), ACTION_DIM and LEARN_LOG_STD (host prelude, src/policy/head.ts), HEAD_DELTA4,
//   HEAD_OFFSET4, OUTPUT4 (host prelude, src/policy/layout.ts); includes common/philox.wgsl and the "action" splice
//   itself
// Provides: PolicySample, policySample, policyLogProb, policyGradient, policyLogStd, LOG_SQRT_2PI; and, through its
//   includes, the names of common/philox.wgsl and of the "action" splice (Action, ACTION_WORDS, actionWord,
//   actionFromWords, clipAction)

#include "common/philox.wgsl"
#include "action"

const LOG_SQRT_2PI: f32 = 0.918938533204672742;

struct PolicySample {
  action: Action,
  logProb: f32,
  entropy: f32,
}

fn policyLogStd() -> array<f32, ACTION_DIM> {
  var logStd: array<f32, ACTION_DIM>;
  for (var k = 0u; k < ACTION_DIM; k++) {
    logStd[k] = policyWeight(HEAD_OFFSET4 + k / 4u)[k % 4u];
  }
  return logStd;
}

fn policySample(u: vec4f, deterministic: bool) -> PolicySample {
  let mean = mlpOutputs();
  let logStd = policyLogStd();
  let noise = standardNormal4(u);
  var action: Action;
  var logProb = 0.0;
  var entropy = 0.0;
  for (var k = 0u; k < ACTION_DIM; k++) {
    let z = select(noise[k], 0.0, deterministic);
    action[k] = mean[k] + exp(logStd[k]) * z;
    logProb += -0.5 * z * z - logStd[k] - LOG_SQRT_2PI;
    entropy += logStd[k] + 0.5 + LOG_SQRT_2PI;
  }
  return PolicySample(action, logProb, entropy);
}

fn policyGradient(action: Action) -> array<vec4f, HEAD_DELTA4> {
  let mean = mlpOutputs();
  let logStd = policyLogStd();
  var gradient: array<vec4f, HEAD_DELTA4>;
  for (var k = 0u; k < ACTION_DIM; k++) {
    let inverseStd = exp(-logStd[k]);
    let z = (action[k] - mean[k]) * inverseStd;
    gradient[k / 4u][k % 4u] = z * inverseStd;
    if (LEARN_LOG_STD) {
      gradient[OUTPUT4 + k / 4u][k % 4u] = z * z - 1.0;
    }
  }
  return gradient;
}

// log pi(action|s) for the sample whose forward pass just ran (the importance weights' numerator).
fn policyLogProb(action: Action) -> f32 {
  let mean = mlpOutputs();
  let logStd = policyLogStd();
  var logProb = 0.0;
  for (var k = 0u; k < ACTION_DIM; k++) {
    let z = (action[k] - mean[k]) * exp(-logStd[k]);
    logProb += -0.5 * z * z - logStd[k] - LOG_SQRT_2PI;
  }
  return logProb;
}
