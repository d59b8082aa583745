// A strict TypeScript consumer of the packed package: it must type-check against the shipped .d.ts alone.
import {
  type ActOptions,
  createPolicyRunner,
  createTrainer,
  type EnvironmentDescriptor,
  type IterationStats,
  liveBuffers,
  type PolicyFile,
  ReinforceError,
  requestDevice,
  type TrainerOptions,
} from 'webgpu-reinforce';

export async function run(): Promise<number> {
  const { device, adapterName, softwareAdapter }: { device: GPUDevice; adapterName: string; softwareAdapter: boolean } =
    await requestDevice();
  const options: TrainerOptions = { device, env: 'cartpole', numEnvs: 64, hidden: [8], baseline: 'optimal', epochs: 2, reuse: 2 };
  const trainer = await createTrainer(options);
  const stats: IterationStats = await trainer.step();
  const encoder: GPUCommandEncoder = device.createCommandEncoder();
  trainer.encodeStep(encoder);
  device.queue.submit([encoder.finish()]);
  const policy: PolicyFile = await trainer.readPolicy();
  const runner = await createPolicyRunner({ device, policy, seed: 2 });
  const act: ActOptions = {
    observations: device.createBuffer({ size: 64, usage: GPUBufferUsage.STORAGE }),
    actions: device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE }),
    count: 4,
  };
  runner.encodeAct(device.createCommandEncoder(), act);
  const actions: Float32Array | Uint32Array = await runner.act(new Float32Array(8));
  const mine: EnvironmentDescriptor = {
    name: 'mine',
    obsDim: 2,
    action: { kind: 'gaussian', dim: 1, low: [-1], high: [1] },
    horizon: 10,
    shader: { source: '' },
  };
  try {
    await createTrainer({ device, env: mine });
  } catch (error) {
    if (!(error instanceof ReinforceError) || typeof error.code !== 'string') throw error;
  }
  trainer.destroy();
  runner.destroy();
  return stats.iter + actions.length + liveBuffers(device) + (softwareAdapter ? 0 : 1) + adapterName.length + mine.obsDim;
}
