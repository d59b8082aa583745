// The repository is self-contained: no tracked (or new, not ignored) text file refers to a path outside the
// checkout. Flagged: the shared folder beside a checkout ("../shared"), absolute paths under the machines' /work and
// /root, and any relative path ("../..") that climbs above the repository root when resolved against the
// directory of the file that holds it. Relative paths that stay in the repository (imports, ../src/...) pass.
// Outside a git checkout (an unpacked package, no .git) the scan is skipped with a message saying so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = relative(ROOT, fileURLToPath(import.meta.url))
  .split(sep)
  .join('/');

// Relative paths that are resolved against something other than their file's directory, with the reason.
const ALLOWED: Record<string, { path: string; why: string }[]> = {
  'vite.config.ts': [{ path: '../dist/demo', why: "build.outDir is relative to Vite's root, demo/" }],
};

// Absolute paths of the machines this project is developed on, and the shared folder next to the checkout.
// Built from pieces so that they read as what they match; the scan skips this file, whose tests spell bad paths out.
const SLASH = '/';
const UP = `..${SLASH}`;
const ABSOLUTE = new RegExp(`(?<![\\w.~${SLASH}-])${SLASH}(?:work|root)${SLASH}[^\\s'"\`)\\]>,;]*`, 'g');
const RELATIVE = new RegExp(`(?<![\\w.${SLASH}-])(?:\\.\\.${SLASH})+(?:\\.\\.(?![\\w.])|[^\\s'"\`)\\]>,;*]*)`, 'g');
const SHARED = `${UP}shared`;

interface OutsideReference {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Every reference in `text` (the contents of `file`, a path relative to the repository root) that leaves it. */
function outsideReferences(file: string, text: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  const allowed = ALLOWED[file] ?? [];
  text.split('\n').forEach((content, i) => {
    const line = i + 1;
    for (const match of content.matchAll(ABSOLUTE)) {
      found.push({ file, line, text: match[0], why: 'an absolute path outside the repository' });
    }
    for (const match of content.matchAll(RELATIVE)) {
      const path = match[0];
      if (allowed.some((a) => a.path === path)) continue;
      const resolved = posix.normalize(posix.join(posix.dirname(file), path));
      if (path.includes(SHARED)) {
        found.push({ file, line, text: path, why: 'the shared folder outside the checkout' });
      } else if (resolved === '..' || resolved.startsWith(UP)) {
        found.push({ file, line, text: path, why: `resolves to ${resolved} from the root, outside it` });
      }
    }
  });
  return found;
}

/** The checkout's files (tracked, and new ones git does not ignore), or why there is no list. */
function repositoryFiles(): { files: string[] } | { skip: string } {
  if (!existsSync(join(ROOT, '.git'))) return { skip: `not a git checkout (no .git in ${ROOT}): nothing to list` };
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (ls.status !== 0) return { skip: `git ls-files failed (${ls.error?.message ?? ls.stderr.trim()})` };
  return { files: ls.stdout.split('\0').filter((f) => f !== '') };
}

describe('outsideReferences', () => {
  it('flags the shared folder, /work and /root paths, and relative paths above the root', () => {
    const text = [
      `const vectors = '${UP}shared/vectors/a.json';`,
      `cat ${SLASH}work${SLASH}shared/notes.md`,
      `HOME=${SLASH}root${SLASH}.cache`,
      `import x from '${UP}${UP}outside/x.js';`,
      `see (${UP}${UP}..)`,
    ].join('\n');
    const found = outsideReferences('test/a.test.ts', text);
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [1, `${UP}shared/vectors/a.json`],
      [2, `${SLASH}work${SLASH}shared/notes.md`],
      [3, `${SLASH}root${SLASH}.cache`],
      [4, `${UP}${UP}outside/x.js`],
      [5, `${UP}${UP}..`],
    ]);
  });

  it('passes relative paths that stay inside, URLs, and system paths', () => {
    const text = [
      `import { a } from '${UP}src/index.js';`,
      `import { b } from '${UP}${UP}src/index.js';`,
      `const icd = '${SLASH}usr/lib/chromium/vk_swiftshader_icd.json';`,
      `// https://example.org${SLASH}work${SLASH}page and a${SLASH}root${SLASH}b`,
      'for (let i = 0; i < n; i++) {} // 1...2',
    ].join('\n');
    expect(outsideReferences('test/helpers/x.ts', text)).toEqual([]);
    expect(outsideReferences('README.md', `run ${UP}outside`)).toHaveLength(1);
    expect(outsideReferences('vite.config.ts', `outDir: '${UP}dist/demo'`)).toEqual([]);
  });
});

describe('the repository', () => {
  it('refers to no path outside itself', (ctx) => {
    const listed = repositoryFiles();
    if ('skip' in listed) {
      console.warn(`selfContained.test.ts: skipped: ${listed.skip}`);
      return ctx.skip(listed.skip);
    }
    expect(listed.files.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const file of listed.files) {
      if (file === SELF) continue; // this file spells the patterns out in its own tests
      const path = join(ROOT, file);
      if (!existsSync(path) || !statSync(path).isFile()) continue; // deleted in the work tree, or a submodule
      const bytes = readFileSync(path);
      if (bytes.subarray(0, 8000).includes(0)) continue; // binary
      for (const r of outsideReferences(file, bytes.toString('utf8'))) found.push(`${r.file}:${r.line}: ${r.text} (${r.why})`);
    }
    expect(found, `files that refer outside the repository:\n${found.join('\n')}`).toEqual([]);
  });
});
