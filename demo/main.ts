// The demo page: thousands of environments training in the browser with the same engine as the CLI, 256 of
// them drawn from the GPU as they act, learning curves, controls, URL parameters, policy files.
// For scripts and tests, #stats[data-stats] always holds the latest statistics as JSON.
import {
  builtInEnvironments,
  type IterationStats,
  type PolicyFile,
  policyActivation,
  policyHidden,
  requestDevice,
  validatePolicy,
} from '../src/index.js';
import { Charts } from './charts.js';
import { Session } from './session.js';
import { readSettings, type Settings, settingsFromQuery, settingsToQuery, showSettings } from './settings.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('controls');
const canvas = $<HTMLCanvasElement>('agents');
const statsElement = $('stats');
const policyMessage = $('policy-message');
const buttons = {
  start: $<HTMLButtonElement>('start'),
  pause: $<HTMLButtonElement>('pause'),
  step: $<HTMLButtonElement>('step'),
  reset: $<HTMLButtonElement>('reset'),
  save: $<HTMLButtonElement>('save'),
};

let adapter = '–';
let session: Session | undefined;
let charts: Charts | undefined;
let latest: Partial<IterationStats> = {};
let status = 'starting';

function showProblem(text: string): void {
  const problem = $('problem');
  problem.textContent = text;
  problem.hidden = false;
  status = 'stopped';
  publish();
}

function publish(): void {
  const t = session?.trainer;
  const data = {
    ...latest,
    adapter,
    status,
    running: session?.isRunning ?? false,
    env: t?.options.env.name,
    numEnvs: t?.options.numEnvs,
  };
  statsElement.dataset.stats = JSON.stringify(data);
  $('stat-iter').textContent = String(latest.iter ?? 0);
  $('stat-return').textContent = latest.meanReturn === undefined ? '–' : latest.meanReturn.toFixed(1);
  $('stat-speed').textContent =
    latest.stepsPerSecond === undefined ? '–' : Math.round(latest.stepsPerSecond).toLocaleString('en-US');
  $('stat-status').textContent = status;
  $('stat-adapter').textContent = adapter;
  buttons.start.disabled = !session || session.isRunning;
  buttons.pause.disabled = !session?.isRunning;
  buttons.step.disabled = !session || session.isRunning;
}

function message(text: string, isError = false): void {
  policyMessage.textContent = text;
  policyMessage.className = isError ? 'message error' : 'message';
}

async function startSession(device: GPUDevice, settings: Settings, policy?: PolicyFile): Promise<void> {
  const previous = session;
  session = undefined;
  await previous?.destroy();
  latest = {};
  charts?.clear();
  status = 'compiling';
  publish();
  session = await Session.create(
    device,
    canvas,
    settings,
    {
      stats: (s) => {
        latest = s;
        charts?.push(s);
        publish();
      },
      status: (running) => {
        status = running ? 'training' : 'paused';
        publish();
      },
      failure: (error) => showProblem(`Training stopped: ${error.message}`),
    },
    policy,
  );
  $('env-count').textContent = String(settings.envs);
  $<HTMLAnchorElement>('permalink').href = settingsToQuery(settings);
  status = 'paused';
  publish();
}

async function main(): Promise<void> {
  if (!('gpu' in navigator)) {
    showProblem(
      'This browser has no WebGPU (navigator.gpu is missing), so nothing can run here. Use a current Chrome, Edge or ' +
        'Firefox with WebGPU enabled, served over https or from localhost.',
    );
    return;
  }
  for (const name of Object.keys(builtInEnvironments)) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    $<HTMLSelectElement>('env').append(option);
  }
  const query = new URLSearchParams(location.search);
  let settings = settingsFromQuery(query);
  showSettings(form, settings);
  charts = new Charts($('chart-return'), $('chart-entropy'), $('chart-grad'));

  let acquired: Awaited<ReturnType<typeof requestDevice>>;
  try {
    acquired = await requestDevice();
  } catch (error) {
    showProblem(`No WebGPU adapter: ${(error as Error).message}. Try another browser, enable WebGPU, or update your GPU driver.`);
    return;
  }
  const { device } = acquired;
  adapter = acquired.adapterName + (acquired.softwareAdapter ? ' (software fallback: CPU speed)' : '');
  device.lost.then((info) =>
    showProblem(`The GPU device was lost (${info.message || info.reason}). Reload the page to start again.`),
  );

  const run = async (next: Settings, policy?: PolicyFile) => {
    try {
      await startSession(device, next, policy);
      settings = next;
      history.replaceState(null, '', settingsToQuery(next));
      return true;
    } catch (error) {
      message(`Could not start: ${(error as Error).message}`, true);
      status = 'stopped';
      publish();
      return false;
    }
  };

  buttons.start.onclick = () => session?.start();
  buttons.pause.onclick = () => session?.pause();
  buttons.step.onclick = () => session?.stepOnce().catch((error: Error) => showProblem(`Training stopped: ${error.message}`));
  buttons.reset.onclick = () => {
    message('');
    void run(readSettings(form));
  };
  buttons.save.onclick = async () => {
    if (!session) return;
    const policy = await session.trainer.readPolicy();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(policy)], { type: 'application/json' }));
    link.download = `policy-${policy.env}-iter${latest.iter ?? 0}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
    message(`Saved ${link.download}.`);
  };
  $<HTMLInputElement>('load').onchange = async (event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    let policy: PolicyFile;
    try {
      policy = validatePolicy(JSON.parse(await file.text()), file.name);
      if (!(policy.env in builtInEnvironments))
        throw new Error(`${file.name}: environment "${policy.env}" is not one this page knows`);
    } catch (error) {
      message(`Could not load the policy: ${(error as Error).message}`, true);
      return;
    }
    const next: Settings = { ...readSettings(form), env: policy.env, hidden: policyHidden(policy) };
    showSettings(form, next);
    if (await run(next, policy)) {
      message(
        `Loaded ${file.name} (${policy.env}, hidden ${next.hidden.join(',') || 'none'} ${policyActivation(policy)}): watch it act, or Start to train it further.`,
      );
    }
  };

  if (await run(settings)) {
    if (query.get('autostart') === '1') session?.start();
  }
}

main().catch((error: Error) => showProblem(`Something went wrong: ${error.message}`));
