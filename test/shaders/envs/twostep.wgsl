// A two-step MDP small enough to enumerate, run through the engine's own rollout and gradient kernels.
// Step 0 (state s0): action 1 pays 1, action 0 pays 0; the next state is A with probability 0.8 after
// action 0 and 0.3 after action 1, otherwise B. Step 1: in A actions pay (2, 0), in B (0, 3); then the
// episode ends. Observations are one-hot over (s0, A, B).

struct EnvState {
  stage: u32,
  branch: u32, // 0: A, 1: B
}

fn envReset(u: vec4f) -> EnvState {
  return EnvState(0u, 0u);
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  var one = vec4f(0.0);
  if (s.stage == 0u) {
    one.x = 1.0;
  } else if (s.branch == 0u) {
    one.y = 1.0;
  } else {
    one.z = 1.0;
  }
  return array<vec4f, OBS4>(one);
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  if ((*s).stage == 0u) {
    let pA = select(0.8, 0.3, action == 1u);
    (*s).branch = select(1u, 0u, u.x < pA);
    (*s).stage = 1u;
    return vec2f(select(0.0, 1.0, action == 1u), 0.0);
  }
  let paysA = select(0.0, 2.0, action == 0u);
  let paysB = select(0.0, 3.0, action == 1u);
  return vec2f(select(paysB, paysA, (*s).branch == 0u), 1.0);
}
