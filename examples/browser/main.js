// An app that owns its WebGPU device and a render loop. It trains a CartPole policy in the background between
// frames (one iteration in flight at a time, never awaited by the loop), and every frame moves its own 16
// carts with the latest policy: observations written into its own GPU buffer, actions by encodeAct into
// another, in its own command encoder. Progress is kept on document.body.dataset for scripts.
import { createPolicyRunner, createTrainer, requestDevice } from 'webgpu-reinforce';

const AGENTS = 16;
const status = document.getElementById('status');
const context = document.getElementById('world').getContext('2d');

const { device, adapterName } = await requestDevice();
const trainer = await createTrainer({ device, env: 'cartpole', numEnvs: 256, hidden: [16], lr: 0.05, seed: 3 });
const runner = await createPolicyRunner({ device, policy: await trainer.readPolicy() });
let training = undefined;
let iterations = 0;
let meanReturn = 0;

function trainInBackground() {
  if (training) return;
  training = trainer.step().then(async (stats) => {
    iterations = stats.iter;
    meanReturn = stats.meanReturn;
    // The newer parameters for the app's own agents (same network: no recompilation).
    runner.updatePolicy(await trainer.readPolicy());
    training = undefined;
  });
}

// The app's own agents: CartPole dynamics (Euler, as Gymnasium) on the CPU, 16 of them.
const carts = Array.from({ length: AGENTS }, () => [0, 0, (Math.random() - 0.5) * 0.1, 0]);
function stepCart(s, action) {
  const [x, v, theta, omega] = s;
  const force = action === 1 ? 10 : -10;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + 0.05 * omega * omega * sin) / 1.1;
  const alpha = (9.8 * sin - cos * temp) / (0.5 * (4 / 3 - (0.1 * cos * cos) / 1.1));
  const a = temp - (0.05 * alpha * cos) / 1.1;
  const next = [x + 0.02 * v, v + 0.02 * a, theta + 0.02 * omega, omega + 0.02 * alpha];
  return Math.abs(next[0]) > 2.4 || Math.abs(next[2]) > 0.2095 ? [0, 0, (Math.random() - 0.5) * 0.1, 0] : next;
}

const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
const observations = device.createBuffer({ size: AGENTS * 16, usage });
const actions = device.createBuffer({ size: AGENTS * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const readback = device.createBuffer({ size: AGENTS * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
let frames = 0;
let mapping = false;

async function frame() {
  trainInBackground();
  if (!mapping) {
    mapping = true;
    device.queue.writeBuffer(observations, 0, new Float32Array(carts.flat()));
    const encoder = device.createCommandEncoder({ label: 'app frame' });
    runner.encodeAct(encoder, { observations, actions, count: AGENTS, deterministic: true });
    encoder.copyBufferToBuffer(actions, 0, readback, 0, AGENTS * 4);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const chosen = new Uint32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    carts.forEach((s, i) => {
      carts[i] = stepCart(s, chosen[i]);
    });
    mapping = false;
    frames++;
  }
  draw();
  document.body.dataset.frames = String(frames);
  document.body.dataset.iterations = String(iterations);
  document.body.dataset.meanReturn = String(meanReturn);
  status.textContent = `${adapterName}: ${frames} frames, ${iterations} training iterations, mean return ${meanReturn.toFixed(1)}`;
  requestAnimationFrame(frame);
}

function draw() {
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 640, 200);
  carts.forEach(([x, , theta], i) => {
    const cx = 20 + (i % 8) * 78 + 39 + (x / 2.4) * 30;
    const cy = 80 + Math.floor(i / 8) * 95;
    context.fillStyle = '#2a5bbf';
    context.fillRect(cx - 10, cy, 20, 8);
    context.strokeStyle = '#2e7d32';
    context.lineWidth = 3;
    context.beginPath();
    context.moveTo(cx, cy);
    context.lineTo(cx + 45 * Math.sin(theta), cy - 45 * Math.cos(theta));
    context.stroke();
  });
}

requestAnimationFrame(frame);
