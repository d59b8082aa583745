// Human-readable progress: a bar to --iters (on a terminal) and one line per iteration.
import cliProgress from 'cli-progress';
import type { IterationStats } from '../algo/iterationStats.js';

export interface Progress {
  iteration(stats: IterationStats): void;
  log(line: string): void;
  stop(): void;
}

// Integers as integers (CartPole's returns), others with one decimal; never "-0".
const fmt = (x: number, digits = 1) => {
  const text = x.toFixed(Number.isInteger(x) ? 0 : digits);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
};

export function iterationLine(s: IterationStats): string {
  return (
    `iter ${String(s.iter).padStart(4)}  return ${fmt(s.meanReturn).padStart(6)} (min ${fmt(s.minReturn)}, max ${fmt(s.maxReturn)})  ` +
    `entropy ${fmt(s.entropy, 3)}  |grad| ${s.gradNorm.toPrecision(3)}  L~ ${s.pseudoLoss.toPrecision(3)}  ${Math.round(s.stepsPerSecond).toLocaleString('en-US')} env-steps/s  ${fmt(s.seconds)} s` +
    (s.essFraction === undefined
      ? ''
      : `  ESS ${(100 * s.essFraction).toFixed(1)}%  max w ${(s.maxWeight as number).toPrecision(3)}  truncated ${(100 * (s.truncatedFraction as number)).toFixed(1)}%`)
  );
}

export function humanProgress(total: number): Progress {
  const interactive = process.stderr.isTTY === true;
  const multibar = interactive
    ? new cliProgress.MultiBar(
        { format: ' {bar} {value}/{total} iterations | mean return {meanReturn}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const bar = multibar?.create(total, 0, { meanReturn: '-' });
  return {
    iteration(stats) {
      this.log(iterationLine(stats));
      bar?.update(stats.iter, { meanReturn: fmt(stats.meanReturn) });
    },
    log(line) {
      if (multibar) multibar.log(`${line}\n`);
      else console.log(line);
    },
    stop() {
      multibar?.stop();
    },
  };
}

export function jsonProgress(): Progress {
  return {
    // Every field of the statistics, as the API reports them: the JSON lines never fall behind IterationStats.
    iteration(s) {
      console.log(JSON.stringify(s));
    },
    log() {},
    stop() {},
  };
}
