// How fast the GPU works through iterations, measured from the host without timestamp queries.

/**
 * Environment steps per second of GPU time, over the last few iterations that ran back to back (each submitted
 * before the previous one's statistics arrived). Statistics can arrive in bursts (several map callbacks in one
 * task), so one iteration's own interval can be near zero; a window of up to 8 iterations smooths that out.
 */
export class Throughput {
  private readonly history: { submitted: number; resolved: number; envSteps: number }[] = [];
  private recorded = 0;

  record(submitted: number, resolved: number, envSteps: number): number {
    this.history.push({ submitted, resolved, envSteps });
    this.recorded++;
    if (this.history.length > 9) this.history.shift();
    let steps = 0;
    let start = resolved;
    for (let i = this.history.length - 1; i >= 0; i--) {
      const entry = this.history[i] as (typeof this.history)[number];
      const previous = this.history[i - 1];
      if (!previous) {
        // The oldest entry kept: its start is known only if it was the trainer's first iteration.
        if (this.recorded === this.history.length) {
          steps += entry.envSteps;
          start = entry.submitted;
        }
        break;
      }
      steps += entry.envSteps;
      start = Math.max(entry.submitted, previous.resolved);
      // The GPU may have idled before this iteration was submitted: the window starts here.
      if (entry.submitted > previous.resolved) break;
    }
    return steps / Math.max(1e-6, (resolved - start) / 1000);
  }
}
