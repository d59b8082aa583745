// The browser demo end to end, in headless Chromium on SwiftShader (puppeteer-core), served by Vite from
// 127.0.0.1: it loads without console errors, trains with ?autostart=1 and the mean return rises, accepts a
// policy file and rejects a corrupt one with a visible message, keeps its run across a reload (continued from the
// saved iteration, curve kept), offers to restart on a new device when its device is lost (device.destroy() from the
// page) and continues from the last checkpoint, and says plainly when WebGPU is missing.
// Screenshots are saved to test/artifacts/demo*.png (gitignored) to look at.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialPolicy } from '../src/index.js';
import { launchBrowser, serveDemo } from './helpers/browser.js';

interface PageStats {
  iter?: number;
  meanReturn?: number;
  stepsPerSecond?: number;
  adapter?: string;
  status?: string;
  env?: string;
  numEnvs?: number;
  running?: boolean;
  savedIter?: number;
  stored?: boolean;
  continuedFrom?: number;
  curvePoints?: number;
  deviceLost?: boolean;
}

let server: ViteDevServer | undefined;
let url = '';
let browser: Browser | undefined;
const dir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-demo-'));
const artifacts = new URL('./artifacts/', import.meta.url).pathname;

beforeAll(async () => {
  ({ server, url } = await serveDemo());
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

const readStats = async (page: Page): Promise<PageStats> =>
  JSON.parse((await page.$eval('#stats', (e) => (e as HTMLElement).dataset.stats)) ?? '{}');

/** Polls #stats[data-stats] until `done`, returning every distinct iteration seen. */
async function statsUntil(page: Page, done: (s: PageStats) => boolean, timeoutMs: number): Promise<PageStats[]> {
  const seen: PageStats[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await readStats(page);
    if (s.iter !== undefined && s.iter !== seen.at(-1)?.iter) seen.push(s);
    if (done(s)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const said = await page.evaluate(() =>
    ['problem', 'policy-message', 'run-note'].map((id) => `#${id}: ${document.getElementById(id)?.textContent?.trim()}`),
  );
  throw new Error(`timed out; last stats: ${JSON.stringify(await readStats(page))}; ${said.join('; ')}`);
}

describe('browser demo', () => {
  it('trains with ?autostart=1: the mean return rises, no console errors; screenshot saved', async () => {
    const page = await (browser as Browser).newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}?autostart=1&env=cartpole&envs=256&hidden=16&lr=0.05&seed=3`);
    const seen = await statsUntil(page, (s) => (s.iter ?? 0) >= 12, 240_000);
    const first = seen[0] as PageStats;
    const last = seen.at(-1) as PageStats;
    // Fixed seed: a near-uniform policy balances ~20 steps; after 12 iterations of 256 episodes it is far better.
    expect(first.meanReturn).toBeLessThan(60);
    expect(last.meanReturn).toBeGreaterThan((first.meanReturn as number) + 100);
    expect(last.adapter).toMatch(/swiftshader|\w/i);
    expect(last.stepsPerSecond).toBeGreaterThan(0);
    expect(last.stepsPerSecond).toBeLessThan(1e9);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'demo.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('accepts a policy file (and watches it act) and rejects a corrupt one with a visible message', async () => {
    const page = await (browser as Browser).newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}?envs=64&hidden=8`);
    await statsUntil(page, (s) => s.status === 'paused', 120_000);

    const good = join(dir, 'acrobot-policy.json');
    writeFileSync(
      good,
      JSON.stringify(
        initialPolicy({
          env: 'acrobot',
          obsDim: 6,
          action: { kind: 'categorical', n: 3 },
          hidden: [8],
          activation: 'tanh',
          seed: 2,
        }),
      ),
    );
    const input = await page.$('input#load');
    await input?.uploadFile(good);
    await page.waitForFunction(() => document.getElementById('policy-message')?.textContent?.startsWith('Loaded'), {
      timeout: 120_000,
    });
    expect((await readStats(page)).env).toBe('acrobot');
    expect(await page.$eval('#env', (e) => (e as HTMLSelectElement).value)).toBe('acrobot');

    const corrupt = join(dir, 'corrupt-policy.json');
    writeFileSync(
      corrupt,
      JSON.stringify({
        format: 'webgpu-reinforce.policy',
        version: 1,
        env: 'cartpole',
        obsDim: 4,
        action: { kind: 'categorical', n: 2 },
      }),
    );
    await (await page.$('input#load'))?.uploadFile(corrupt);
    await page.waitForFunction(() => document.getElementById('policy-message')?.classList.contains('error'), { timeout: 30_000 });
    const text = await page.$eval('#policy-message', (e) => e.textContent ?? '');
    expect(text).toContain('Could not load the policy');
    expect(text).toContain('layers');
    expect(await page.$eval('#policy-message', (e) => getComputedStyle(e).display)).not.toBe('none');
    // The loaded policy stays in place.
    expect((await readStats(page)).env).toBe('acrobot');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps its run across a reload: continued from the saved iteration, curve kept; "Start fresh" forgets it', async () => {
    // A context of its own: its own localStorage.
    const context = await (browser as Browser).createBrowserContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}?autostart=1&env=cartpole&envs=64&hidden=8&lr=0.05&seed=4`);
    const saved = (await statsUntil(page, (s) => (s.savedIter ?? 0) >= 3, 180_000)).at(-1) as PageStats;
    expect(saved.stored).toBe(true);

    await page.reload(); // the URL now holds the run's settings (no autostart): it continues, paused
    await statsUntil(page, (s) => s.status === 'paused' && s.continuedFrom !== undefined, 180_000);
    const resumed = await readStats(page);
    const k = resumed.continuedFrom as number;
    expect(k).toBeGreaterThanOrEqual(saved.savedIter as number);
    expect(resumed).toMatchObject({ iter: k, curvePoints: k, savedIter: k, env: 'cartpole', numEnvs: 64 });
    expect(await page.$eval('#run-note', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#run-note-text', (e) => e.textContent)).toContain(`Continued from iteration ${k}`);
    expect(await page.$eval('#stat-iter', (e) => e.textContent)).toBe(String(k));
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'demo-continued.png') });

    // The iteration counter and the curve go on from there.
    await page.click('#step');
    await statsUntil(page, (s) => s.iter === k + 1 && s.savedIter === k + 1, 120_000);
    expect((await readStats(page)).curvePoints).toBe(k + 1);

    // "Start fresh": a new run from iteration 0 with the same settings, and a reload no longer continues.
    await page.click('#fresh');
    await statsUntil(page, (s) => s.status === 'paused' && s.curvePoints === 0 && s.savedIter === undefined, 120_000);
    expect(await page.$eval('#run-note', (e) => (e as HTMLElement).hidden)).toBe(true);
    await page.reload();
    await statsUntil(page, (s) => s.status === 'paused', 120_000);
    const fresh = await readStats(page);
    expect(fresh.continuedFrom).toBeUndefined();
    expect(fresh.curvePoints).toBe(0);
    expect(fresh.numEnvs).toBe(64);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when its device is lost: stops, says so, and "Restart" continues from the last checkpoint on a new device', async () => {
    const context = await (browser as Browser).createBrowserContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}?autostart=1&env=cartpole&envs=64&hidden=8&lr=0.05&seed=6`);
    await statsUntil(page, (s) => (s.savedIter ?? 0) >= 2, 180_000);
    await page.evaluate(() => {
      (window as { lostDevice?: GPUDevice }).lostDevice = window.demoDevice;
      window.demoDevice?.destroy();
    });
    await page.waitForFunction(() => document.getElementById('restart')?.hidden === false, { timeout: 60_000 });
    const stopped = await readStats(page);
    expect(stopped).toMatchObject({ status: 'stopped', running: false, deviceLost: true });
    const k = stopped.savedIter as number;
    expect(await page.$eval('#problem-text', (e) => e.textContent)).toMatch(
      new RegExp(`^The GPU device was lost (.+), so training stopped at iteration ${stopped.iter}.$`),
    );
    expect(await page.$eval('#restart', (e) => e.textContent)).toBe(`Restart on a new device from iteration ${k}`);
    for (const id of ['#start', '#step', '#save'])
      expect(await page.$eval(id, (e) => (e as HTMLButtonElement).disabled), `${id} disabled`).toBe(true);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'demo-device-lost.png') });
    // Nothing hangs or goes on behind the message.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await readStats(page)).toMatchObject({ iter: stopped.iter, status: 'stopped' });

    await page.click('#restart');
    await statsUntil(page, (s) => s.status === 'training' && (s.iter ?? 0) >= k + 2, 180_000);
    const after = await readStats(page);
    expect(after).toMatchObject({ continuedFrom: k, deviceLost: false, running: true });
    expect(after.curvePoints).toBe(after.iter); // the curve went back to the checkpoint, then on
    expect(await page.$eval('#problem', (e) => (e as HTMLElement).hidden)).toBe(true);
    expect(await page.$eval('#run-note-text', (e) => e.textContent)).toContain(`Continued from iteration ${k}`);
    expect(await page.evaluate(() => window.demoDevice !== (window as { lostDevice?: GPUDevice }).lostDevice)).toBe(true);
    await page.click('#pause');
    await statsUntil(page, (s) => s.status === 'paused', 60_000);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says plainly when the browser has no WebGPU, instead of a blank canvas', async () => {
    const page = await (browser as Browser).newPage();
    await page.evaluateOnNewDocument(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('problem')?.hidden === false, { timeout: 30_000 });
    const text = await page.$eval('#problem', (e) => e.textContent ?? '');
    expect(text).toContain('This browser has no WebGPU');
    await page.close();
  });
});
