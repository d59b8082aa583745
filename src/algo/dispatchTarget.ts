// Where an iteration's dispatches go. Training records them all into one compute pass; profiling gives each
// dispatch a pass of its own with GPU timestamps at its start and end (timestamp writes belong to passes).
// Copies between dispatches (the off-policy replay) need the open pass closed first: flush() does that.
import { type Dispatch, encodeDispatch } from './iteration.js';
import type { CompiledKernels, KernelName, TrainerBindGroups } from './kernels.js';

export interface DispatchTarget {
  dispatch: Dispatch;
  /** Ends the open compute pass, if any; the next dispatch begins a new one. */
  flush(): void;
}

/** Every dispatch until flush() in one compute pass. */
export function singlePassTarget(
  encoder: GPUCommandEncoder,
  k: CompiledKernels,
  g: TrainerBindGroups,
  label: string,
): DispatchTarget {
  let pass: GPUComputePassEncoder | undefined;
  return {
    dispatch(name, groups, bindGroup) {
      pass ??= encoder.beginComputePass({ label });
      encodeDispatch(pass, k, g, name, groups, bindGroup);
    },
    flush() {
      pass?.end();
      pass = undefined;
    },
  };
}

/** One compute pass per dispatch, timestamps 2i and 2i+1 of `querySet` around dispatch i; names in order. */
export function timestampedTarget(
  encoder: GPUCommandEncoder,
  k: CompiledKernels,
  g: TrainerBindGroups,
  querySet: GPUQuerySet,
): DispatchTarget & { names: KernelName[] } {
  const names: KernelName[] = [];
  return {
    names,
    dispatch(name, groups, bindGroup) {
      const index = names.length;
      if (2 * index + 1 >= querySet.count) throw new Error(`more than ${querySet.count / 2} dispatches to time`);
      const pass = encoder.beginComputePass({
        label: name,
        timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * index, endOfPassWriteIndex: 2 * index + 1 },
      });
      encodeDispatch(pass, k, g, name, groups, bindGroup);
      pass.end();
      names.push(name);
    },
    flush() {},
  };
}

/** Records the dispatches without encoding them, to replay one by one (CPU-clock profiling). */
export function recordingTarget(): DispatchTarget & {
  recorded: { name: KernelName; groups: number; bindGroup?: GPUBindGroup }[];
} {
  const recorded: { name: KernelName; groups: number; bindGroup?: GPUBindGroup }[] = [];
  return {
    recorded,
    dispatch(name, groups, bindGroup) {
      recorded.push({ name, groups, bindGroup });
    },
    flush() {},
  };
}
