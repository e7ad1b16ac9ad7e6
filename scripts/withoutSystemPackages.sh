#!/usr/bin/env bash
# Runs a command as on a machine that has Node and nothing optional: the programs of the optional system packages
# (scripts/installSystemPackages.sh) are hidden from PATH. PATH becomes one folder of links to every program on
# the current PATH but chromium, espeak-ng, sox, python3 and SLURM's. The test suite finds those through PATH
# (and chromium's SwiftShader through chromium), so its tests that need them skip, each naming its package.
# Use: bash scripts/withoutSystemPackages.sh npm test
set -euo pipefail
hide='^(chromium|chromium-browser|espeak-ng|espeak|sox|python3|python3\..*|python|sinfo|sbatch|squeue|scancel|scontrol|srun|salloc|slurmctld|slurmd|munged)$'
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
IFS=:
for dir in $PATH; do
  [ -d "$dir" ] || continue
  for f in "$dir"/*; do
    n="${f##*/}"
    [[ $n =~ $hide ]] && continue
    [ -e "$bin/$n" ] || ln -s "$f" "$bin/$n"
  done
done
unset IFS
PATH="$bin" "$@"
