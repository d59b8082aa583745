// Any environment with a state vector (the LQR, users' environments): one bar per state component (up to 8),
// height tanh(value), blue above zero and orange below. The closer to zero, the better the LQR is doing.
#include "render/view.wgsl"

const BARS: u32 = min(STATE_DIM, 8u);
const VERTICES_PER_AGENT: u32 = (BARS + 1u) * 6u;

@vertex
fn vertexMain(@builtin(vertex_index) v: u32, @builtin(instance_index) agent: u32) -> VertexOut {
  let part = v / 6u;
  let c = v % 6u;
  var p: vec2f;
  var color: vec4f;
  if (part == 0u) {
    p = box(vec2f(0.0, 0.0), vec2f(0.95, 0.01), 0.0, c);
    color = vec4f(0.55, 0.58, 0.62, 1.0);
  } else {
    let k = part - 1u;
    let width = 1.8 / f32(BARS);
    let value = tanh(agentState(agent, k));
    let x = -0.9 + width * (f32(k) + 0.5);
    p = box(vec2f(x, 0.45 * value), vec2f(0.35 * width, max(abs(0.45 * value), 0.01)), 0.0, c);
    color = select(vec4f(0.9, 0.5, 0.15, 1.0), vec4f(0.16, 0.35, 0.75, 1.0), value >= 0.0);
  }
  return VertexOut(toClip(agent, p), color);
}
