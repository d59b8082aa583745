// Acrobot-v1, ported from Gymnasium 1.4.0 gymnasium/envs/classic_control/acrobot.py (AcrobotEnv):
// book_or_nips = "book" dynamics, RK4 over one dt = 0.2 step, torque_noise_max = 0, 500-step limit.
// Actions: torques (-1, 0, +1). Reward -1 per step, 0 on the step that reaches the goal
// (-cos(theta1) - cos(theta1 + theta2) > 1), which terminates the episode.
// State vector (Gymnasium's layout): [theta1, theta2, dtheta1, dtheta2]; observation
// [cos theta1, sin theta1, cos theta2, sin theta2, dtheta1, dtheta2].
// Needs: Action (the categorical "action" splice, u32; the kernel includes it directly or through "head"), OBS4
//   (host prelude: src/policy/layout.ts, or src/envs/checkEnvironment.ts for envCheck.wgsl), STATE_DIM (host
//   prelude, the descriptor's stateDim, src/envs/environmentSource.ts); includes common/preciseTrig.wgsl itself
// Provides (spliced as "env"): EnvState, envReset, envObserve, envStep, envFromVector, envToVector; ACROBOT_*
//   constants, acrobotDerivative, acrobotWrap; and, through its include, the names of common/preciseTrig.wgsl

#include "common/preciseTrig.wgsl"

const ACROBOT_DT: f32 = 0.2;
const ACROBOT_LINK_LENGTH_1: f32 = 1.0;
const ACROBOT_LINK_MASS_1: f32 = 1.0;
const ACROBOT_LINK_MASS_2: f32 = 1.0;
const ACROBOT_LINK_COM_POS_1: f32 = 0.5;
const ACROBOT_LINK_COM_POS_2: f32 = 0.5;
const ACROBOT_LINK_MOI: f32 = 1.0;
const ACROBOT_GRAVITY: f32 = 9.8;
const ACROBOT_PI: f32 = 3.14159265358979;
const ACROBOT_MAX_VEL_1: f32 = 4.0 * ACROBOT_PI;
const ACROBOT_MAX_VEL_2: f32 = 9.0 * ACROBOT_PI;

struct EnvState {
  q: vec4f, // theta1, theta2, dtheta1, dtheta2
}

// reset(): each state variable ~ U(-0.1, 0.1)
fn envReset(u: vec4f) -> EnvState {
  return EnvState((u - 0.5) * 0.2);
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  return array<vec4f, OBS4>(
    vec4f(preciseCos(s.q.x), preciseSin(s.q.x), preciseCos(s.q.y), preciseSin(s.q.y)),
    vec4f(s.q.z, s.q.w, 0.0, 0.0),
  );
}

// AcrobotEnv._dsdt: time derivative of (theta1, theta2, dtheta1, dtheta2) under torque a on the second joint.
fn acrobotDerivative(q: vec4f, a: f32) -> vec4f {
  let m1 = ACROBOT_LINK_MASS_1;
  let m2 = ACROBOT_LINK_MASS_2;
  let l1 = ACROBOT_LINK_LENGTH_1;
  let lc1 = ACROBOT_LINK_COM_POS_1;
  let lc2 = ACROBOT_LINK_COM_POS_2;
  let i1 = ACROBOT_LINK_MOI;
  let i2 = ACROBOT_LINK_MOI;
  let g = ACROBOT_GRAVITY;
  let theta1 = q.x;
  let theta2 = q.y;
  let dtheta1 = q.z;
  let dtheta2 = q.w;
  let d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2.0 * l1 * lc2 * preciseCos(theta2)) + i1 + i2;
  let d2 = m2 * (lc2 * lc2 + l1 * lc2 * preciseCos(theta2)) + i2;
  let phi2 = m2 * lc2 * g * preciseCos(theta1 + theta2 - ACROBOT_PI / 2.0);
  let phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * preciseSin(theta2)
    - 2.0 * m2 * l1 * lc2 * dtheta2 * dtheta1 * preciseSin(theta2)
    + (m1 * lc1 + m2 * l1) * g * preciseCos(theta1 - ACROBOT_PI / 2.0)
    + phi2;
  let ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * preciseSin(theta2) - phi2)
    / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
  let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return vec4f(dtheta1, dtheta2, ddtheta1, ddtheta2);
}

// Gymnasium's wrap(x, -pi, pi): shift by whole turns until inside (x on the boundary stays).
fn acrobotWrap(x: f32) -> f32 {
  var y = x;
  for (var i = 0u; i < 8u && y > ACROBOT_PI; i++) {
    y -= 2.0 * ACROBOT_PI;
  }
  for (var i = 0u; i < 8u && y < -ACROBOT_PI; i++) {
    y += 2.0 * ACROBOT_PI;
  }
  return y;
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  let torque = f32(action) - 1.0;
  let q = (*s).q;
  let h = ACROBOT_DT;
  let k1 = acrobotDerivative(q, torque);
  let k2 = acrobotDerivative(q + 0.5 * h * k1, torque);
  let k3 = acrobotDerivative(q + 0.5 * h * k2, torque);
  let k4 = acrobotDerivative(q + h * k3, torque);
  let next = q + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
  (*s).q = vec4f(
    acrobotWrap(next.x),
    acrobotWrap(next.y),
    clamp(next.z, -ACROBOT_MAX_VEL_1, ACROBOT_MAX_VEL_1),
    clamp(next.w, -ACROBOT_MAX_VEL_2, ACROBOT_MAX_VEL_2),
  );
  let terminated = -preciseCos((*s).q.x) - preciseCos((*s).q.y + (*s).q.x) > 1.0;
  return vec2f(select(-1.0, 0.0, terminated), select(0.0, 1.0, terminated));
}

fn envFromVector(v: array<f32, STATE_DIM>) -> EnvState {
  return EnvState(vec4f(v[0], v[1], v[2], v[3]));
}

fn envToVector(s: EnvState) -> array<f32, STATE_DIM> {
  return array<f32, STATE_DIM>(s.q.x, s.q.y, s.q.z, s.q.w);
}
