// The demo's settings: read from URL parameters (so a link reproduces a run), shown in and read from the form,
// written back to the URL. Validation is the engine's own (createTrainer names the field at fault).
import type { BaselineKind } from '../src/index.js';

export interface Settings {
  env: string;
  envs: number;
  hidden: number[];
  lr: number;
  baseline: BaselineKind;
  rewardToGo: boolean;
  gamma: number;
  seed: number;
}

export const defaults: Settings = {
  env: 'cartpole',
  envs: 1024,
  hidden: [32],
  lr: 0.02,
  baseline: 'perTimestepLeaveOneOut',
  rewardToGo: true,
  gamma: 1,
  seed: 1,
};

const hiddenText = (hidden: number[]) => (hidden.length === 0 ? 'none' : hidden.join(','));
/** "64,64" -> [64, 64]; "none" or "" -> []; anything else -> NaN entries the engine refuses by name. */
const parseHidden = (text: string) => (/^\s*(none)?\s*$/.test(text) ? [] : text.split(',').map((h) => Number(h.trim())));
const parseNumber = (text: string | null, fallback: number) => (text === null || text.trim() === '' ? fallback : Number(text));

export function settingsFromQuery(query: URLSearchParams): Settings {
  return {
    env: query.get('env') ?? defaults.env,
    envs: parseNumber(query.get('envs'), defaults.envs),
    hidden: query.has('hidden') ? parseHidden(query.get('hidden') as string) : defaults.hidden,
    lr: parseNumber(query.get('lr'), defaults.lr),
    baseline: (query.get('baseline') ?? defaults.baseline) as BaselineKind,
    rewardToGo: query.has('rewardToGo')
      ? !['0', 'false', 'off'].includes(query.get('rewardToGo') as string)
      : defaults.rewardToGo,
    gamma: parseNumber(query.get('gamma'), defaults.gamma),
    seed: parseNumber(query.get('seed'), defaults.seed),
  };
}

export function settingsToQuery(s: Settings, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    env: s.env,
    envs: String(s.envs),
    hidden: hiddenText(s.hidden),
    lr: String(s.lr),
    baseline: s.baseline,
    rewardToGo: s.rewardToGo ? '1' : '0',
    gamma: String(s.gamma),
    seed: String(s.seed),
    ...extra,
  });
  return `?${query}`;
}

const field = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;

export function showSettings(form: HTMLFormElement, s: Settings): void {
  field(form, 'env').value = s.env;
  field(form, 'envs').value = String(s.envs);
  field(form, 'hidden').value = hiddenText(s.hidden);
  field(form, 'lr').value = String(s.lr);
  field(form, 'baseline').value = s.baseline;
  (field(form, 'rewardToGo') as HTMLInputElement).checked = s.rewardToGo;
  field(form, 'gamma').value = String(s.gamma);
  field(form, 'seed').value = String(s.seed);
}

export function readSettings(form: HTMLFormElement): Settings {
  return {
    env: field(form, 'env').value,
    envs: parseNumber(field(form, 'envs').value, defaults.envs),
    hidden: parseHidden(field(form, 'hidden').value),
    lr: parseNumber(field(form, 'lr').value, defaults.lr),
    baseline: field(form, 'baseline').value as BaselineKind,
    rewardToGo: (field(form, 'rewardToGo') as HTMLInputElement).checked,
    gamma: parseNumber(field(form, 'gamma').value, defaults.gamma),
    seed: parseNumber(field(form, 'seed').value, defaults.seed),
  };
}
