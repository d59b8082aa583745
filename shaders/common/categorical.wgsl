// The categorical policy head: pi(a|s) = softmax(logits)_a. Included by common/categoricalHead.wgsl.
// Needs: ACTION_COUNT (host prelude, src/policy/head.ts)
// Provides: CategoricalSample, categoricalLogSumExp, categoricalSample, categoricalLogProbGradient

struct CategoricalSample {
  action: u32,
  logProb: f32,   // log pi(action|s)
  entropy: f32,   // -sum_a pi(a|s) log pi(a|s)
}

fn categoricalLogSumExp(logits: array<f32, ACTION_COUNT>) -> vec2f {
  var maxLogit = logits[0];
  for (var a = 1u; a < ACTION_COUNT; a++) {
    maxLogit = max(maxLogit, logits[a]);
  }
  var sum = 0.0;
  for (var a = 0u; a < ACTION_COUNT; a++) {
    sum += exp(logits[a] - maxLogit);
  }
  return vec2f(maxLogit, maxLogit + log(sum)); // (max, log sum exp)
}

// Inverse-CDF sampling with one uniform u in (0, 1); greedy (argmax) when deterministic.
fn categoricalSample(logits: array<f32, ACTION_COUNT>, u: f32, deterministic: bool) -> CategoricalSample {
  let lse = categoricalLogSumExp(logits);
  var action = ACTION_COUNT - 1u;
  var cumulative = 0.0;
  var found = false;
  var entropy = 0.0;
  var best = 0u;
  for (var a = 0u; a < ACTION_COUNT; a++) {
    let logProb = logits[a] - lse.y;
    let prob = exp(logProb);
    entropy -= prob * logProb;
    cumulative += prob;
    if (!found && u < cumulative) {
      action = a;
      found = true;
    }
    if (logits[a] > logits[best]) {
      best = a;
    }
  }
  if (deterministic) {
    action = best;
  }
  return CategoricalSample(action, logits[action] - lse.y, entropy);
}

// d log pi(action|s) / d logits_k = 1[k = action] - pi(k|s)
fn categoricalLogProbGradient(logits: array<f32, ACTION_COUNT>, action: u32) -> array<f32, ACTION_COUNT> {
  let lse = categoricalLogSumExp(logits);
  var gradient: array<f32, ACTION_COUNT>;
  for (var a = 0u; a < ACTION_COUNT; a++) {
    gradient[a] = select(0.0, 1.0, a == action) - exp(logits[a] - lse.y);
  }
  return gradient;
}
