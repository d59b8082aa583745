// Returns: for each trajectory, the reverse scan R_t = r_t + gamma * R_{t+1} over its valid steps.
// With config.rewardToGo = 1 every step gets its reward-to-go R_t (causality: an action is credited only with
// rewards that come after it); with 0 every step gets the full return r(tau) = R_0.
// One invocation per trajectory; sample (i, t) at index i * HORIZON + t. Masked steps get 0.

#include "common/config.wgsl"

override WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> rewards: array<f32>;
@group(0) @binding(2) var<storage, read_write> episodes: array<Episode>;
@group(0) @binding(3) var<storage, read_write> returns: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn computeReturns(@builtin(global_invocation_id) id: vec3u) {
  let env = id.x;
  if (env >= config.numEnvs) {
    return;
  }
  let base = env * HORIZON;
  let length = episodes[env].length;
  var running = 0.0;
  for (var t = length; t > 0u; t--) {
    running = rewards[base + t - 1u] + config.gamma * running;
    returns[base + t - 1u] = running;
  }
  episodes[env].discountedReturn = running;
  if (config.rewardToGo == 0u) {
    for (var t = 0u; t < length; t++) {
      returns[base + t] = running;
    }
  }
  for (var t = length; t < HORIZON; t++) {
    returns[base + t] = 0.0;
  }
}
