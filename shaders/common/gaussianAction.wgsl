// Continuous actions: a in R^ACTION_DIM (1 <= ACTION_DIM <= 4), stored as ACTION_DIM float32 bit patterns per
// sample in the u32 `actions` buffer. The environment's bounds ACTION_LOW, ACTION_HIGH come from the host.
// Actions are sampled unbounded; an environment clips them itself (clipAction) where its dynamics say so.
// Interface: see shaders/common/categoricalAction.wgsl.
// Needs: ACTION_DIM, ACTION_LOW, ACTION_HIGH (host prelude, src/policy/head.ts)
// Provides: Action, ACTION_WORDS, actionWord, actionFromWords, clipAction

alias Action = array<f32, ACTION_DIM>;
const ACTION_WORDS: u32 = ACTION_DIM;

fn actionWord(action: Action, k: u32) -> u32 {
  return bitcast<u32>(action[k]);
}

fn actionFromWords(words: array<u32, ACTION_WORDS>) -> Action {
  var action: Action;
  for (var k = 0u; k < ACTION_DIM; k++) {
    action[k] = bitcast<f32>(words[k]);
  }
  return action;
}

// The action with each component clamped to the environment's bounds.
fn clipAction(action: Action) -> Action {
  var clipped: Action;
  for (var k = 0u; k < ACTION_DIM; k++) {
    clipped[k] = clamp(action[k], ACTION_LOW[k], ACTION_HIGH[k]);
  }
  return clipped;
}
