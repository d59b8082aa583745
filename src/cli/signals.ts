// SIGINT / SIGTERM during training: the first asks the run to stop after the iteration in flight (the caller then
// writes its files and exits 130 / 143); a second ends the process at once by that signal (130 / 143 in a shell),
// removing any temporary file being written (targets are renamed into place whole: none is ever half written).
import { removeTemporaryFiles } from './files.js';

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export interface StopSignals {
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined;
  /** Restores the default behaviour (the process dies on the signal). */
  dispose(): void;
}

export function catchStopSignals(): StopSignals {
  let received: StopSignal | undefined;
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((signal) => {
    const handler = () => {
      if (received !== undefined) {
        removeTemporaryFiles();
        if (process.stderr.isTTY) process.stderr.write('\x1b[?25h'); // the progress bar hid the cursor
        console.error(`webgpu-reinforce: ${signal} again: stopped at once; nothing more written`);
        // Die of the signal itself (the shell's 130 / 143): process.exit() would run the GPU driver's teardown
        // with work in flight, which can crash.
        dispose();
        process.kill(process.pid, signal);
        return;
      }
      received = signal;
      if (process.stderr.isTTY)
        console.error(
          `webgpu-reinforce: ${signal}: stopping after the iteration in flight (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again: at once)`,
        );
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  function dispose() {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  return {
    get received() {
      return received;
    },
    dispose,
  };
}
