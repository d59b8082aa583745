// Device acquisition for Node (Dawn, the `webgpu` package) and the browser (navigator.gpu):
// the real adapter first, SwiftShader (a CPU Vulkan driver) as the fallback (chosen up front where no GPU driver is
// installed), a clear error when neither exists.
import { ReinforceError } from '../errors.js';

export interface AcquiredDevice {
  device: GPUDevice;
  /** "vendor architecture (description)" as the adapter reports it. */
  adapterName: string;
  /** True when running on a software (CPU) adapter such as SwiftShader. */
  softwareAdapter: boolean;
  /** The adapter's subgroup sizes, where it reports them. */
  subgroupSizes?: { min: number; max: number };
}

export interface RequestDeviceOptions {
  /** Skip the real adapter and use SwiftShader (Node only). */
  forceFallback?: boolean;
  powerPreference?: GPUPowerPreference;
  /** Ask for the "timestamp-query" feature when the adapter has it (default true): per-kernel GPU timing. */
  timestampQueries?: boolean;
}

/** Debian/Ubuntu's chromium package ships SwiftShader's Vulkan driver here. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Manifests of Vulkan drivers that run on the CPU (SwiftShader, Mesa's lavapipe/llvmpipe): not a GPU. */
const SOFTWARE_ICD = /swiftshader|lvp|lavapipe|llvmpipe/i;

/**
 * The Vulkan driver manifest to name (VK_ICD_FILENAMES) before Dawn's first instance, or undefined to leave the
 * Vulkan loader to its own search. `installed` lists the manifests (.json paths) in the loader's search folders
 * (vulkanIcdManifests), `env` the process environment, `fallbackIcd` the SwiftShader manifest when it exists.
 * SwiftShader is named up front only where the first try could not find a GPU anyway: Linux (elsewhere the loader
 * searches the registry or bundles, and Dawn may not use Vulkan at all), no driver named by the user
 * (VK_ICD_FILENAMES, VK_DRIVER_FILES, VK_ADD_DRIVER_FILES), and no installed manifest other than a software
 * driver's. The loader's first instance would otherwise print "vkCreateInstance: Found no drivers!" (with a C++
 * source path) to stderr before the fallback that then works.
 */
export function preselectedIcd(
  installed: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  fallbackIcd: string | undefined,
  platform: string,
): string | undefined {
  if (platform !== 'linux' || fallbackIcd === undefined) return undefined;
  const named = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'].some((k) => (env[k] ?? '').trim() !== '');
  if (named) return undefined;
  const gpuDriver = installed.some((path) => !SOFTWARE_ICD.test(path.split('/').at(-1) ?? path));
  return gpuDriver ? undefined : fallbackIcd;
}

/**
 * The Vulkan driver manifests (.json) in the folders the Linux Vulkan loader searches: $XDG_CONFIG_HOME,
 * $XDG_CONFIG_DIRS (/etc/xdg), /etc, $XDG_DATA_HOME and $XDG_DATA_DIRS (/usr/local/share:/usr/share), each with
 * vulkan/icd.d appended. A folder that is missing or unreadable adds nothing.
 */
export async function vulkanIcdManifests(env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const { readdirSync } = await import('node:fs');
  const home = env.HOME ?? '';
  const list = (value: string | undefined, fallback: string) =>
    (value && value.trim() !== '' ? value : fallback).split(':').filter((d) => d !== '');
  const bases = [
    env.XDG_CONFIG_HOME || (home && `${home}/.config`),
    ...list(env.XDG_CONFIG_DIRS, '/etc/xdg'),
    '/etc',
    env.XDG_DATA_HOME || (home && `${home}/.local/share`),
    ...list(env.XDG_DATA_DIRS, '/usr/local/share:/usr/share'),
  ].filter((d): d is string => typeof d === 'string' && d !== '');
  const manifests: string[] = [];
  for (const base of new Set(bases)) {
    const dir = `${base}/vulkan/icd.d`;
    try {
      for (const name of readdirSync(dir)) if (name.endsWith('.json')) manifests.push(`${dir}/${name}`);
    } catch {
      // no such folder
    }
  }
  return manifests;
}

const INSTALL_HINT =
  'no WebGPU adapter found: on a machine without a GPU install SwiftShader and the Vulkan loader ' +
  '(Debian/Ubuntu: apt-get install -y chromium libvulkan1); in a browser use one with WebGPU enabled';

// Dawn's GPU objects must outlive every device made from them (see docs on Node): keep them referenced.
const nodeInstances: GPU[] = [];

export function describeAdapter(info: GPUAdapterInfo): Omit<AcquiredDevice, 'device'> {
  const parts = [info.vendor, info.architecture].filter((s) => s && s.length > 0);
  const name = `${parts.join(' ') || 'unknown adapter'}${info.description ? ` (${info.description})` : ''}`;
  const fallbackFlag = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const software = /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
  const sizes = info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  const subgroupSizes =
    sizes.subgroupMinSize && sizes.subgroupMaxSize ? { min: sizes.subgroupMinSize, max: sizes.subgroupMaxSize } : undefined;
  return { adapterName: name, softwareAdapter: fallbackFlag || software, subgroupSizes };
}

async function nodeAdapter(options: RequestDeviceOptions): Promise<GPUAdapter | null> {
  // Node only, and an optional peer dependency: a variable specifier keeps bundlers from resolving it.
  const specifier = 'webgpu';
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import(/* @vite-ignore */ specifier);
  } catch {
    throw new ReinforceError('NO_ADAPTER', 'running in Node needs the "webgpu" package (Dawn): npm install webgpu');
  }
  if (typeof globalThis.GPUBufferUsage === 'undefined') {
    Object.assign(globalThis, webgpu.globals);
  }
  // The Vulkan loader complains on every instance when this is unset.
  process.env.XDG_RUNTIME_DIR ??= (await import('node:os')).tmpdir();
  const flags = dawnToggleFlags(process.env.WEBGPU_REINFORCE_DAWN_TOGGLES);
  const tryCreate = async (): Promise<GPUAdapter | null> => {
    const gpu = webgpu.create(flags) as unknown as GPU;
    nodeInstances.push(gpu);
    return gpu.requestAdapter({ powerPreference: options.powerPreference });
  };
  const fs = await import('node:fs');
  const icd = process.env.WEBGPU_REINFORCE_ICD ?? SWIFTSHADER_ICD;
  const fallbackIcd = fs.existsSync(icd) ? icd : undefined;
  // No GPU driver installed: SwiftShader from the first instance, so the loader has nothing to warn about.
  const preselected = options.forceFallback
    ? undefined
    : preselectedIcd(await vulkanIcdManifests(process.env), process.env, fallbackIcd, process.platform);
  if (!options.forceFallback && preselected === undefined) {
    const adapter = await tryCreate();
    if (adapter) return adapter;
  }
  if (fallbackIcd === undefined) return null;
  // The Vulkan loader reads this when the next instance is created.
  process.env.VK_ICD_FILENAMES = fallbackIcd;
  return tryCreate();
}

/**
 * Dawn's instance flags in Node for WEBGPU_REINFORCE_DAWN_TOGGLES, a comma-separated list of Dawn toggle names
 * (e.g. "disable_robustness", which drops the shaders' bounds clamping: the benchmark's --no-robustness measures
 * what it costs). Only the form is checked (lowercase, digits, _): Dawn silently ignores a name it does not know.
 */
export function dawnToggleFlags(toggles: string | undefined): string[] {
  const names = dawnToggleNames(toggles);
  if (names.length === 0) return [];
  const wrong = names.find((name) => !/^[a-z][a-z0-9_]*$/.test(name));
  if (wrong !== undefined)
    throw new ReinforceError(
      'INVALID_OPTION',
      `WEBGPU_REINFORCE_DAWN_TOGGLES must be comma-separated Dawn toggle names (lowercase, digits, _), got "${wrong}"`,
    );
  return [`enable-dawn-features=${names.join(',')}`];
}

/** The names in a comma-separated toggle list (WEBGPU_REINFORCE_DAWN_TOGGLES), blanks dropped. */
export function dawnToggleNames(toggles: string | undefined): string[] {
  return (toggles ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 10),
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
  };
}

/**
 * A device on the best adapter available. The caller owns the device: call device.destroy() when done.
 * Device loss is reported on stderr (and surfaces as a DEVICE_LOST error from any trainer using it).
 */
export async function requestDevice(options: RequestDeviceOptions = {}): Promise<AcquiredDevice> {
  const browserGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  let adapter: GPUAdapter | null;
  if (browserGpu) {
    adapter = await browserGpu.requestAdapter({ powerPreference: options.powerPreference });
  } else if (typeof process !== 'undefined' && process.versions?.node) {
    adapter = await nodeAdapter(options);
  } else {
    adapter = null;
  }
  if (!adapter) throw new ReinforceError('NO_ADAPTER', INSTALL_HINT);
  // Timestamp queries let Trainer.profileStep time each kernel on the GPU; nothing else depends on them.
  const timestamps = (options.timestampQueries ?? true) && adapter.features.has('timestamp-query');
  const requiredFeatures: GPUFeatureName[] = timestamps ? ['timestamp-query'] : [];
  // Subgroups let pairs of samples share weight loads on a CPU adapter (src/algo/kernelPlan.ts subgroupWeightSharing).
  if (adapter.features.has('subgroups')) requiredFeatures.push('subgroups' as GPUFeatureName);
  const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter), requiredFeatures });
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.error(`webgpu-reinforce: GPU device lost: ${info.message}`);
  });
  return { device, ...describeAdapter(adapter.info) };
}
