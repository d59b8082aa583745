// Reading a stored action back: for kernels with an `actions: array<u32>` binding laid out as the rollout
// writes it (ACTION_WORDS words per sample; see the action files).
// Needs: binding actions (the kernel, or common/backwardSamples.wgsl), Action, ACTION_WORDS, actionFromWords (the
//   "action" splice, included by the kernel directly or through the "head" splice)
// Provides: loadAction

fn loadAction(sample: u32) -> Action {
  var words: array<u32, ACTION_WORDS>;
  for (var k = 0u; k < ACTION_WORDS; k++) {
    words[k] = actions[sample * ACTION_WORDS + k];
  }
  return actionFromWords(words);
}
