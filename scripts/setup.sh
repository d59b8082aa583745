#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine: SwiftShader (Debian's chromium package ships it) and the Vulkan
# loader when missing, so WebGPU runs without a GPU; then the npm dependencies from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || missing+=(chromium)
{ ldconfig -p 2>/dev/null || true; } | grep -q 'libvulkan.so.1' || missing+=(libvulkan1)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (SwiftShader and the Vulkan loader for WebGPU without a GPU)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "setup: npm ci"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
