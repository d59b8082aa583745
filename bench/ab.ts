// Interleaved A/B of the engine's kernel options. This machine's speed drifts by tens of percent within minutes, so
// two variants timed one after the other can differ by more than the change under test; here every round times
// both, alternating which goes first, and the per-round ratios (and their median) are what to read.
import type { PolicyFile } from '../src/index.js';
import { measureEngine } from './measure.js';
import { type EngineMeasure, KERNEL_OPTIONS, type KernelOptions, median, type Workload } from './workload.js';

/** The variant from `--ab`'s JSON text, or an error message naming what is wrong. */
export function parseKernelOptions(text: string): KernelOptions | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `--ab must be a JSON object such as '{"subgroupWeightSharing":false}', got ${text}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length === 0)
    return `--ab must be a non-empty JSON object of ${KERNEL_OPTIONS.join(', ')}, got ${text}`;
  const unknown = Object.keys(parsed).find((key) => !KERNEL_OPTIONS.includes(key as never));
  if (unknown !== undefined) return `--ab: "${unknown}" is not one of ${KERNEL_OPTIONS.join(', ')}`;
  return parsed as KernelOptions;
}

export interface AbRound {
  round: number;
  /** Which variant ran first this round. */
  first: 'A' | 'B';
  a: { rolloutStepsPerSecond: number; trainStepsPerSecond: number };
  b: { rolloutStepsPerSecond: number; trainStepsPerSecond: number };
}

export interface AbResult {
  workload: Workload;
  variant: KernelOptions;
  kernelShapes: { a: EngineMeasure['kernelShape']; b: EngineMeasure['kernelShape'] };
  rounds: AbRound[];
  /** Medians over rounds of B / A. */
  rolloutRatio: number;
  trainRatio: number;
}

/** `rounds` rounds of A (the defaults) and B (`variant`), each a fresh trainer timed over `reps` repetitions. */
export async function interleavedAb(
  w: Workload,
  policy: PolicyFile,
  variant: KernelOptions,
  rounds: number,
  reps: number,
  progress: (message: string) => void,
): Promise<AbResult> {
  const results: AbRound[] = [];
  let shapes: AbResult['kernelShapes'] | undefined;
  for (let round = 1; round <= rounds; round++) {
    const first = round % 2 === 1 ? 'A' : 'B';
    const measured: Partial<Record<'A' | 'B', EngineMeasure>> = {};
    for (const which of first === 'A' ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      progress(`ab: round ${round}, ${which}`);
      measured[which] = await measureEngine(w, policy, reps, which === 'B' ? variant : {});
    }
    const a = measured.A as EngineMeasure;
    const b = measured.B as EngineMeasure;
    shapes ??= { a: a.kernelShape, b: b.kernelShape };
    const rates = (m: EngineMeasure) => ({
      rolloutStepsPerSecond: m.rolloutStepsPerSecond,
      trainStepsPerSecond: m.trainStepsPerSecond,
    });
    results.push({ round, first, a: rates(a), b: rates(b) });
  }
  const ratio = (key: 'rolloutStepsPerSecond' | 'trainStepsPerSecond') => median(results.map((r) => r.b[key] / r.a[key]));
  return {
    workload: w,
    variant,
    kernelShapes: shapes as AbResult['kernelShapes'],
    rounds: results,
    rolloutRatio: ratio('rolloutStepsPerSecond'),
    trainRatio: ratio('trainStepsPerSecond'),
  };
}
