// CartPole (and cartpole-pomdp): the track, the cart at x, the pole at angle theta (0 upright). The pole turns
// from green to red as it nears the 12 degree limit. State vector: [x, x_dot, theta, theta_dot].
#include "render/view.wgsl"

const VERTICES_PER_AGENT: u32 = 18u;

@vertex
fn vertexMain(@builtin(vertex_index) v: u32, @builtin(instance_index) agent: u32) -> VertexOut {
  let part = v / 6u;
  let c = v % 6u;
  let x = clamp(agentState(agent, 0u) / 2.4, -1.0, 1.0) * 0.8;
  let theta = agentState(agent, 2u);
  let cart = vec2f(x, -0.55);
  var p: vec2f;
  var color: vec4f;
  if (part == 0u) {
    p = box(vec2f(0.0, -0.67), vec2f(0.95, 0.012), 0.0, c);
    color = vec4f(0.55, 0.58, 0.62, 1.0);
  } else if (part == 1u) {
    p = box(cart, vec2f(0.16, 0.09), 0.0, c);
    color = vec4f(0.16, 0.35, 0.75, 1.0);
  } else {
    let tip = cart + 1.2 * vec2f(sin(theta), cos(theta));
    p = segment(cart, tip, 0.035, c);
    let danger = clamp(abs(theta) / 0.2094, 0.0, 1.0);
    color = vec4f(mix(vec3f(0.2, 0.7, 0.3), vec3f(0.9, 0.2, 0.15), danger), 1.0);
  }
  return VertexOut(toClip(agent, p), color);
}
