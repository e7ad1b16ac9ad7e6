#!/usr/bin/env bash
# Installs the system packages the full test suite uses (Debian/Ubuntu, as root or through sudo). Without them the
# suite still passes: each test that needs one skips and names the package. What each package enables:
#   chromium            serve-mode browser tests (Playwright drives Debian's Chromium) and, through its
#                       SwiftShader, the webgpu backend's tests on a machine without a GPU
#   libvulkan1          the Vulkan loader Dawn (the webgpu backend) opens
#   mesa-vulkan-drivers Mesa's Vulkan drivers, so the tests see what a Linux desktop has (and that Dawn stays quiet)
#   python3-h5py        cross-checks of the HDF5 files our own writer makes
#   python3-torch       the PyTorch reference (../shared/reference/snn_reference.py): live agreement checks
#   espeak-ng, sox      spoken digits for the audio front end's tests
#   slurm-wlm, munge    a one-node SLURM cluster for the sweep's job-array test (start it: bash scripts/slurmLocal.sh)
# Use: bash scripts/installSystemPackages.sh
set -euo pipefail
packages=(chromium libvulkan1 mesa-vulkan-drivers python3-h5py python3-torch espeak-ng sox slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "installSystemPackages: all installed (${packages[*]})"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "installSystemPackages: no apt-get here; install the equivalents of: ${missing[*]}" >&2
  exit 1
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installSystemPackages: installed ${missing[*]}"
