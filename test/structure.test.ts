// The shape of the code, held to what docs/kernels.md promises a reader: no import cycles in src/, no TypeScript file
// over 300 lines without its reason at the top, every kernel name the @compute entry point of the file that holds it,
// and a public API (src/index.ts) without the entry points that exist for tests and the bench.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KernelPlan } from '../src/algo/kernelPlan.js';
import { KERNEL_NAMES, kernelFile } from '../src/algo/kernels.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(folder: string, suffix: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(root, path)).isDirectory()) return name === 'results' ? [] : filesUnder(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

/** Relative imports of each src/ file (type-only ones too: they are edges for a reader). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of filesUnder('src', '.ts')) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(/(?:from\s+|import\()'(\.[^']+)'/g)].map((m) =>
      normalize(join(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'))),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** One cycle of the graph, as a path that ends where it starts, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

describe('code structure', () => {
  it('has no import cycle in src/', () => {
    expect(findCycle(importGraph())).toBeUndefined();
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(findCycle(graph)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(findCycle(new Map([['a.ts', ['b.ts']]]))).toBeUndefined();
  });

  it('keeps TypeScript files within 300 lines, or says why at the top', () => {
    const long = ['src', 'test', 'bench', 'demo']
      .flatMap((folder) => filesUnder(folder, '.ts'))
      .filter((file) => {
        const lines = readFileSync(join(root, file), 'utf8').split('\n');
        const header = lines.slice(
          0,
          lines.findIndex((line) => !line.startsWith('//')),
        );
        return lines.length > 300 && !header.some((line) => /Over 300 lines/.test(line));
      });
    expect(long).toEqual([]);
  });

  it('names every kernel after the @compute entry point it runs, in the file the plan picks', () => {
    const plans = [false, true].map((laneGradients) => ({ laneGradients }) as KernelPlan);
    for (const name of KERNEL_NAMES) {
      for (const plan of plans) {
        const file = kernelFile(name, plan);
        const text = readFileSync(join(root, 'shaders', file), 'utf8');
        expect(text, `${file} has no @compute fn ${name}`).toMatch(new RegExp(`@compute[^\\n]*\\n(?:@[^\\n]*\\n)*fn ${name}\\(`));
      }
    }
  });

  it('keeps shaders for CPU adapters apart from the kernels a GPU runs', () => {
    for (const file of filesUnder('shaders/cpu', '.wgsl')) {
      expect(readFileSync(join(root, file), 'utf8'), `${relative(root, file)}`).toMatch(/CPU adapter|software adapter/i);
    }
  });

  it('exports no test or bench entry point from the package', () => {
    const index = readFileSync(join(root, 'src/index.ts'), 'utf8');
    expect(index).not.toMatch(/trainerProbe|createTrainerWithPlan|PlanOverrides/);
  });
});
