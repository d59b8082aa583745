// Environments written by users: one that uses only the public interface (test/envs/corridor.wgsl, a descriptor
// built here, nothing from src/envs/) trains and improves; mistakes in a user environment are reported before
// any training with the user's file and line, or the missing part of the interface, or the field at fault.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTrainer, type EnvironmentDescriptor, ReinforceError, type Trainer } from '../src/index.js';
import { testDevice, trainersReleasedAfterAll } from './helpers/gpu.js';

const corridorSource = readFileSync(new URL('./envs/corridor.wgsl', import.meta.url), 'utf8');
const corridor: EnvironmentDescriptor = {
  name: 'corridor',
  obsDim: 8,
  action: { kind: 'categorical', n: 2 },
  horizon: 20,
  shader: { source: corridorSource, fileName: 'corridor.wgsl' },
  constants: { f32: { GOAL_REWARD: 10 } },
};
const withSource = (source: string, change: Partial<EnvironmentDescriptor> = {}): EnvironmentDescriptor => ({
  ...corridor,
  ...change,
  shader: { source, fileName: 'corridor.wgsl' },
});

const trainers = trainersReleasedAfterAll<Trainer>();

async function failure(env: EnvironmentDescriptor): Promise<ReinforceError> {
  const device = await testDevice();
  try {
    trainers.push(await createTrainer({ device, env, numEnvs: 16 }));
  } catch (error) {
    expect(error).toBeInstanceOf(ReinforceError);
    return error as ReinforceError;
  }
  throw new Error('expected createTrainer to fail');
}

describe('a user environment', () => {
  it('trains and improves (mean return over the first 3 iterations vs the last 3 of 25; fixed seed)', async () => {
    const device = await testDevice();
    const trainer = await createTrainer({ device, env: corridor, numEnvs: 512, hidden: [16], lr: 0.05, seed: 3 });
    trainers.push(trainer);
    const returns: number[] = [];
    for (let i = 0; i < 25; i++) returns.push((await trainer.step()).meanReturn);
    const first = (returns[0]! + returns[1]! + returns[2]!) / 3;
    const last = (returns[22]! + returns[23]! + returns[24]!) / 3;
    // A uniform random policy averages about -14 here; walking straight to the end earns 5.5 on average.
    expect(first).toBeLessThan(-5);
    expect(last).toBeGreaterThan(4);
  });

  it('that does not compile is reported with its own file and line', async () => {
    const broken = corridorSource.replace('select(1, 2, u.x < 0.5)', 'select(1, 2, u.x < HALF)');
    const error = await failure(withSource(broken));
    const line = broken.split('\n').findIndex((l) => l.includes('u.x < HALF')) + 1;
    expect(error.code).toBe('ENVIRONMENT');
    expect(error.message).toContain(`corridor.wgsl line ${line}: unresolved value 'HALF'`);
  });

  it('that misses part of the interface is told which function and its signature', async () => {
    const source = corridorSource.replace(/fn envObserve[\s\S]*?\n}\n/, '');
    const error = await failure(withSource(source));
    expect(error.code).toBe('ENVIRONMENT');
    expect(error.message).toContain('fn envObserve(s: EnvState) -> array<vec4f, OBS4> is missing');
  });

  it('whose observation size disagrees with the descriptor is refused before training, naming the line', async () => {
    const source = corridorSource.replace('var one: array<vec4f, OBS4>;', 'var one: array<vec4f, 2>;');
    const error = await failure(withSource(source, { obsDim: 12 }));
    expect(error.code).toBe('ENVIRONMENT');
    expect(error.message).toMatch(/corridor\.wgsl line \d+/);
  });

  it('with a bad descriptor field is refused naming the field and the allowed range', async () => {
    const cases: [Partial<EnvironmentDescriptor>, string][] = [
      [{ obsDim: 0 }, 'env.obsDim: must be an integer from 1 to 256'],
      [{ horizon: 1.5 }, 'env.horizon: must be an integer from 1 to 100000'],
      [{ action: { kind: 'categorical', n: 1 } }, 'env.action.n: must be an integer from 2 to 256'],
      [{ action: { kind: 'gaussian', dim: 5, low: [], high: [] } }, 'env.action.dim: must be an integer from 1 to 4'],
      [{ action: { kind: 'gaussian', dim: 1, low: [1], high: [1] } }, 'env.action.low[0]: must be below action.high[0]'],
      [{ constants: { f32: { 'bad name': 1 } } }, 'env.constants'],
    ];
    for (const [change, message] of cases) {
      const error = await failure({ ...corridor, ...change } as EnvironmentDescriptor);
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(message);
    }
  });
});
