// `webgpu-reinforce check-env`: steps the environment's WGSL from each reference transition's state with its
// action and compares next state, reward and termination (src/envs/checkEnvironment.ts). Exit 0 when every
// transition matches within CHECK_TOLERANCE, 1 otherwise.
import { CHECK_TOLERANCE, checkEnvironment, parseTransitions } from '../envs/checkEnvironment.js';
import { ReinforceError } from '../errors.js';
import { requestDevice } from '../gpu/device.js';
import { type CheckEnvArgs, UsageError } from './args.js';
import { environmentFromFlags, readJsonFlag } from './environmentFlags.js';

export async function checkEnv(args: CheckEnvArgs): Promise<number> {
  const env = environmentFromFlags(args);
  let transitions: ReturnType<typeof parseTransitions>;
  try {
    transitions = parseTransitions(readJsonFlag('vectors', args.vectors), args.vectors, env);
  } catch (error) {
    if (error instanceof ReinforceError) throw new UsageError(`--vectors: ${error.message}`);
    throw error;
  }
  const { device, adapterName } = await requestDevice();
  try {
    const report = await checkEnvironment(device, env, transitions);
    if (args.json) console.log(JSON.stringify(report));
    else {
      console.log(`adapter: ${adapterName}`);
      console.log(
        `${report.env}: ${report.transitions} transitions, max state error ${report.maxStateError.toExponential(2)}, ` +
          `max reward error ${report.maxRewardError.toExponential(2)} (relative to max(|expected|, 1); tolerance ${CHECK_TOLERANCE}), ` +
          `${report.terminatedMismatches} termination mismatches: ${report.ok ? 'ok' : 'MISMATCH'}`,
      );
    }
    return report.ok ? 0 : 1;
  } finally {
    device.destroy();
  }
}
