// `webgpu-reinforce eval`: run a saved policy for many episodes in parallel and report its returns.
import { createTrainer } from '../algo/createTrainer.js';
import { builtInEnvironments } from '../envs/registry.js';
import { type EvalArgs, UsageError } from './args.js';
import { environmentFromFlags } from './environmentFlags.js';
import { readPolicyFlag } from './files.js';

export async function evaluate(args: EvalArgs): Promise<number> {
  const start = performance.now();
  const policy = readPolicyFlag('policy', args.policy);
  if (args.env === '' && !(policy.env in builtInEnvironments)) {
    throw new UsageError(
      `--policy: environment "${policy.env}" is not built in (${Object.keys(builtInEnvironments).join(', ')}); ` +
        'give its --env-file and --env-spec (or --env lqr --lqr config.json)',
    );
  }
  const env = environmentFromFlags(args.env === '' ? { ...args, env: policy.env } : args);
  const trainer = await createTrainer({ env, policy, numEnvs: args.episodes, seed: args.seed });
  try {
    const s = await trainer.evaluate({ deterministic: args.deterministic });
    const seconds = (performance.now() - start) / 1000;
    const result = {
      env: policy.env,
      episodes: args.episodes,
      deterministic: args.deterministic,
      meanReturn: s.meanReturn,
      minReturn: s.minReturn,
      maxReturn: s.maxReturn,
      meanLength: s.meanLength,
      entropy: s.entropy,
      seconds,
      adapter: trainer.adapterName,
    };
    if (args.json) console.log(JSON.stringify(result));
    else {
      console.log(`adapter: ${trainer.adapterName}`);
      console.log(
        `${policy.env}: mean return ${s.meanReturn.toFixed(1)} over ${args.episodes} episodes (min ${s.minReturn.toFixed(1)}, ` +
          `max ${s.maxReturn.toFixed(1)}), mean length ${s.meanLength.toFixed(1)}, ` +
          `${args.deterministic ? (policy.action.kind === 'categorical' ? 'greedy actions' : 'mean actions') : 'sampled actions'}, ${seconds.toFixed(1)} s`,
      );
    }
    return 0;
  } finally {
    trainer.destroy();
  }
}
