// The browser demo end to end, in headless Chromium on SwiftShader (puppeteer-core), served by Vite from
// 127.0.0.1: it loads without console errors, trains with ?autostart=1 and the mean return rises, accepts a
// policy file and rejects a corrupt one with a visible message, and says plainly when WebGPU is missing.
// A screenshot is saved to test/artifacts/demo.png (gitignored) to look at.
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
  throw new Error(`timed out; last stats: ${JSON.stringify(await readStats(page))}`);
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
