// Headless Chromium (Debian's, through puppeteer-core) on SwiftShader, and the demo served by Vite on 127.0.0.1
// (a secure context, which WebGPU needs). The flags put Chromium's WebGPU, Vulkan and ANGLE on SwiftShader.
import puppeteer, { type Browser } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** protocolTimeout: the longest one page.evaluate may take (ms; puppeteer's default is 180 s); dawnToggles: Dawn
 *  toggles every page's WebGPU device gets (--enable-dawn-features). */
export function launchBrowser(options: { protocolTimeout?: number; dawnToggles?: string[] } = {}): Promise<Browser> {
  return puppeteer.launch({
    protocolTimeout: options.protocolTimeout,
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader',
      '--use-angle=swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--window-size=1400,1000',
      ...(options.dawnToggles?.length ? [`--enable-dawn-features=${options.dawnToggles.join(',')}`] : []),
    ],
    defaultViewport: { width: 1400, height: 1000 },
  });
}

/** The demo's dev server on a free port of 127.0.0.1; close() it when done. It watches no files and pushes no hot
 *  updates: a source file edited while a test runs must not reload the page under the test. */
export async function serveDemo(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    logLevel: 'silent',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the demo server has no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}
