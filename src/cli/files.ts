// Reading policy files with errors that name the flag, and writing files whole or not at all.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Checkpoint, validateCheckpoint } from '../algo/checkpoint.js';
import { ReinforceError } from '../errors.js';
import { type PolicyFile, validatePolicy } from '../policy/policyFile.js';
import { UsageError } from './args.js';
import { readJsonFlag } from './environmentFlags.js';

export function readPolicyFlag(flag: string, path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--${flag}: cannot read "${path}" (no such file or not readable)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${flag}: "${path}" is not valid JSON (${(error as Error).message})`);
  }
  try {
    return validatePolicy(json, path);
  } catch (error) {
    if (error instanceof ReinforceError) throw new UsageError(`--${flag}: ${error.message}`);
    throw error;
  }
}

/** A checkpoint file (trainer.readCheckpoint()), its form checked; errors name the flag, the file and the field. */
export function readCheckpointFlag(flag: string, path: string): Checkpoint {
  const json = readJsonFlag(flag, path);
  try {
    return validateCheckpoint(json);
  } catch (error) {
    if (error instanceof ReinforceError) throw new UsageError(`--${flag} ${path}: ${error.message}`);
    throw error;
  }
}

/** Fails early (before any training) when the file could not be written later. */
export function checkWritable(flag: string, path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--${flag}: directory "${dir}" does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--${flag}: "${path}" is a directory`);
}

/** Temporary files being written now: removed by removeTemporaryFiles() when the process must exit at once. */
const temporaries = new Set<string>();

/**
 * Writes to a temporary file beside the target, flushes it to the disk (fsync), then renames it over the target
 * and flushes the directory: readers, and the disk after a crash, see the old file or the new one, never half a file.
 */
export function writeJsonAtomically(path: string, value: unknown): void {
  writeTextAtomically(path, JSON.stringify(value));
}

/** writeJsonAtomically for text that is not JSON (an SVG chart). */
export function writeTextAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  temporaries.add(temporary);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    temporaries.delete(temporary);
  }
  syncDirectory(dirname(resolve(path)));
}

/** The rename itself is durable once the directory is flushed (where the platform can open a directory). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the file's own fsync stands.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function removeTemporaryFiles(): void {
  for (const temporary of temporaries) rmSync(temporary, { force: true });
  temporaries.clear();
}

/** A policy file, written only when every number in it is finite (validatePolicy refuses NaN and infinities). */
export function writePolicyFile(flag: string, path: string, policy: PolicyFile): void {
  try {
    validatePolicy(policy, `--${flag} ${path}`);
  } catch (error) {
    if (error instanceof ReinforceError)
      throw new ReinforceError('NON_FINITE', `${error.message}: the policy was not written`, error.field);
    throw error;
  }
  writeJsonAtomically(path, policy);
}
