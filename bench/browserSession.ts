// The browser half of the benchmark: bench/browser/ served by Vite on 127.0.0.1 (a secure context, with
// cross-origin isolation so that Wasm may use threads), opened in headless Chromium through puppeteer; calls go
// to the page's benchPage functions.
import type { Browser, Page } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';
import { launchBrowser } from '../test/helpers/browser.js';
import type { BenchPage } from './browser/main.js';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Calls benchPage[name](...args) in the page and returns its result. */
  call<K extends keyof BenchPage>(name: K, ...args: Parameters<BenchPage[K]>): Promise<Awaited<ReturnType<BenchPage[K]>>>;
  /** Loads the page afresh: each peer gets a page (and GPU device) of its own, nothing left by the last. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowserSession(dawnToggles: string[] = []): Promise<BrowserSession> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: new URL('..', import.meta.url).pathname,
    server: {
      host: '127.0.0.1',
      port: 0,
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    },
    logLevel: 'error',
    // Pre-bundle the peers' libraries at start-up: discovered later (they are imported dynamically), Vite would
    // re-optimise and reload the page in the middle of a measurement.
    optimizeDeps: {
      entries: ['bench/browser/index.html'],
      include: [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-core/dist/register_all_gradients',
        '@tensorflow/tfjs-backend-webgpu',
        '@tensorflow/tfjs-backend-wasm',
        '@jax-js/jax',
      ],
    },
  });
  let address: ReturnType<NonNullable<ViteDevServer['httpServer']>['address']> | undefined;
  try {
    await server.listen();
    address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('the benchmark page server has no port');
  } catch (error) {
    await server.close();
    throw error;
  }
  const port = address.port;
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser({ protocolTimeout: 0, dawnToggles });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const load = async () => {
      errors.length = 0;
      await page.goto(`http://127.0.0.1:${port}/bench/browser/index.html`);
      await page
        .waitForFunction(() => document.title === 'ready', { timeout: 120_000 })
        .catch(() => {
          throw new Error(`the benchmark page did not load: ${errors.join('; ') || 'no error reported'}`);
        });
    };
    await load();
    const opened = browser;
    return {
      browser: opened,
      page,
      call: (name, ...args) =>
        page.evaluate(
          (n, a) => (globalThis as unknown as { benchPage: Record<string, (...x: unknown[]) => unknown> }).benchPage[n]?.(...a),
          name,
          args as unknown[],
        ) as never,
      reload: load,
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
