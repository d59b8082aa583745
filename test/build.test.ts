// The WGSL kernels load as text in a Vite build: the demo bundle carries every shader and no node: imports
// are left for the browser to trip over.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

describe('vite build of the demo', () => {
  it('bundles the shaders as text', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-build-'));
    await build({
      configFile: new URL('../vite.config.ts', import.meta.url).pathname,
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
    const assets = join(outDir, 'assets');
    const js = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    for (const marker of [
      'fn philox4x32',
      'fn mlpForward',
      'fn envStep',
      'fn categoricalSample',
      'fn accumulateTile',
      'trainState.iteration += 1u',
    ]) {
      expect(js).toContain(marker);
    }
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toContain('<script type="module"');
  });
});
