// Linear-quadratic regulator: x' = A x + B u + w, w ~ N(0, LQR_NOISE_STD^2 I), x0 ~ N(0, LQR_INIT_STD^2 I),
// reward -(x'Qx + u'Ru) on the state before the step and the action as sampled (no bounds to clip to), fixed
// horizon, never terminates. The policy observes x. Dimensions and matrices come from the host
// (src/envs/lqr.ts): STATE_DIM <= 4 and ACTION_DIM <= 4, matrices row-major in LQR_A (n x n), LQR_B (n x m),
// LQR_Q (n x n), LQR_R (m x m). src/envs/lqr.ts also computes the optimal cost by the Riccati recursion.
// State vector: x.
// Needs: Action (the Gaussian "action" splice, array<f32, ACTION_DIM>; the kernel includes it directly or through
//   "head"), ACTION_DIM (host prelude, src/policy/head.ts), OBS4 (host prelude: src/policy/layout.ts, or
//   src/envs/checkEnvironment.ts for envCheck.wgsl), STATE_DIM (host prelude, the descriptor's stateDim,
//   src/envs/environmentSource.ts), LQR_A, LQR_B, LQR_Q, LQR_R, LQR_NOISE_STD, LQR_INIT_STD (host prelude, the
//   descriptor's constants, src/envs/lqr.ts), standardNormal4 (common/philox.wgsl, included by the kernel: this file
//   does not include it)
// Provides (spliced as "env"): EnvState, envReset, envObserve, envStep, envFromVector, envToVector; lqrMask

struct EnvState {
  x: vec4f, // components >= STATE_DIM stay 0
}

fn lqrMask() -> vec4f {
  return select(vec4f(0.0), vec4f(1.0), vec4u(0u, 1u, 2u, 3u) < vec4u(STATE_DIM));
}

fn envReset(u: vec4f) -> EnvState {
  return EnvState(standardNormal4(u) * LQR_INIT_STD * lqrMask());
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(s.x);
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let x = (*s).x;
  var cost = 0.0;
  var next = standardNormal4(u) * LQR_NOISE_STD * lqrMask();
  for (var i = 0u; i < STATE_DIM; i++) {
    for (var j = 0u; j < STATE_DIM; j++) {
      cost += x[i] * LQR_Q[i * STATE_DIM + j] * x[j];
      next[i] += LQR_A[i * STATE_DIM + j] * x[j];
    }
    for (var k = 0u; k < ACTION_DIM; k++) {
      next[i] += LQR_B[i * ACTION_DIM + k] * action[k];
    }
  }
  for (var k = 0u; k < ACTION_DIM; k++) {
    for (var l = 0u; l < ACTION_DIM; l++) {
      cost += action[k] * LQR_R[k * ACTION_DIM + l] * action[l];
    }
  }
  (*s).x = next;
  return vec2f(-cost, 0.0);
}

fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState {
  var x = vec4f(0.0);
  for (var i = 0u; i < STATE_DIM; i++) {
    x[i] = v[i];
  }
  return EnvState(x);
}

fn envToVector(s: EnvState) -> array<f32, STATE_DIM> {
  var v: array<f32, STATE_DIM>;
  for (var i = 0u; i < STATE_DIM; i++) {
    v[i] = s.x[i];
  }
  return v;
}
