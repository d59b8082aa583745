// A user environment for the tests, written against the public WGSL interface only: a corridor of 8 cells.
// Start in cell 1 (or 2, at random); action 1 moves right, action 0 left (the wall at 0 holds). Reaching
// cell 7 pays +10 and ends the episode; every other step costs 1. A random walk rarely gets there within
// the 20-step horizon; a learned policy walks straight there (return 10 - 5 or 4 = 5 or 6).

const CORRIDOR_LENGTH: i32 = 8;

struct EnvState {
  cell: i32,
}

fn envReset(u: vec4f) -> EnvState {
  return EnvState(select(1, 2, u.x < 0.5));
}

fn envObserve(s: EnvState) -> array<vec4f, OBS4> {
  var one: array<vec4f, OBS4>;
  one[u32(s.cell) / 4u][u32(s.cell) % 4u] = 1.0;
  return one;
}

fn envStep(s: ptr<function, EnvState>, action: Action, u: vec4f) -> vec2f {
  (*s).cell = max((*s).cell + select(-1, 1, action == 1u), 0);
  if ((*s).cell == CORRIDOR_LENGTH - 1) {
    return vec2f(GOAL_REWARD, 1.0); // GOAL_REWARD: from the descriptor's constants
  }
  return vec2f(-1.0, 0.0);
}
