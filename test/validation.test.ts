// Bad input is refused with an error that names the field and the allowed values; bindings are checked
// against the WGSL declarations.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTrainerWithPlan } from '../src/algo/createTrainer.js';
import { Kernel } from '../src/gpu/kernel.js';
import { composeShader, composeSource, originOf } from '../src/gpu/shaderSource.js';
import { createTrainer, liveBuffers, ReinforceError } from '../src/index.js';
import { initialPolicy, validatePolicy } from '../src/policy/policyFile.js';
import { testDevice } from './helpers/gpu.js';

describe('option validation', () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ numEnvs: 0 }, 'numEnvs', /from 1 to/],
    [{ numEnvs: 2.5 }, 'numEnvs', /integer/],
    [{ lr: -1 }, 'lr', /> 0/],
    [{ lr: Number.NaN }, 'lr', /> 0/],
    [{ gamma: 1.5 }, 'gamma', /\[0, 1\]/],
    [{ hidden: [0] }, 'hidden[0]', /from 1 to 1024/],
    [{ env: 'nope' }, 'env', /allowed: cartpole/],
    [{ baseline: 'median' }, 'baseline', /none, mean, perTimestep, optimal/],
    [{ activation: 'gelu' }, 'activation', /tanh/],
    [{ rewardToGo: 'yes' }, 'rewardToGo', /true or false/],
    [{ normalizeAdvantages: 1 }, 'normalizeAdvantages', /true or false/],
    [{ importanceSelfNormalize: 'no' }, 'importanceSelfNormalize', /true or false/],
  ];
  // Kernel-plan fields forced as tests and the bench may (createTrainerWithPlan): each refusal names the field.
  const planCases: [Record<string, unknown>, Record<string, unknown>, string, RegExp][] = [
    [{}, { samplesPerInvocation: 4 }, 'samplesPerInvocation', /1 or 2/],
    [{}, { envsPerGroup: 0 }, 'envsPerGroup', /from 1 to 256/],
    [{}, { subgroupWeightSharing: 'yes' }, 'subgroupWeightSharing', /true or false/],
    [{}, { samplesPerInvocation: 1, subgroupWeightSharing: true }, 'subgroupWeightSharing', /samplesPerInvocation 2/],
    [{}, { storeActivations: 'yes' }, 'storeActivations', /true or false/],
    [{ hidden: [32] }, { storeActivations: true }, 'storeActivations', /at least two hidden layers/],
    [{ hidden: [16, 16], epochs: 2 }, { storeActivations: true }, 'storeActivations', /on-policy training/],
    [{ hidden: [16, 16], reuse: 2 }, { storeActivations: true }, 'storeActivations', /on-policy training/],
    [{}, { laneGradients: 'yes' }, 'laneGradients', /true or false/],
    [{ hidden: [128, 128] }, { laneGradients: true }, 'laneGradients', /workgroup memory \(this policy's takes \d+ bytes/],
    [{}, { privateWeights: 'yes' }, 'privateWeights', /true or false/],
    [{}, { samplesPerInvocation: 1, privateWeights: true }, 'privateWeights', /samplesPerInvocation 2/],
    [{ hidden: [256, 256] }, { privateWeights: true }, 'privateWeights', /at most 8192 parameters/],
  ];
  const all = [...cases.map(([options, field, message]) => [options, {}, field, message] as const), ...planCases];
  for (const [options, plan, field, message] of all) {
    it(`refuses ${JSON.stringify(options)}${Object.keys(plan).length ? ` with the plan ${JSON.stringify(plan)}` : ''}`, async () => {
      const device = await testDevice();
      const error = await createTrainerWithPlan({ device, ...options }, plan).catch((e) => e);
      expect(error).toBeInstanceOf(ReinforceError);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    });
  }

  it('keeps hidden activations by default on a software adapter while they take at most 256 MiB', async () => {
    const { storeActivations, STORED_ACTIVATIONS_DEFAULT_BYTES } = await import('../src/algo/kernelPlan.js');
    const facts = { softwareAdapter: true, stored4: 16, offPolicy: false, bytes: 1e8, maxBytes: 2 ** 31 };
    expect(storeActivations(undefined, facts)).toBe(true);
    expect(storeActivations(undefined, { ...facts, softwareAdapter: false })).toBe(false);
    expect(storeActivations(true, { ...facts, softwareAdapter: false })).toBe(true);
    expect(storeActivations(undefined, { ...facts, bytes: STORED_ACTIVATIONS_DEFAULT_BYTES + 16 })).toBe(false);
    expect(storeActivations(true, { ...facts, bytes: STORED_ACTIVATIONS_DEFAULT_BYTES + 16 })).toBe(true);
    expect(storeActivations(undefined, { ...facts, offPolicy: true })).toBe(false);
    expect(() => storeActivations(true, { ...facts, bytes: 2 ** 32 })).toThrow(
      /^storeActivations: true needs rows that fit one buffer: 4294967296 bytes .* allows 2147483648/,
    );
  });

  it('gives each backward invocation its own gradient copy by default on a software adapter, where it fits', async () => {
    const { laneGradients, UNROLLED_MAX_PARAM4 } = await import('../src/algo/kernelPlan.js');
    // laneGradients reads only the device's workgroup memory: the copies are summed there (param4 vec4s and the
    // length prefix, envsPerGroup + 1 words), so a 32 KiB and a 64 KiB device separate that bound from the size bound.
    const withMemory = (bytes: number) => ({ limits: { maxComputeWorkgroupStorageSize: bytes } }) as GPUDevice;
    const small = withMemory(32768);
    const large = withMemory(65536);
    const full = (32768 - 16 * 5) / 16;
    const fits = { softwareAdapter: true, param4: full, envsPerGroup: 16 };
    expect(laneGradients(undefined, small, fits)).toBe(true);
    expect(laneGradients(undefined, small, { ...fits, param4: full + 1 })).toBe(false);
    expect(() => laneGradients(true, small, { ...fits, param4: full + 1 })).toThrow(/^laneGradients: true needs a gradient/);
    expect(laneGradients(undefined, large, { ...fits, param4: UNROLLED_MAX_PARAM4 })).toBe(true);
    expect(laneGradients(undefined, large, { ...fits, param4: UNROLLED_MAX_PARAM4 + 1 })).toBe(false);
    expect(() => laneGradients(true, large, { ...fits, param4: UNROLLED_MAX_PARAM4 + 1 })).toThrow(
      /^laneGradients: true needs a policy of at most 8192 parameters .*this one: 8196/,
    );
    expect(laneGradients(undefined, small, { ...fits, softwareAdapter: false })).toBe(false);
    expect(laneGradients(true, small, { ...fits, softwareAdapter: false })).toBe(true);
    expect(laneGradients(false, small, fits)).toBe(false);
  });

  it('copies the rollout weights to private memory by default on a software adapter with pairs, within the size bound', async () => {
    const { privateWeights, UNROLLED_MAX_PARAM4 } = await import('../src/algo/kernelPlan.js');
    const pairs = { softwareAdapter: true, samplesPerInvocation: 2 as const, param4: UNROLLED_MAX_PARAM4 };
    expect(privateWeights(undefined, pairs)).toBe(true);
    expect(privateWeights(undefined, { ...pairs, param4: UNROLLED_MAX_PARAM4 + 1 })).toBe(false);
    expect(() => privateWeights(true, { ...pairs, param4: UNROLLED_MAX_PARAM4 + 1 })).toThrow(
      /^privateWeights: true needs a policy of at most 8192 parameters/,
    );
    expect(privateWeights(undefined, { ...pairs, samplesPerInvocation: 1 })).toBe(false);
    expect(privateWeights(undefined, { ...pairs, softwareAdapter: false })).toBe(false);
    expect(privateWeights(true, { ...pairs, softwareAdapter: false })).toBe(true);
    expect(privateWeights(false, pairs)).toBe(false);
  });

  it('refuses more environments than one backward dispatch can cover', async () => {
    const device = await testDevice();
    const groups = device.limits.maxComputeWorkgroupsPerDimension;
    const error = await createTrainerWithPlan({ device, numEnvs: groups + 1, horizon: 2 }, { envsPerGroup: 1 }).catch((e) => e);
    expect(error.field).toBe('numEnvs');
    expect(error.message).toMatch(new RegExp(`must be at most ${groups} with envsPerGroup 1 .*got ${groups + 1}`));
  });

  it('refuses more environments than the device can hold', async () => {
    const device = await testDevice();
    const error = await createTrainer({ device, numEnvs: 4_000_000 }).catch((e) => e);
    expect(error.field).toBe('numEnvs');
    expect(error.message).toMatch(/on this device/);
  });

  it('refuses policy files that are corrupt or do not fit the environment', async () => {
    const good = initialPolicy({
      env: 'cartpole',
      obsDim: 4,
      action: { kind: 'categorical', n: 2 },
      hidden: [8],
      activation: 'tanh',
      seed: 1,
    });
    expect(validatePolicy(JSON.parse(JSON.stringify(good)))).toBeTruthy();
    const broken = JSON.parse(JSON.stringify(good));
    broken.layers[0].weight[3] = 'x';
    expect(() => validatePolicy(broken)).toThrow(/layers\[0\]\.weight\[3\]/);
    const short = JSON.parse(JSON.stringify(good));
    short.layers[1].bias.pop();
    expect(() => validatePolicy(short)).toThrow(/layers\[1\]\.bias must be an array of 2/);
    expect(() => validatePolicy({ format: 'something' })).toThrow(/format/);
    const device = await testDevice();
    const wrongEnv = { ...good, env: 'acrobot' };
    await expect(createTrainer({ device, policy: wrongEnv })).rejects.toThrow(/trained on "acrobot"/);
  });
});

describe('shader composition', () => {
  it('moves directives to the top once and still names where each line came from', async () => {
    const kernel = ['const A = 1u;', 'enable subgroups;', '#include "extra"', 'fn f() -> u32 { return A + B; }'].join('\n');
    const extra = ['enable subgroups; // also needed here', 'const B = 3u;', 'fn g() -> u32 { return nope; }'].join('\n');
    const code = await composeSource('kernel.wgsl', kernel, {
      prelude: 'const P = 2u;',
      splices: { extra: { name: 'extra.wgsl', source: extra } },
    });
    const lines = code.split('\n');
    expect(lines.filter((l) => l.startsWith('enable'))).toEqual(['enable subgroups;']);
    expect(lines.findIndex((l) => l.startsWith('enable'))).toBeLessThan(lines.indexOf('const P = 2u;'));
    const lineOf = (text: string) => lines.indexOf(text) + 1;
    expect(originOf(code, lineOf('enable subgroups;'))).toBe('kernel.wgsl line 2');
    expect(originOf(code, lineOf('const P = 2u;'))).toBe('host constants line 1');
    expect(originOf(code, lineOf('fn f() -> u32 { return A + B; }'))).toBe('kernel.wgsl line 4');
    expect(originOf(code, lineOf('fn g() -> u32 { return nope; }'))).toBe('extra.wgsl line 3');
  });
});

describe('reflected bindings', () => {
  it('derives the layout from WGSL and refuses buffers that do not fit the declaration', async () => {
    const device = await testDevice();
    const prelude = 'const HORIZON: u32 = 10u;';
    const kernel = await Kernel.create(device, {
      label: 'returns',
      code: await composeShader('returns.wgsl', { prelude }),
      entryPoint: 'computeReturns',
    });
    expect(kernel.bindings.map((b) => `${b.binding}:${b.name}:${b.kind}`)).toEqual([
      '0:config:uniform',
      '1:rewards:read-only-storage',
      '2:episodes:storage',
      '3:returns:storage',
    ]);
    const storage = (size: number) => device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
    const config = device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM });
    const ok = { config, rewards: storage(64), episodes: storage(64), returns: storage(64) };
    expect(kernel.bind(ok)).toBeTruthy();
    expect(() => kernel.bind({ ...ok, returns: undefined as unknown as GPUBuffer })).toThrow(
      /no buffer given for binding "returns"/,
    );
    expect(() => kernel.bind({ ...ok, config: storage(48) })).toThrow(/"config" lacks GPUBufferUsage.UNIFORM/);
    expect(() => kernel.bind({ ...ok, episodes: storage(24) })).toThrow(/not a whole number of 16-byte elements/);
    expect(() => kernel.bind({ ...ok, config: device.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM }) })).toThrow(
      /needs at least 64/,
    );
  });

  it('reports WGSL compile errors with the line', async () => {
    const device = await testDevice();
    const error = await Kernel.create(device, {
      label: 'broken',
      code: readFileSync(new URL('./shaders/broken.wgsl', import.meta.url), 'utf8'),
      entryPoint: 'main',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ReinforceError);
    expect(error.message).toMatch(/line 2/);
  });
});

describe('device acquisition', () => {
  it('passes WEBGPU_REINFORCE_DAWN_TOGGLES to Dawn and refuses what is not a toggle name', async () => {
    const { dawnToggleFlags } = await import('../src/gpu/device.js');
    expect(dawnToggleFlags(undefined)).toEqual([]);
    expect(dawnToggleFlags('disable_robustness, skip_validation')).toEqual([
      'enable-dawn-features=disable_robustness,skip_validation',
    ]);
    expect(() => dawnToggleFlags('disable_robustness,--no-sandbox')).toThrow(
      /WEBGPU_REINFORCE_DAWN_TOGGLES must be comma-separated Dawn toggle names .*"--no-sandbox"/,
    );
  });

  it('says what to install when no adapter exists', async () => {
    const { requestDevice } = await import('../src/gpu/device.js');
    const saved = process.env.WEBGPU_REINFORCE_ICD;
    process.env.WEBGPU_REINFORCE_ICD = '/nonexistent/icd.json';
    try {
      const error = await requestDevice({ forceFallback: true }).catch((e) => e);
      expect(error).toBeInstanceOf(ReinforceError);
      expect(error.code).toBe('NO_ADAPTER');
      expect(error.message).toMatch(/apt-get install -y chromium libvulkan1/);
    } finally {
      if (saved === undefined) delete process.env.WEBGPU_REINFORCE_ICD;
      else process.env.WEBGPU_REINFORCE_ICD = saved;
    }
  });
});

describe('device memory', () => {
  // `device` with some of its members replaced (every other method still called on the real device).
  function deviceWith(device: GPUDevice, overrides: Record<string, unknown>): GPUDevice {
    return new Proxy(device, {
      get(target, key) {
        if (typeof key === 'string' && key in overrides) return overrides[key];
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  // No adapter here runs out of memory on demand, so the device reports it: every out-of-memory error scope popped
  // while the trainer makes its buffers answers with an error, as a device that cannot hold them does.
  function deviceOutOfMemory(device: GPUDevice): GPUDevice {
    const filters: GPUErrorFilter[] = [];
    return deviceWith(device, {
      pushErrorScope: (filter: GPUErrorFilter) => {
        filters.push(filter);
        device.pushErrorScope(filter);
      },
      popErrorScope: async () => {
        const error = await device.popErrorScope();
        return filters.pop() === 'out-of-memory' ? { message: 'simulated: not enough memory' } : error;
      },
    });
  }

  it('refuses buffers the device cannot hold, naming numEnvs and the bytes, and keeps none of them', async () => {
    const device = deviceOutOfMemory(await testDevice());
    const before = liveBuffers(device);
    const error = await createTrainer({ device, numEnvs: 300, horizon: 40 }).catch((e) => e);
    expect(error).toBeInstanceOf(ReinforceError);
    expect(error.code).toBe('OUT_OF_MEMORY');
    expect(error.field).toBe('numEnvs');
    expect(error.message).toMatch(/300 environments x horizon 40 \([0-9.]+ MiB\).*simulated: not enough memory/);
    expect(liveBuffers(device)).toBe(before);
    // The caller's device is left as it was: its error scopes balanced, a trainer made on it afterwards works.
    const trainer = await createTrainer({ device: await testDevice(), numEnvs: 300, horizon: 40 });
    await trainer.step();
    trainer.destroy();
  });

  it("releases the buffers already made on the caller's device when a later part of createTrainer fails", async () => {
    const real = await testDevice();
    const device = deviceWith(real, {
      createBindGroup: () => {
        throw new Error('simulated: bind group refused');
      },
    });
    const error = await createTrainer({ device, numEnvs: 64, horizon: 20 }).catch((e) => e);
    expect(error.message).toMatch(/simulated: bind group refused/);
    expect(liveBuffers(device)).toBe(0);
    const trainer = await createTrainer({ device: real, numEnvs: 64, horizon: 20 });
    await trainer.step();
    trainer.destroy();
  });
});
