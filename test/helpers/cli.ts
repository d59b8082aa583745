// Running the CLI as a user does, for the end-to-end tests: its exit code, stdout, and its own stderr lines.
import { spawnSync } from 'node:child_process';

const CLI = new URL('../../bin/webgpu-reinforce.js', import.meta.url).pathname;

export function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 240_000 });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr
      .split('\n')
      .filter((l) => l.startsWith('webgpu-reinforce'))
      .join('\n'),
  };
}
