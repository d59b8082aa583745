// Watch: WATCH_COUNT agents acting with the current policy one time step per dispatch, their states kept on the
// GPU in the environment's state-vector layout (envToVector), where a render pipeline draws them
// (shaders/render/*.wgsl; the demo calls this once per animation frame). Nothing is read back. An agent whose
// episode ended (terminated, or HORIZON steps) shows its last state for one frame, then starts a new episode.
// The training iteration never touches these buffers: watching does not change what is learned.

#include "common/config.wgsl"
#include "common/philox.wgsl"
#include "common/mlp.wgsl"
#include "head"
#include "env"

override WORKGROUP_SIZE: u32 = 64u;
override WATCH_COUNT: u32 = 256u;

struct WatchAgent {
  step: u32,           // steps taken in the current episode; 0: reset before the next step
  episode: u32,        // episodes finished (keys the agent's random streams)
  episodeReturn: f32,  // reward so far in the current episode
  lastReturn: f32,     // the return of the last finished episode
}

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> policyParams: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> watchAgents: array<WatchAgent>;
@group(0) @binding(3) var<storage, read_write> watchStates: array<f32>; // WATCH_COUNT x STATE_DIM

fn policyWeight(q: u32) -> vec4f {
  return policyParams[q];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= WATCH_COUNT) {
    return;
  }
  var agent = watchAgents[i];
  var state: EnvState;
  if (agent.step == 0u) {
    state = envReset(randomUniform4(config.seed, i, 0u, agent.episode, STREAM_WATCH_RESET));
  } else {
    var v: array<f32, STATE_DIM>;
    for (var k = 0u; k < STATE_DIM; k++) {
      v[k] = watchStates[i * STATE_DIM + k];
    }
    state = envFromVector(v);
  }
  mlpForward(envObserve(state));
  let choice = policySample(randomUniform4(config.seed, i, agent.step, agent.episode, STREAM_WATCH_STEP), config.deterministic == 1u);
  let outcome = envStep(&state, choice.action, randomUniform4(config.seed, i, agent.step, agent.episode, STREAM_WATCH_ENV));
  agent.episodeReturn += outcome.x;
  agent.step += 1u;
  if (outcome.y != 0.0 || agent.step >= HORIZON) {
    agent.lastReturn = agent.episodeReturn;
    agent.episodeReturn = 0.0;
    agent.step = 0u;
    agent.episode += 1u;
  }
  watchAgents[i] = agent;
  let v = envToVector(state);
  for (var k = 0u; k < STATE_DIM; k++) {
    watchStates[i * STATE_DIM + k] = v[k];
  }
}
