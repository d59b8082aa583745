// The run the page keeps across a reload: its settings, its last checkpoint (trainer.readCheckpoint(), taken between
// iterations) and its learning curve up to that checkpoint, in localStorage under one key, written whole each time.
// A checkpoint of the demo's runs is small (on-policy: parameters and Adam's moments, base64; a few KB for a
// 32-unit network, ~70 KB for 64,64); the curve is thinned to at most MAX_POINTS points. When the browser will not
// store it (storage disabled, quota), saveRun says why and the page says the run will not survive a reload.
import type { Checkpoint } from '../src/index.js';
import { type Settings, settingsToQuery } from './settings.js';

export interface SavedRun {
  format: typeof FORMAT;
  settings: Settings;
  checkpoint: Checkpoint;
  /** The curve as Charts keeps it: columns iter, mean, min, max, entropy, gradNorm, up to checkpoint.iterations. */
  curve: number[][];
  /** Date.now() when saved. */
  savedAt: number;
}

const KEY = 'webgpu-reinforce.demo.run';
const FORMAT = 'webgpu-reinforce-demo-run-1';
const MAX_POINTS = 4000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kept run, or undefined when there is none or it is not one this page wrote (it is then dropped). */
export function loadRun(): SavedRun | undefined {
  let text: string | null;
  try {
    text = localStorage.getItem(KEY);
  } catch {
    return undefined;
  }
  if (text === null) return undefined;
  try {
    const run = JSON.parse(text) as SavedRun;
    const curve = run.curve;
    if (
      isRecord(run) &&
      run.format === FORMAT &&
      isRecord(run.settings) &&
      isRecord(run.checkpoint) &&
      Array.isArray(curve) &&
      curve.length === 6 &&
      curve.every((c) => Array.isArray(c) && c.length === curve[0]?.length)
    )
      return run;
  } catch {
    // not JSON: dropped below
  }
  clearRun();
  return undefined;
}

/** Keeps `run` (replacing the one kept); returns why it could not, or undefined when it is stored. */
export function saveRun(run: Omit<SavedRun, 'format'>): string | undefined {
  const whole: SavedRun = { format: FORMAT, ...run, curve: thinned(run.curve) };
  try {
    localStorage.setItem(KEY, JSON.stringify(whole));
    return undefined;
  } catch (error) {
    clearRun(); // an older checkpoint with a newer curve would not be the run
    return (error as Error).name === 'QuotaExceededError'
      ? `it is too large for this browser's storage (${Math.round(JSON.stringify(whole).length / 1024)} KB)`
      : `this browser refuses to store it (${(error as Error).message})`;
  }
}

export function clearRun(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // storage disabled: nothing is kept anyway
  }
}

export const sameSettings = (a: Settings, b: Settings) => settingsToQuery(a) === settingsToQuery(b);

/** The curve with at most MAX_POINTS points: halved (every other point dropped, the last
 *  one kept) until it fits. */
function thinned(curve: number[][]): number[][] {
  let columns = curve;
  while ((columns[0]?.length ?? 0) > MAX_POINTS) {
    const n = columns[0]?.length ?? 0;
    columns = columns.map((column) => column.filter((_, i) => i % 2 === 0 || i === n - 1));
  }
  return columns;
}
