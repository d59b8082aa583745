#!/usr/bin/env bash
# The whole test suite: type check, then every vitest file (kernels vs float64 references, statistical tests,
# CLI end to end). Runs on SwiftShader when there is no GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit
npx biome check .
npx vitest run "$@"
