// The demo page: thousands of environments training in the browser with the same engine as the CLI, 256 of
// them drawn from the GPU as they act, learning curves, controls, URL parameters, policy files.
// The run is kept across a reload (savedRun.ts: settings, last checkpoint, curve) and continued when the page comes
// back with the same settings; a lost GPU device stops it with a button that continues it on a new device.
// For scripts and tests, #stats[data-stats] always holds the latest statistics as JSON, and window.demoDevice is
// the device the page trains on.
// Over 300 lines on purpose: the page's one controller, whose state (device, session, kept run, status) every handler
// shares; what has a job of its own lives beside it (session.ts, savedRun.ts, charts.ts, settings.ts, agentView.ts).
import {
  builtInEnvironments,
  type IterationStats,
  type PolicyFile,
  policyActivation,
  policyHidden,
  ReinforceError,
  requestDevice,
  validatePolicy,
} from '../src/index.js';
import { Charts } from './charts.js';
import { clearRun, loadRun, type SavedRun, sameSettings, saveRun } from './savedRun.js';
import { Session, type SessionSource } from './session.js';
import { readSettings, type Settings, settingsFromQuery, settingsToQuery, showSettings } from './settings.js';

declare global {
  interface Window {
    /** The device the page trains on (replaced when a lost one is restarted). */
    demoDevice?: GPUDevice;
  }
}

type KeptRun = Omit<SavedRun, 'format'>;
/** Query parameters that are settings: a link with any of them asks for those settings. */
const SETTING_PARAMETERS = ['env', 'envs', 'hidden', 'lr', 'baseline', 'rewardToGo', 'gamma', 'seed'];

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
  restart: $<HTMLButtonElement>('restart'),
  fresh: $<HTMLButtonElement>('fresh'),
  continueSaved: $<HTMLButtonElement>('continue-saved'),
};

let adapter = '–';
let device: GPUDevice | undefined;
let session: Session | undefined;
let charts: Charts | undefined;
let latest: Partial<IterationStats> = {};
let status = 'starting';
/** The current run's last checkpoint, with its settings and curve (stored too, unless storageProblem). */
let kept: KeptRun | undefined;
let storageProblem: string | undefined;
/** The iteration the current session continued from (a reload or a new device), if it did. */
let continuedFrom: number | undefined;
/** Why the device was lost, while it is. */
let lostDetail: string | undefined;

/** Shows `text` as the page's problem; with `restartLabel`, the restart button too. */
function showProblem(text: string, restartLabel?: string): void {
  $('problem-text').textContent = text;
  $('problem').hidden = false;
  buttons.restart.hidden = restartLabel === undefined;
  buttons.restart.textContent = restartLabel ?? '';
  status = 'stopped';
  publish();
}

function hideProblem(): void {
  $('problem').hidden = true;
  buttons.restart.hidden = true;
}

/** The line above the page about where the run came from; `offer` shows "Start fresh" or "Continue it". */
function note(text: string, offer?: 'fresh' | 'continue'): void {
  $('run-note-text').textContent = text;
  $('run-note').hidden = text === '';
  buttons.fresh.hidden = offer !== 'fresh';
  buttons.continueSaved.hidden = offer !== 'continue';
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
    savedIter: kept?.checkpoint.iterations,
    stored: kept !== undefined && storageProblem === undefined,
    continuedFrom,
    curvePoints: charts?.points ?? 0,
    deviceLost: lostDetail !== undefined,
  };
  statsElement.dataset.stats = JSON.stringify(data);
  $('stat-iter').textContent = String(latest.iter ?? 0);
  $('stat-return').textContent = latest.meanReturn === undefined ? '–' : latest.meanReturn.toFixed(1);
  $('stat-speed').textContent =
    latest.stepsPerSecond === undefined ? '–' : Math.round(latest.stepsPerSecond).toLocaleString('en-US');
  $('stat-status').textContent = status;
  $('stat-adapter').textContent = adapter;
  const usable = session !== undefined && lostDetail === undefined;
  buttons.start.disabled = !usable || session?.isRunning === true;
  buttons.pause.disabled = !usable || !session?.isRunning;
  buttons.step.disabled = !usable || session?.isRunning === true;
  buttons.save.disabled = !usable;
  $('saved-note').textContent = !kept
    ? 'Nothing saved yet: the run is kept across a reload from its first checkpoint (every 2 s of training, on Pause).'
    : storageProblem
      ? `Not kept across a reload: ${storageProblem}.`
      : `Kept across a reload: iteration ${kept.checkpoint.iterations}.`;
}

function message(text: string, isError = false): void {
  policyMessage.textContent = text;
  policyMessage.className = isError ? 'message error' : 'message';
}

/** Stops training on a lost device and offers to continue from the last checkpoint on a new one. */
function deviceLost(detail: string): void {
  if (lostDetail !== undefined) return;
  lostDetail = detail;
  session?.pause();
  const from = kept ? `iteration ${kept.checkpoint.iterations}` : 'the start (nothing was saved yet)';
  showProblem(
    `The GPU device was lost (${detail}), so training stopped at iteration ${latest.iter ?? 0}.`,
    `Restart on a new device from ${from}`,
  );
}

/** A failed step or checkpoint: a lost device (said so by the error, or by the device within a second: a read in
 *  flight can fail with the browser's AbortError first) or a problem that stops this run. */
async function failure(error: Error): Promise<void> {
  if (error instanceof ReinforceError && error.code === 'DEVICE_LOST') return deviceLost(error.message);
  const lost = device?.lost.then(() => true);
  if (lost && (await Promise.race([lost, new Promise((resolve) => setTimeout(() => resolve(false), 1000))]))) return;
  showProblem(`Training stopped: ${error.message}`);
}

/** A device for the page (replacing a lost one), watched for loss. */
async function acquireDevice(): Promise<GPUDevice> {
  const acquired = await requestDevice();
  const next = acquired.device;
  adapter = acquired.adapterName + (acquired.softwareAdapter ? ' (software fallback: CPU speed)' : '');
  device = next;
  window.demoDevice = next;
  lostDetail = undefined;
  next.lost.then((info) => {
    if (device === next) deviceLost(info.message || info.reason);
  });
  return next;
}

/** Forgets the kept run (a new one starts): a reload no longer continues it. */
function forgetRun(): void {
  clearRun();
  kept = undefined;
  storageProblem = undefined;
  note('');
}

/** Keeps the current run's checkpoint, with its settings and its curve up to that checkpoint. */
function keep(settings: Settings, checkpoint: KeptRun['checkpoint']): void {
  kept = { settings, checkpoint, curve: charts?.snapshot(checkpoint.iterations) ?? [], savedAt: Date.now() };
  storageProblem = saveRun(kept);
  if (!buttons.continueSaved.hidden) note(''); // the run offered is replaced by this one
  publish();
}

async function startSession(
  device: GPUDevice,
  settings: Settings,
  source: SessionSource & { curve?: number[][] } = {},
): Promise<void> {
  const previous = session;
  session = undefined;
  await previous?.destroy();
  latest = {};
  charts?.clear();
  continuedFrom = undefined;
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
      failure: (error) => void failure(error),
      checkpoint: (checkpoint) => keep(settings, checkpoint),
    },
    source,
  );
  if (source.checkpoint) {
    continuedFrom = source.checkpoint.iterations;
    const curve = source.curve ?? [];
    charts?.restore(curve);
    const last = (k: number) => curve[k]?.at(-1);
    latest =
      last(0) === undefined
        ? { iter: continuedFrom }
        : { iter: last(0), meanReturn: last(1), minReturn: last(2), maxReturn: last(3), entropy: last(4), gradNorm: last(5) };
  }
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

  try {
    await acquireDevice();
  } catch (error) {
    showProblem(`No WebGPU adapter: ${(error as Error).message}. Try another browser, enable WebGPU, or update your GPU driver.`);
    return;
  }

  /** A new run (from the settings, or a policy file); on a new device first if the page's was lost. */
  const run = async (next: Settings, policy?: PolicyFile) => {
    try {
      if (lostDetail !== undefined || !device) await acquireDevice();
      hideProblem();
      await startSession(device as GPUDevice, next, { policy });
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

  /** Continues a kept run from its checkpoint, with its curve; says so on the page. */
  const resume = async (saved: KeptRun, how: string) => {
    try {
      await startSession(device as GPUDevice, saved.settings, { checkpoint: saved.checkpoint, curve: saved.curve });
      kept = saved;
      settings = saved.settings;
      showSettings(form, saved.settings);
      history.replaceState(null, '', settingsToQuery(saved.settings));
      note(`Continued from iteration ${saved.checkpoint.iterations} (${how}).`, 'fresh');
      publish();
      return true;
    } catch (error) {
      forgetRun();
      message(`The saved run could not be continued: ${(error as Error).message}`, true);
      return false;
    }
  };

  buttons.start.onclick = () => session?.start();
  buttons.pause.onclick = () => session?.pause();
  buttons.step.onclick = () => session?.stepOnce().catch(failure);
  buttons.reset.onclick = () => {
    message('');
    forgetRun();
    void run(readSettings(form));
  };
  buttons.fresh.onclick = () => {
    message('');
    const current = session?.settings ?? settings;
    forgetRun();
    showSettings(form, current);
    void run(current);
  };
  buttons.restart.onclick = async () => {
    buttons.restart.disabled = true;
    hideProblem();
    status = 'starting';
    publish();
    try {
      await acquireDevice();
      const saved = kept;
      if (!saved || !(await resume(saved, 'the last checkpoint, on a new device'))) await run(session?.settings ?? settings);
      session?.start();
    } catch (error) {
      showProblem(`Could not restart on a new device: ${(error as Error).message}`, 'Try again');
    } finally {
      buttons.restart.disabled = false;
    }
  };
  // Best effort: a checkpoint when the page is hidden or closed (a closing page may not wait for the GPU; the
  // last one, at most 2 s of training old, is stored already).
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') session?.requestCheckpoint();
  });
  addEventListener('pagehide', () => session?.requestCheckpoint());
  buttons.save.onclick = async () => {
    if (!session) return;
    let policy: PolicyFile;
    try {
      policy = await session.trainer.readPolicy();
    } catch (error) {
      message(`Could not read the policy: ${(error as Error).message}`, true);
      return;
    }
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
    forgetRun();
    if (await run(next, policy)) {
      session?.checkpointNow(); // so that a reload keeps the loaded policy
      message(
        `Loaded ${file.name} (${policy.env}, hidden ${next.hidden.join(',') || 'none'} ${policyActivation(policy)}): watch it act, or Start to train it further.`,
      );
    }
  };

  // A kept run is continued when the page asks for no other settings (a reload keeps the run's in the URL);
  // otherwise it is offered, until the new run replaces it with its first checkpoint.
  const saved = loadRun();
  const asked = SETTING_PARAMETERS.some((name) => query.has(name));
  let started: boolean;
  if (saved && (!asked || sameSettings(settings, saved.settings))) {
    started = (await resume(saved, `saved ${new Date(saved.savedAt).toLocaleTimeString()}`)) || (await run(settings));
  } else {
    started = await run(settings);
    if (started && saved) {
      buttons.continueSaved.onclick = () => {
        message('');
        void resume(saved, `saved ${new Date(saved.savedAt).toLocaleTimeString()}`);
      };
      note(
        `A run saved earlier (${saved.settings.env}, ${saved.settings.envs} environments, iteration ` +
          `${saved.checkpoint.iterations}) is kept until this one saves its first checkpoint.`,
        'continue',
      );
    }
  }
  if (started && query.get('autostart') === '1') session?.start();
}

main().catch((error: Error) => showProblem(`Something went wrong: ${error.message}`));
