/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig({
  root: '.',
  server: { host: '127.0.0.1' },
  test: {
    include: ['test/**/*.test.ts'],
    // Every test file drives the one (software) GPU: run files one at a time, each with its own device.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
