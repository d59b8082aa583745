// Drawing watched agents (shaders/watch.wgsl) straight from their GPU buffers: agent i (the instance) gets cell
// i of a grid over the canvas, and its shapes are quads in the cell's own coordinates, [-1, 1]^2 with y up.
// Every file in shaders/render/ includes this one and defines VERTICES_PER_AGENT and vertexMain.
// Needs: STATE_DIM (host prelude, demo/agentView.ts)
// Provides: View, WatchAgent (the same layout as shaders/watch.wgsl's), VertexOut; bindings view, watchStates,
//   watchAgents; agentState, quadCorner, box, segment, toClip; the fragment entry point fragmentMain

struct View {
  columns: u32,
  rows: u32,
  aspect: f32,   // canvas width / height
  highlight: f32, // reserved
}

struct WatchAgent {
  step: u32,
  episode: u32,
  episodeReturn: f32,
  lastReturn: f32,
}

struct VertexOut {
  @builtin(position) position: vec4f,
  @location(0) color: vec4f,
}

@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> watchStates: array<f32>;
@group(0) @binding(2) var<storage, read> watchAgents: array<WatchAgent>;

fn agentState(agent: u32, k: u32) -> f32 {
  return watchStates[agent * STATE_DIM + k];
}

// Corner c (0..5) of a quad drawn as two triangles, in [-1, 1]^2.
fn quadCorner(c: u32) -> vec2f {
  let corners = array<vec2f, 6>(vec2f(-1.0, -1.0), vec2f(1.0, -1.0), vec2f(1.0, 1.0), vec2f(-1.0, -1.0), vec2f(1.0, 1.0), vec2f(-1.0, 1.0));
  return corners[c];
}

// Corner c of a box centred at `center` with half extents `half`, turned by `angle` (radians, counter-clockwise).
fn box(center: vec2f, half: vec2f, angle: f32, c: u32) -> vec2f {
  let p = quadCorner(c) * half;
  let cs = vec2f(cos(angle), sin(angle));
  return center + vec2f(p.x * cs.x - p.y * cs.y, p.x * cs.y + p.y * cs.x);
}

// Corner c of a bar of half width `halfWidth` from a to b.
fn segment(a: vec2f, b: vec2f, halfWidth: f32, c: u32) -> vec2f {
  let d = b - a;
  return box(0.5 * (a + b), vec2f(0.5 * length(d), halfWidth), atan2(d.y, d.x), c);
}

// Cell coordinates of `agent` to clip space; cells are square, filled row by row from the top left.
fn toClip(agent: u32, local: vec2f) -> vec4f {
  let cell = vec2f(f32(agent % view.columns), f32(agent / view.columns));
  let grid = vec2f(f32(view.columns), f32(view.rows));
  // One cell's size in clip units, square on a canvas of the given aspect, the whole grid inside [-1, 1]^2.
  let side = min(2.0 / grid.x, 2.0 * view.aspect / grid.y);
  let size = vec2f(side, side * view.aspect);
  let center = vec2f(-0.5 * grid.x * size.x + (cell.x + 0.5) * size.x, 0.5 * grid.y * size.y - (cell.y + 0.5) * size.y);
  return vec4f(center + local * 0.46 * size, 0.0, 1.0);
}

@fragment
fn fragmentMain(in: VertexOut) -> @location(0) vec4f {
  return in.color;
}
