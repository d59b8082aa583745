// Device acquisition for Node (Dawn, the `webgpu` package) and the browser (navigator.gpu):
// the real adapter first, SwiftShader (a CPU Vulkan driver) as the fallback, a clear error when neither exists.
import { ReinforceError } from '../errors.js';

export interface AcquiredDevice {
  device: GPUDevice;
  /** "vendor architecture (description)" as the adapter reports it. */
  adapterName: string;
  /** True when running on a software (CPU) adapter such as SwiftShader. */
  isFallback: boolean;
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
  return { adapterName: name, isFallback: fallbackFlag || software, subgroupSizes };
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
  if (!options.forceFallback) {
    const adapter = await tryCreate();
    if (adapter) return adapter;
  }
  const fs = await import('node:fs');
  const icd = process.env.WEBGPU_REINFORCE_ICD ?? SWIFTSHADER_ICD;
  if (!fs.existsSync(icd)) return null;
  // The Vulkan loader reads these when the next instance is created.
  process.env.VK_ICD_FILENAMES = icd;
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
  // Subgroups let pairs of samples share weight loads on a CPU adapter (trainerKernels.ts subgroupWeightSharing).
  if (adapter.features.has('subgroups')) requiredFeatures.push('subgroups' as GPUFeatureName);
  const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter), requiredFeatures });
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.error(`webgpu-reinforce: GPU device lost: ${info.message}`);
  });
  return { device, ...describeAdapter(adapter.info) };
}
