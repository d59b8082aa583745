// Discrete actions: a in {0, .., ACTION_COUNT - 1}, one u32 per sample in the `actions` buffer.
// Needs: nothing
// Provides: Action, ACTION_WORDS, actionWord, actionFromWords
//
// Action interface (shaders/common/gaussianAction.wgsl implements the same; the host picks one for the
// environment's action space and splices it wherever a kernel says `#include "action"`):
//   alias Action                         what envStep receives
//   const ACTION_WORDS: u32              u32 words per stored action
//   fn actionWord(a: Action, k: u32) -> u32   word k of the stored form
//   fn actionFromWords(w: array<u32, ACTION_WORDS>) -> Action   and back

alias Action = u32;
const ACTION_WORDS: u32 = 1u;

fn actionWord(action: Action, k: u32) -> u32 {
  return action;
}

fn actionFromWords(words: array<u32, ACTION_WORDS>) -> Action {
  return words[0];
}
