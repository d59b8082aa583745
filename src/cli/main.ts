// CLI entry: `webgpu-reinforce train|eval|check-env|variance ...`. Exit codes: 0 ok, 1 target not reached or a non-finite
// gradient (train) or a mismatch (check-env), 2 bad input, 3 no GPU adapter or another runtime failure, 4 the GPU
// device was lost, 130 / 143 stopped by SIGINT / SIGTERM (train).
import { ReinforceError } from '../errors.js';
import { parseCheckEnvArgs, parseEvalArgs, UsageError } from './args.js';
import { checkEnv } from './checkEnv.js';
import { evaluate } from './evaluate.js';
import { EXIT_DEVICE_LOST, train } from './train.js';
import { parseTrainArgs } from './trainArgs.js';
import { USAGE } from './usage.js';
import { variance } from './variance.js';
import { parseVarianceArgs } from './varianceArgs.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command === 'train') return await train(parseTrainArgs(rest));
    if (command === 'eval') return await evaluate(parseEvalArgs(rest));
    if (command === 'check-env') return await checkEnv(parseCheckEnvArgs(rest));
    if (command === 'variance') return await variance(parseVarianceArgs(rest));
    throw new UsageError(`unknown command "${command}": allowed: train, eval, check-env, variance`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`webgpu-reinforce: ${error.message}`);
      return 2;
    }
    if (error instanceof ReinforceError) {
      console.error(`webgpu-reinforce: ${error.message}`);
      if (error.code === 'DEVICE_LOST') return EXIT_DEVICE_LOST;
      if (error.code === 'NON_FINITE') return 1;
      return ['INVALID_OPTION', 'INVALID_POLICY', 'INVALID_CHECKPOINT', 'ENVIRONMENT'].includes(error.code) ? 2 : 3;
    }
    if (error instanceof Error && error.message.startsWith('--')) {
      console.error(`webgpu-reinforce: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

// A process that created a GPU device may not exit on its own: leave explicitly.
process.exit(await main(process.argv.slice(2)));
