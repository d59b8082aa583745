// Bad input, systematically (issue #18), for checkpoints: a real checkpoint of an on-policy and an off-policy run
// (its replay's batches included) mutated at random (test/helpers/fuzz.ts), each case through validateCheckpoint and
// then restored into a trainer made with the checkpoint's options (restoreCheckpoint: the environment, options and
// buffer sizes must fit, no word may be NaN); a few cases through resumeTrainer itself. Each is accepted or refused
// with a ReinforceError of one line naming the field.
import { describe, expect, it } from 'vitest';
import { restoreCheckpoint, validateCheckpoint } from '../src/algo/checkpoint.js';
import { internalsOf } from '../src/algo/trainerInternals.js';
import { createTrainer, resumeTrainer, type Trainer } from '../src/index.js';
import { count, fuzzRandom, handled, handledAsync, mutateJson, pick, report, type Tally, tally } from './helpers/fuzz.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';
import { testSeed } from './helpers/seed.js';

// FUZZ_CASES=N runs more (or fewer) cases per run.
const CASES = Number(process.env.FUZZ_CASES ?? 1500);
const RESUMED = 12;
const trainers = trainersReleasedAfterAll<Trainer>();
const names =
  /^(checkpoint|format|version|env(\.\w+)?|options(\.\w+(\[\d+\])?|\[[^\]]*\])?|iterations|trainState|buffers(\.\w+|\[[^\]]*\])?): /;

describe('fuzzed checkpoints', () => {
  const random = fuzzRandom(testSeed('fuzz (checkpoints)'));

  it('are restored or refused naming the field, on- and off-policy', async () => {
    const started = performance.now();
    const device = await testDevice();
    const runs = [
      { env: 'cartpole', hidden: [3] },
      { env: 'pendulum', hidden: [2], epochs: 2, reuse: 2 },
    ];
    const bases: { trainer: Trainer; checkpoint: unknown }[] = [];
    for (const options of runs) {
      const trainer = await createTrainer({ device, numEnvs: 8, horizon: 10, seed: 5, ...options });
      trainers.push(trainer);
      await trainer.step();
      bases.push({ trainer, checkpoint: JSON.parse(JSON.stringify(await trainer.readCheckpoint())) });
    }
    const t: Tally = tally();
    for (let i = 0; i < CASES; i++) {
      const { trainer, checkpoint } = pick(random, bases);
      const input = mutateJson(random, checkpoint);
      count(
        t,
        handled('validateCheckpoint + restoreCheckpoint', input, names, () =>
          restoreCheckpoint(internalsOf(trainer), validateCheckpoint(input)),
        ),
      );
    }
    // The unmutated checkpoints still restore after all that, and the trainers still step.
    for (const { trainer, checkpoint } of bases) {
      restoreCheckpoint(internalsOf(trainer), validateCheckpoint(checkpoint));
      expect(Number.isFinite((await trainer.step()).meanReturn)).toBe(true);
    }

    const resumed: Tally = tally();
    for (let i = 0; i < RESUMED; i++) {
      // The first one unmutated: resuming works, so the refusals are the mutations'.
      const base = pick(random, bases).checkpoint;
      const input = i === 0 ? base : mutateJson(random, base);
      const outcome = await handledAsync('resumeTrainer', input, names, async () => {
        trainers.push(await resumeTrainer(input, { device }));
      });
      count(resumed, outcome);
    }
    report(
      'fuzz (checkpoints)',
      { 'checkpoint (restore)': t, 'checkpoint (resume)': resumed },
      (performance.now() - started) / 1000,
    );
    expect(t.accepted + t.refused).toBe(CASES);
  });
});
