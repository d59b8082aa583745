// Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
// A draw is a pure function of (counter, key), so every environment and time step owns its own stream and a
// run is reproducible from its seed whatever the dispatch order. Checked against the Random123 known-answer
// vectors in test/philox.test.ts.
// Needs: nothing (includes common/preciseTrig.wgsl itself)
// Provides: PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1, mulHi32, philox4x32, uniform4, STREAM_* constants,
//   randomUniform4, standardNormal4; and, through its include, the names of common/preciseTrig.wgsl

#include "common/preciseTrig.wgsl"

const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u;
const PHILOX_W1: u32 = 0xBB67AE85u;

// High 32 bits of the 64-bit product a * b (WGSL has no 64-bit integers).
fn mulHi32(a: u32, b: u32) -> u32 {
  let aLo = a & 0xFFFFu;
  let aHi = a >> 16u;
  let bLo = b & 0xFFFFu;
  let bHi = b >> 16u;
  let lolo = aLo * bLo;
  let lohi = aLo * bHi;
  let hilo = aHi * bLo;
  let mid = (lolo >> 16u) + (lohi & 0xFFFFu) + (hilo & 0xFFFFu);
  return aHi * bHi + (lohi >> 16u) + (hilo >> 16u) + (mid >> 16u);
}

fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulHi32(PHILOX_M0, c.x);
    let lo0 = PHILOX_M0 * c.x;
    let hi1 = mulHi32(PHILOX_M1, c.z);
    let lo1 = PHILOX_M1 * c.z;
    c = vec4u(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k += vec2u(PHILOX_W0, PHILOX_W1);
  }
  return c;
}

// Four uniforms in the open interval (0, 1): the top 24 bits, centred, so log(u) is always finite.
fn uniform4(bits: vec4u) -> vec4f {
  return (vec4f(bits >> vec4u(8u)) + 0.5) * (1.0 / 16777216.0);
}

// Stream names for the counter's last word: each use of randomness draws from its own stream.
const STREAM_RESET: u32 = 0u;
const STREAM_STEP: u32 = 1u;   // the policy's action draw at each step
const STREAM_ENV: u32 = 2u;    // the environment's own randomness at each step
const STREAM_WATCH_RESET: u32 = 3u; // shaders/watch.wgsl: its agents' resets, actions and environment draws
const STREAM_WATCH_STEP: u32 = 4u;
const STREAM_WATCH_ENV: u32 = 5u;

// The random draw for (environment, time step, iteration, stream) under the run's seed.
fn randomUniform4(seed: u32, env: u32, step: u32, iteration: u32, stream: u32) -> vec4f {
  return uniform4(philox4x32(vec4u(env, step, iteration, stream), vec2u(seed, 0x5EEDu)));
}

// Four independent N(0, 1) draws from four U(0, 1) draws (Box-Muller; u is never 0, so log(u) is finite),
// with float32-accurate sin/cos so that environments that draw noise match their float64 references.
fn standardNormal4(u: vec4f) -> vec4f {
  let radius = sqrt(-2.0 * log(u.xz));
  let first = preciseSinCos(6.28318530717958648 * u.y);
  let second = preciseSinCos(6.28318530717958648 * u.w);
  return vec4f(radius.x * first.y, radius.x * first.x, radius.y * second.y, radius.y * second.x);
}
