// Builds dist/bench-kit/: the Node half of the benchmark (bench/run.ts; run it with --skip-browser) for a machine
// that has a GPU but no npm registry. Vite bundles bench/run.ts for Node (every shader inlined through the same
// import.meta.glob the browser build uses), next to the files it reads (bench/policies/, bench/chart.html) and the
// packages it loads at run time, copied from node_modules: webgpu (Linux x64 Dawn only), @jax-js/jax (the
// jax-js-wasm peer) and uplot (the chart). With --with-node it also packs this machine's node binary (xz), for a
// machine without Node. There:
//   node dist/bench-kit/bench.mjs --skip-browser [bench flags]     (or: dist/bench-kit/bench.sh [bench flags])
// Run by `npm run bench:kit [-- --with-node] [-- --out DIR]` (default dist/bench-kit).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'with-node': { type: 'boolean' }, out: { type: 'string' } } });
const kit = resolve(values.out ?? join(root, 'dist/bench-kit'));
const withNode = values['with-node'] === true;
const RUNTIME_PACKAGES = ['webgpu', '@jax-js/jax', 'uplot'];

// Marks a folder as a kit, so that a rebuild only ever deletes a kit (--out might name any folder).
const MARKER = '.bench-kit';
if (existsSync(kit) && readdirSync(kit).length > 0 && !existsSync(join(kit, MARKER))) {
  console.error(`bench:kit: ${kit} is not empty and not a bench kit; name a new or empty folder with --out`);
  process.exit(2);
}
rmSync(kit, { recursive: true, force: true });
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: join(root, 'bench/run.ts'),
    outDir: kit,
    target: 'node20',
    minify: false,
    emptyOutDir: false, // removed above; Vite would refuse to empty a folder outside the project
    rollupOptions: {
      // Loaded only with a browser (not in a kit run) or from node_modules beside the bundle.
      external: [...RUNTIME_PACKAGES, 'puppeteer-core', 'vite', /^node:/],
      output: { entryFileNames: 'bench.mjs', chunkFileNames: 'chunks/[name].mjs' },
    },
  },
  ssr: { noExternal: true, external: [...RUNTIME_PACKAGES, 'puppeteer-core', 'vite'] },
});
writeFileSync(join(kit, MARKER), 'Built by scripts/benchKit.mjs; a rebuild deletes this folder.\n');
cpSync(join(root, 'bench/policies'), join(kit, 'policies'), { recursive: true });
cpSync(join(root, 'bench/chart.html'), join(kit, 'chart.html'));
for (const name of RUNTIME_PACKAGES) {
  cpSync(join(root, 'node_modules', name), join(kit, 'node_modules', name), {
    recursive: true,
    // Dawn for Linux x64 only: the other platforms' binaries would triple the kit.
    filter: (path) => !/webgpu[/\\]dist[/\\](?!linux-x64)[^/\\]+$/.test(path),
  });
}
if (withNode) {
  mkdirSync(join(kit, 'bin'), { recursive: true });
  writeFileSync(join(kit, 'bin/node.xz'), execFileSync('xz', ['-9', '-c', process.execPath], { maxBuffer: 1 << 30 }));
}
const script = join(kit, 'bench.sh');
writeFileSync(
  script,
  `#!/bin/bash
# The benchmark's Node half from this kit: the packed node where the kit has one (--with-node), else node from PATH.
# Flags as npm run bench.
set -e
kit=$(cd "$(dirname "$0")" && pwd)
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "bench kit: it carries Dawn for Linux x86-64 only; this machine is $(uname -s)-$(uname -m)" >&2
  exit 1
fi
if [ -f "$kit/bin/node.xz" ]; then
  node=$kit/bin/node
  [ -x "$node" ] || { xz -dc "$kit/bin/node.xz" > "$node.partial" && chmod +x "$node.partial" && mv "$node.partial" "$node"; }
else
  node=$(command -v node) || { echo "bench kit: no node on PATH; build the kit with --with-node" >&2; exit 1; }
fi
export XDG_RUNTIME_DIR=\${XDG_RUNTIME_DIR:-/tmp}
exec "$node" "$kit/bench.mjs" --skip-browser "$@"
`,
);
chmodSync(script, 0o755);
const size = execFileSync('du', ['-sm', kit], { encoding: 'utf8' }).split('\t')[0];
console.error(`${kit} built (${size} MiB${withNode ? `, node ${(statSync(join(kit, 'bin/node.xz')).size / 2 ** 20).toFixed(0)} MiB packed` : ''})`);
