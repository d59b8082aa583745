// Which Vulkan driver Node asks for before Dawn's first instance (src/gpu/device.ts preselectedIcd): SwiftShader up
// front where no GPU driver is installed and the user named none (so the loader prints no "Found no drivers!"),
// the loader's own search (the real GPU first) everywhere else. Pure functions of the manifest list and the
// environment: no device is created here.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preselectedIcd, SWIFTSHADER_ICD, vulkanIcdManifests } from '../src/gpu/device.js';

const SWIFTSHADER = SWIFTSHADER_ICD;

describe('preselectedIcd', () => {
  it('names SwiftShader when no manifest, or only software drivers, are installed', () => {
    expect(preselectedIcd([], {}, SWIFTSHADER, 'linux')).toBe(SWIFTSHADER);
    const software = ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json', '/etc/vulkan/icd.d/vk_swiftshader_icd.json'];
    expect(preselectedIcd(software, { HOME: '/home/u' }, SWIFTSHADER, 'linux')).toBe(SWIFTSHADER);
  });

  it('leaves the loader alone when a GPU driver is installed (the real GPU first)', () => {
    for (const gpu of ['nvidia_icd.json', 'radeon_icd.x86_64.json', 'intel_icd.x86_64.json']) {
      const installed = ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json', `/usr/share/vulkan/icd.d/${gpu}`];
      expect(preselectedIcd(installed, {}, SWIFTSHADER, 'linux')).toBeUndefined();
    }
  });

  it("leaves the user's own driver choice alone", () => {
    for (const name of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES']) {
      expect(preselectedIcd([], { [name]: '/opt/icd.json' }, SWIFTSHADER, 'linux')).toBeUndefined();
    }
    // Set but blank counts as unset.
    expect(preselectedIcd([], { VK_ICD_FILENAMES: ' ' }, SWIFTSHADER, 'linux')).toBe(SWIFTSHADER);
  });

  it('names nothing without a SwiftShader manifest, or off Linux', () => {
    expect(preselectedIcd([], {}, undefined, 'linux')).toBeUndefined();
    expect(preselectedIcd([], {}, SWIFTSHADER, 'darwin')).toBeUndefined();
    expect(preselectedIcd([], {}, SWIFTSHADER, 'win32')).toBeUndefined();
  });
});

describe('vulkanIcdManifests', () => {
  it("lists the .json manifests in the loader's XDG folders and skips missing ones", async () => {
    const root = mkdtempSync(join(tmpdir(), 'webgpu-reinforce-icd-'));
    const data = join(root, 'data');
    const config = join(root, 'config');
    mkdirSync(join(data, 'vulkan', 'icd.d'), { recursive: true });
    mkdirSync(join(config, 'vulkan', 'icd.d'), { recursive: true });
    writeFileSync(join(data, 'vulkan', 'icd.d', 'nvidia_icd.json'), '{}');
    writeFileSync(join(data, 'vulkan', 'icd.d', 'README'), '');
    writeFileSync(join(config, 'vulkan', 'icd.d', 'lvp_icd.json'), '{}');
    const env = {
      HOME: join(root, 'home'),
      XDG_DATA_DIRS: `${join(root, 'missing')}:${data}`,
      XDG_CONFIG_DIRS: config,
    };
    const found = await vulkanIcdManifests(env);
    const ours = found.filter((path) => path.startsWith(root));
    expect(ours).toEqual([join(config, 'vulkan', 'icd.d', 'lvp_icd.json'), join(data, 'vulkan', 'icd.d', 'nvidia_icd.json')]);
    expect(preselectedIcd(ours, env, SWIFTSHADER, 'linux')).toBeUndefined();
  });
});
