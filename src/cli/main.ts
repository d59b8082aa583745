// CLI entry: `webgpu-reinforce train ...` and `webgpu-reinforce eval ...`. Exit codes: 0 ok, 1 target not
// reached, 2 bad input, 3 no GPU adapter or another runtime failure.
import { ReinforceError } from '../errors.js';
import { parseEvalArgs, parseTrainArgs, UsageError } from './args.js';
import { evaluate } from './evaluate.js';
import { train } from './train.js';
import { USAGE } from './usage.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command === 'train') return await train(parseTrainArgs(rest));
    if (command === 'eval') return await evaluate(parseEvalArgs(rest));
    throw new UsageError(`unknown command "${command}": allowed: train, eval`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`webgpu-reinforce: ${error.message}`);
      return 2;
    }
    if (error instanceof ReinforceError) {
      console.error(`webgpu-reinforce: ${error.message}`);
      return error.code === 'INVALID_OPTION' || error.code === 'INVALID_POLICY' ? 2 : 3;
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
