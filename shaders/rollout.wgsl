// Rollout: one invocation per environment (two on CPU adapters: SAMPLES_PER_INVOCATION below) runs one whole episode
// (trajectory tau_i) with the current policy,
// fusing observe -> MLP forward -> sample a ~ pi(.|s) -> log pi(a|s) -> environment step, for up to HORIZON
// steps, with no round trip to the host. Steps after the episode ends are not written; Episode.length masks them.
// The policy head ("head": categorical or Gaussian) and the environment ("env") are spliced in by the host.
//
// Storage is (environment, time step) major: sample (i, t) lives at index i * HORIZON + t (its action at
// words (i * HORIZON + t) * ACTION_WORDS ..).

#include "common/config.wgsl"
#include "common/philox.wgsl"
#include "common/mlpPair.wgsl"
#include "cpu/mlpPairPrivate.wgsl"
#include "head"
#include "env"

override WORKGROUP_SIZE: u32 = 64u;
fn policyWeight(q: u32) -> vec4f {
  return policyParams[q];
}

@group(0) @binding(0) var<uniform> config: Config;
@group(0) @binding(1) var<storage, read> trainState: TrainState;
@group(0) @binding(2) var<storage, read> policyParams: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> observations: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> actions: array<u32>;
@group(0) @binding(5) var<storage, read_write> rewards: array<f32>;
@group(0) @binding(6) var<storage, read_write> logProbs: array<f32>;
@group(0) @binding(7) var<storage, read_write> episodes: array<Episode>;
// With STORE_ACTIVATIONS, each step's hidden rows that the backward pass would recompute (STORED4 per sample).
@group(0) @binding(8) var<storage, read_write> storedActivations: array<vec4f>;

// Keep the hidden activations for the backward pass: the kernel plan's storeActivations (src/algo/kernelPlan.ts);
// an evaluation rollout (config.evaluating) keeps none.
override STORE_ACTIVATIONS: bool = false;

// Writes the rows STORED_FIRST4.. of one sample's forward pass (`rows`: activations or activationsB).
fn storeActivationRows(env: u32, t: u32, rows: ptr<private, array<vec4f, ACT4_TOTAL>>) {
  let first = (env * HORIZON + t) * STORED4;
  for (var k = 0u; k < STORED4; k++) {
    storedActivations[first + k] = (*rows)[STORED_FIRST4 + k];
  }
}

// Environments each invocation runs: 1, or 2 side by side (sharing every weight load of the forward pass,
// mlpForwardPair; the kernel plan's samplesPerInvocation (src/algo/kernelPlan.ts) picks 2 on CPU adapters). Both
// shapes draw the same random numbers per (environment, step), so they sample the same episodes.
override SAMPLES_PER_INVOCATION: u32 = 1u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn rollout(@builtin(global_invocation_id) id: vec3u) {
  if (SAMPLES_PER_INVOCATION == 2u) {
    startPairWeights();
    runEpisodePair(id.x * 2u);
  } else {
    runEpisode(id.x);
  }
}

fn runEpisode(env: u32) {
  if (env >= config.numEnvs) {
    return;
  }
  let iteration = trainState.iteration;
  var state = envReset(randomUniform4(config.seed, env, 0u, iteration, STREAM_RESET));
  var tally = EpisodeTally(HORIZON, 0.0, 0.0, true);
  for (var t = 0u; t < HORIZON && tally.running; t++) {
    let observation = envObserve(state);
    mlpForward(observation);
    if (STORE_ACTIVATIONS && config.evaluating == 0u) {
      storeActivationRows(env, t, &activations);
    }
    let choice = policySample(randomUniform4(config.seed, env, t, iteration, STREAM_STEP), config.deterministic == 1u);
    advance(env, t, iteration, &state, observation, choice, &tally);
  }
  episodes[env] = Episode(tally.length, tally.totalReward, tally.entropySum, 0.0);
}

// Writes step t of an environment's episode.
fn recordStep(env: u32, t: u32, observation: array<vec4f, OBS4>, choice: PolicySample, reward: f32) {
  let sample = env * HORIZON + t;
  for (var k = 0u; k < OBS4; k++) {
    observations[sample * OBS4 + k] = observation[k];
  }
  for (var k = 0u; k < ACTION_WORDS; k++) {
    actions[sample * ACTION_WORDS + k] = actionWord(choice.action, k);
  }
  logProbs[sample] = choice.logProb;
  rewards[sample] = reward;
}

// One environment's running episode totals.
struct EpisodeTally {
  length: u32,
  totalReward: f32,
  entropySum: f32,
  running: bool,
}

// Steps a running environment with its chosen action and records the step; an ended one is left as it is.
fn advance(env: u32, t: u32, iteration: u32, state: ptr<function, EnvState>, observation: array<vec4f, OBS4>,
           choice: PolicySample, tally: ptr<function, EpisodeTally>) {
  if ((*tally).running) {
    let outcome = envStep(state, choice.action, randomUniform4(config.seed, env, t, iteration, STREAM_ENV));
    recordStep(env, t, observation, choice, outcome.x);
    (*tally).totalReward += outcome.x;
    (*tally).entropySum += choice.entropy;
    if (outcome.y != 0.0) {
      (*tally).length = t + 1u;
      (*tally).running = false;
    }
  }
}

// runEpisode for environments env and env + 1 in lockstep until both have ended; an ended one (or one past
// numEnvs) is carried along without being stepped or written. The loop ends for a whole subgroup at once
// (wholeSubgroup: the subgroup's weight loads are shared, mlpPair.wgsl).
fn runEpisodePair(env: u32) {
  let envB = env + 1u;
  let iteration = trainState.iteration;
  let deterministic = config.deterministic == 1u;
  var state = envReset(randomUniform4(config.seed, env, 0u, iteration, STREAM_RESET));
  var stateB = envReset(randomUniform4(config.seed, envB, 0u, iteration, STREAM_RESET));
  var tally = EpisodeTally(HORIZON, 0.0, 0.0, env < config.numEnvs);
  var tallyB = EpisodeTally(HORIZON, 0.0, 0.0, envB < config.numEnvs);
  if (PRIVATE_WEIGHT_LAYERS > 0u) {
    copyWeights();
  }
  for (var t = 0u; t < HORIZON; t++) {
    let observation = envObserve(state);
    let observationB = envObserve(stateB);
    if (PRIVATE_WEIGHT_LAYERS > 0u) {
      mlpForwardPairPrivate(observation, observationB);
    } else {
      mlpForwardPair(observation, observationB);
    }
    if (STORE_ACTIVATIONS && config.evaluating == 0u) {
      if (tally.running) {
        storeActivationRows(env, t, &activations);
      }
      if (tallyB.running) {
        storeActivationRows(envB, t, &activationsB);
      }
    }
    let choice = policySample(randomUniform4(config.seed, env, t, iteration, STREAM_STEP), deterministic);
    headSeesSecondSample();
    let choiceB = policySample(randomUniform4(config.seed, envB, t, iteration, STREAM_STEP), deterministic);
    advance(env, t, iteration, &state, observation, choice, &tally);
    advance(envB, t, iteration, &stateB, observationB, choiceB, &tallyB);
    if (wholeSubgroup(!tally.running && !tallyB.running)) {
      break;
    }
  }
  if (env < config.numEnvs) {
    episodes[env] = Episode(tally.length, tally.totalReward, tally.entropySum, 0.0);
  }
  if (envB < config.numEnvs) {
    episodes[envB] = Episode(tallyB.length, tallyB.totalReward, tallyB.entropySum, 0.0);
  }
}
