#!/usr/bin/env node
// The CLI entry. In a checkout of the repository it runs the TypeScript sources through tsx (no build step);
// in an installed package (no src/) it runs the built dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
