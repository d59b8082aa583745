// The categorical policy head: pi(a|s) = softmax(z)_a over the MLP's outputs z (OUTPUT_DIM = ACTION_COUNT).
// Needs: mlpOutputs (common/mlp.wgsl, included by the kernel), ACTION_COUNT (host prelude, src/policy/head.ts),
//   HEAD_DELTA4 (host prelude, src/policy/layout.ts); includes common/categorical.wgsl and the "action" splice itself
// Provides: PolicySample, policySample, policyLogProb, policyGradient; and, through its includes, the names of
//   common/categorical.wgsl and of the "action" splice (Action, ACTION_WORDS, actionWord, actionFromWords)
//
// Head interface (shaders/common/gaussianHead.wgsl implements the same; the host splices one at
// `#include "head"`, after common/mlp.wgsl):
//   struct PolicySample { action, logProb, entropy }
//   fn policySample(u: vec4f, deterministic: bool) -> PolicySample
//        draws a ~ pi(.|s) for the sample whose forward pass just ran, from four U(0,1) draws
//   fn policyLogProb(action: Action) -> f32
//        log pi(action|s) for the sample whose forward pass just ran
//   fn policyGradient(action: Action) -> array<vec4f, HEAD_DELTA4>
//        d log pi(action|s) / d(outputs) in the first OUTPUT4 vec4s, then d / d(the head's own parameters,
//        HEAD_PARAM4 vec4s stored right after the last layer's bias); the categorical head has none.

#include "common/categorical.wgsl"
#include "action"

struct PolicySample {
  action: Action,
  logProb: f32,
  entropy: f32,
}

fn policySample(u: vec4f, deterministic: bool) -> PolicySample {
  let choice = categoricalSample(mlpOutputs(), u.x, deterministic);
  return PolicySample(choice.action, choice.logProb, choice.entropy);
}

fn policyGradient(action: Action) -> array<vec4f, HEAD_DELTA4> {
  let logitGradient = categoricalLogProbGradient(mlpOutputs(), action);
  var gradient: array<vec4f, HEAD_DELTA4>;
  for (var a = 0u; a < ACTION_COUNT; a++) {
    gradient[a / 4u][a % 4u] = logitGradient[a];
  }
  return gradient;
}

// log pi(action|s) for the sample whose forward pass just ran (the importance weights' numerator).
fn policyLogProb(action: Action) -> f32 {
  let logits = mlpOutputs();
  return logits[action] - categoricalLogSumExp(logits).y;
}
