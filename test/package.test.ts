// The npm package as a user gets it: `npm pack`, the tarball installed into an empty project, a strict
// TypeScript consumer type-checked against the shipped .d.ts, the Node example run from the install, and the
// browser example built by Vite from the install and run in headless Chromium. Sizes are printed for README.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';

const repo = new URL('..', import.meta.url).pathname;
const project = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-consumer-'));
let tarball = '';
let browser: Browser | undefined;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

beforeAll(async () => {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', project], repo)) as {
    filename: string;
    size: number;
  }[];
  tarball = join(project, (packed[0] as { filename: string }).filename);
  console.log(`packed: ${(statSync(tarball).size / 1024).toFixed(0)} KiB (${tarball})`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, 'webgpu@0.6.2'], project);
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('the packed package', () => {
  it('type-checks a strict TypeScript consumer against the shipped .d.ts', () => {
    for (const file of ['consumer.ts', 'tsconfig.json']) copyFileSync(join(repo, 'test/package', file), join(project, file));
    run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.json')], project);
  });

  it('runs the Node example from the install: trains, saves, acts on the CPU and on its own GPU buffers', () => {
    copyFileSync(join(repo, 'examples/node/train-and-act.mjs'), join(project, 'train-and-act.mjs'));
    const output = run(process.execPath, ['train-and-act.mjs', join(project, 'policy.json')], project);
    const summary = JSON.parse(output.trim().split('\n').at(-1) as string);
    expect(summary.returns).toHaveLength(12);
    expect(summary.returns.at(-1)).toBeGreaterThan(summary.returns[0] + 20);
    expect(summary.gpuActions).toEqual(summary.cpuActions);
    expect(statSync(join(project, 'policy.json')).size).toBeGreaterThan(100);
  });

  it('runs the browser example, built by Vite from the install, in headless Chromium', async () => {
    const root = join(project, 'browser');
    mkdirSync(root, { recursive: true });
    for (const file of ['index.html', 'main.js']) copyFileSync(join(repo, 'examples/browser', file), join(root, file));
    await build({ root, configFile: false, logLevel: 'silent', build: { outDir: join(root, 'dist'), target: 'es2022' } });
    const assets = readdirSync(join(root, 'dist/assets')).filter((f) => f.endsWith('.js'));
    const bytes = assets.reduce((sum, f) => sum + statSync(join(root, 'dist/assets', f)).size, 0);
    console.log(`browser example bundle (minified, with the library and its shaders): ${(bytes / 1024).toFixed(0)} KiB`);
    const server = await preview({
      root,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: join(root, 'dist') },
      preview: { host: '127.0.0.1', port: 0 },
    });
    try {
      const address = server.httpServer.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      browser = await launchBrowser();
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(
        () => Number(document.body.dataset.iterations ?? 0) >= 3 && Number(document.body.dataset.frames ?? 0) >= 30,
        {
          timeout: 180_000,
        },
      );
      expect(errors).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  });
});
