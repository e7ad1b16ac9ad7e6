#!/usr/bin/env bash
# Writes a Vulkan ICD manifest for Debian chromium's SwiftShader (a conformant Vulkan on the CPU) with an absolute
# library_path (chromium's own manifest has a relative one, which the Vulkan loader resolves against the working
# directory), and prints its path. Use: export VK_ICD_FILENAMES="$(bash scripts/swiftshaderIcd.sh)"; then the
# webgpu backend finds the "SwiftShader driver" adapter (slow, correct: the conformance tests run on it).
set -euo pipefail
lib=/usr/lib/chromium/libvk_swiftshader.so
out="${1:-${TMPDIR:-/tmp}/spiking-workbench-swiftshader-icd.json}"
if [ ! -f "$lib" ]; then
  echo "swiftshaderIcd: $lib not found (apt-get install chromium)" >&2
  exit 1
fi
printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.0.5"}}\n' "$lib" > "$out"
echo "$out"
