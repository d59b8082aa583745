// Time to solve CartPole-v1 (batch mean return >= 475) with the engine, from a fresh policy, per seed.
import { createTrainer } from '../src/index.js';

export interface SolveRun {
  seed: number;
  solved: boolean;
  iterations: number;
  envSteps: number;
  seconds: number;
  finalMeanReturn: number;
}

export async function timeToSolve(
  config: { numEnvs: number; hidden: number[]; lr: number },
  seed: number,
  maxIterations: number,
): Promise<SolveRun> {
  const trainer = await createTrainer({ ...config, seed });
  try {
    const start = performance.now();
    let envSteps = 0;
    for (let i = 1; i <= maxIterations; i++) {
      const stats = await trainer.step();
      envSteps += stats.envSteps;
      if (stats.meanReturn >= 475 || i === maxIterations) {
        const seconds = (performance.now() - start) / 1000;
        return { seed, solved: stats.meanReturn >= 475, iterations: i, envSteps, seconds, finalMeanReturn: stats.meanReturn };
      }
    }
    throw new RangeError('maxIterations must be at least 1');
  } finally {
    trainer.destroy();
  }
}
