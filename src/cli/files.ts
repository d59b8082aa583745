// Reading policy files with errors that name the flag, and writing files whole or not at all.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ReinforceError } from '../errors.js';
import { type PolicyFile, validatePolicy } from '../policy/policyFile.js';
import { UsageError } from './args.js';

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

/** Fails early (before any training) when the file could not be written later. */
export function checkWritable(flag: string, path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--${flag}: directory "${dir}" does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--${flag}: "${path}" is a directory`);
}

/** Writes to a temporary file beside the target, then renames: readers never see half a file. */
export function writeJsonAtomically(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value));
  renameSync(temporary, path);
}
