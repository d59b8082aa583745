// Pendulum: a rod from the pivot at angle theta (0 upright), its bob coloured by how close to upright it is.
// State vector: [theta, theta_dot].
#include "render/view.wgsl"

const VERTICES_PER_AGENT: u32 = 18u;

@vertex
fn vertexMain(@builtin(vertex_index) v: u32, @builtin(instance_index) agent: u32) -> VertexOut {
  let part = v / 6u;
  let c = v % 6u;
  let theta = agentState(agent, 0u);
  let pivot = vec2f(0.0, 0.0);
  let bob = pivot + 0.8 * vec2f(sin(theta), cos(theta));
  let upright = 0.5 + 0.5 * cos(theta);
  var p: vec2f;
  var color: vec4f;
  if (part == 0u) {
    p = box(pivot, vec2f(0.06, 0.06), 0.785398, c);
    color = vec4f(0.35, 0.37, 0.4, 1.0);
  } else if (part == 1u) {
    p = segment(pivot, bob, 0.04, c);
    color = vec4f(0.16, 0.35, 0.75, 1.0);
  } else {
    p = box(bob, vec2f(0.1, 0.1), theta, c);
    color = vec4f(mix(vec3f(0.9, 0.3, 0.15), vec3f(0.2, 0.75, 0.3), upright * upright), 1.0);
  }
  return VertexOut(toClip(agent, p), color);
}
