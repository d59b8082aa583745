// Dawn in Node (the `webgpu` package) settles a pending mapAsync by polling on the JavaScript thread, which keeps
// a CPU core busy until the GPU is done. On a CPU adapter (SwiftShader) that core is taken from the adapter's own
// worker threads: on 2 cores the main thread used 1.08 s of CPU during a 1.59 s matmul. So, in Node only, a
// readback of work that took long last time first sleeps through most of that time; the poll then spins briefly.
// Browsers wait for GPU work without polling on the page's thread: nothing changes there.

/** Below this, sleeping first is not worth its timer granularity (a real GPU's short iterations). */
const MIN_PACED_MS = 20;
/** The share of the last duration slept: less than 1, so a slightly faster iteration is not overslept. */
const SLEEP_SHARE = 0.8;

const pollsOnHostThread = (): boolean =>
  typeof process !== 'undefined' &&
  process.versions?.node !== undefined &&
  (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined;

export class ReadbackPacer {
  private lastMilliseconds = 0;
  private readonly enabled = pollsOnHostThread();

  /** Call right after submitting; resolves when it is time to ask for the result. */
  async beforeReadback(): Promise<void> {
    if (!this.enabled || this.lastMilliseconds < MIN_PACED_MS) return;
    await new Promise((resolve) => setTimeout(resolve, SLEEP_SHARE * this.lastMilliseconds));
  }

  /** Submission-to-result time of the work just read. */
  record(milliseconds: number): void {
    this.lastMilliseconds = milliseconds;
  }
}
