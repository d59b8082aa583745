// Embedding in Node: train CartPole on a device of our own, save the policy, then run it with the policy runner,
// on the CPU (act) and on GPU buffers this script owns (encodeAct). Run it from a project that installed
// webgpu-reinforce and webgpu:   node train-and-act.mjs [policy.json]
// The last line printed is a JSON summary.
import { writeFileSync } from 'node:fs';
import { createPolicyRunner, createTrainer, requestDevice } from 'webgpu-reinforce';

const { device, adapterName } = await requestDevice();
const trainer = await createTrainer({ device, env: 'cartpole', numEnvs: 512, hidden: [16], lr: 0.05, seed: 3 });
const returns = [];
let pending = trainer.step();
for (let i = 0; i < 12; i++) {
  const next = i < 11 ? trainer.step() : undefined; // keep the GPU busy while the statistics come back
  const stats = await pending;
  returns.push(stats.meanReturn);
  console.log(`iteration ${stats.iter}: mean return ${stats.meanReturn.toFixed(1)}`);
  if (!next) break;
  pending = next;
}
const policy = await trainer.readPolicy();
trainer.destroy(); // releases the trainer's buffers; our device stays ours
writeFileSync(process.argv[2] ?? 'policy.json', JSON.stringify(policy));

const runner = await createPolicyRunner({ device, policy });
// CPU callers: observations in, actions out (x, x_dot, theta, theta_dot per row).
const observations = new Float32Array([0, 0, 0.1, 0.5, 0, 0, -0.1, -0.5]);
const cpuActions = await runner.act(observations, { deterministic: true });

// GPU callers: our own buffers, recorded into our own encoder, no copy through JavaScript on the way.
const input = device.createBuffer({ size: observations.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
const output = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(input, 0, observations);
const encoder = device.createCommandEncoder();
runner.encodeAct(encoder, { observations: input, actions: output, count: 2, deterministic: true });
encoder.copyBufferToBuffer(output, 0, readback, 0, 8);
device.queue.submit([encoder.finish()]);
await readback.mapAsync(GPUMapMode.READ);
const gpuActions = Array.from(new Uint32Array(readback.getMappedRange(), 0, 2));
readback.unmap();
runner.destroy();

console.log(JSON.stringify({ adapter: adapterName, returns, cpuActions: Array.from(cpuActions), gpuActions }));
for (const buffer of [input, output, readback]) buffer.destroy();
device.destroy();
