// MountainCarContinuous: the hill y = 0.45 sin(3 x) + 0.55 over x in [-1.2, 0.6] (12 segments), the flag at the
// goal (0.45) and the car. State vector: [position, velocity].
#include "render/view.wgsl"

const SEGMENTS: u32 = 12u;
const VERTICES_PER_AGENT: u32 = (SEGMENTS + 2u) * 6u;

// World (position, height) to cell coordinates.
fn hillPoint(x: f32) -> vec2f {
  let y = 0.45 * sin(3.0 * x) + 0.55;
  return vec2f((x + 0.3) / 0.9 * 0.95, y * 1.6 - 0.8);
}

@vertex
fn vertexMain(@builtin(vertex_index) v: u32, @builtin(instance_index) agent: u32) -> VertexOut {
  let part = v / 6u;
  let c = v % 6u;
  var p: vec2f;
  var color: vec4f;
  if (part < SEGMENTS) {
    let x0 = -1.2 + 1.8 * f32(part) / f32(SEGMENTS);
    let x1 = -1.2 + 1.8 * f32(part + 1u) / f32(SEGMENTS);
    p = segment(hillPoint(x0), hillPoint(x1), 0.015, c);
    color = vec4f(0.45, 0.48, 0.5, 1.0);
  } else if (part == SEGMENTS) {
    p = segment(hillPoint(0.45), hillPoint(0.45) + vec2f(0.0, 0.3), 0.015, c);
    color = vec4f(0.85, 0.65, 0.1, 1.0);
  } else {
    let position = agentState(agent, 0u);
    let slope = atan2(1.35 * cos(3.0 * position) * 1.6, 1.0 / 0.9 * 0.95);
    p = box(hillPoint(position) + vec2f(0.0, 0.07), vec2f(0.1, 0.05), slope, c);
    color = vec4f(0.16, 0.35, 0.75, 1.0);
  }
  return VertexOut(toClip(agent, p), color);
}
