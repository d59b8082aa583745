// A minimal page: the same engine as the CLI, training CartPole in the browser (the full demo is issue #5).
import { createTrainer, requestDevice } from '../src/index.js';

const adapterLine = document.getElementById('adapter') as HTMLElement;
const log = document.getElementById('log') as HTMLElement;
const statsElement = document.getElementById('stats') as HTMLElement;

async function run(): Promise<void> {
  const { device, adapterName } = await requestDevice();
  adapterLine.textContent = `adapter: ${adapterName}`;
  const params = new URLSearchParams(location.search);
  const trainer = await createTrainer({
    device,
    numEnvs: Number(params.get('envs') ?? 1024),
    seed: Number(params.get('seed') ?? 1),
  });
  for (let i = 0; i < 100; i++) {
    const s = await trainer.step();
    log.textContent += `iter ${s.iter}: mean return ${s.meanReturn.toFixed(1)}, ${Math.round(s.stepsPerSecond)} env-steps/s\n`;
    statsElement.dataset.stats = JSON.stringify({ ...s, adapter: adapterName });
    if (s.meanReturn >= 475) break;
  }
  trainer.destroy();
}

run().catch((error: Error) => {
  adapterLine.className = 'error';
  adapterLine.textContent = `${error.message}`;
});
