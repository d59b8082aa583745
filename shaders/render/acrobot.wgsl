// Acrobot: two links hanging from a pivot (theta1 = 0 straight down), and the goal line one link above the
// pivot that the tip must cross. State vector: [theta1, theta2, dtheta1, dtheta2].
#include "render/view.wgsl"

const VERTICES_PER_AGENT: u32 = 18u;

@vertex
fn vertexMain(@builtin(vertex_index) v: u32, @builtin(instance_index) agent: u32) -> VertexOut {
  let part = v / 6u;
  let c = v % 6u;
  let theta1 = agentState(agent, 0u);
  let theta2 = agentState(agent, 1u);
  let pivot = vec2f(0.0, 0.0);
  let length = 0.45;
  let elbow = pivot + length * vec2f(sin(theta1), -cos(theta1));
  let tip = elbow + length * vec2f(sin(theta1 + theta2), -cos(theta1 + theta2));
  var p: vec2f;
  var color: vec4f;
  if (part == 0u) {
    p = box(vec2f(0.0, length), vec2f(0.95, 0.02), 0.0, c);
    color = vec4f(0.55, 0.58, 0.62, 1.0);
  } else if (part == 1u) {
    p = segment(pivot, elbow, 0.05, c);
    color = vec4f(0.16, 0.35, 0.75, 1.0);
  } else {
    p = segment(elbow, tip, 0.05, c);
    let height = clamp((tip.y + 2.0 * length) / (3.0 * length), 0.0, 1.0);
    color = vec4f(mix(vec3f(0.3, 0.5, 0.85), vec3f(0.2, 0.75, 0.3), height), 1.0);
  }
  return VertexOut(toClip(agent, p), color);
}
