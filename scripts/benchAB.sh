#!/bin/bash
# Two builds' bench, alternating on the seed and the 2x128 adLIF configs (the VM drifts: compare runs made back to back).
#   git worktree add /tmp/old OLD_COMMIT && (cd /tmp/old && npm ci && node scripts/buildNode.mjs) && cp -r /tmp/old/out/node out/bench-old
#   node scripts/buildNode.mjs && cp -r out/node out/bench-new
#   bash scripts/benchAB.sh [ROUNDS] [extra bench flags, e.g. --workers 1]
set -e
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
shift || true
for round in $(seq "$ROUNDS"); do
  for cfg in seed adlif; do
    for which in old new; do
      if [ $cfg = seed ]; then args="--epochs 3 --json"; else args="--preset adlif-shd-small --layers 2 --epochs 3 --json"; fi
      printf '%s %s %s ' "$round" "$cfg" "$which"
      node "out/bench-$which/cli.js" bench $args "$@" 2>/dev/null | grep -o '"median_train_s":[0-9.]*\|"batch_cpu_ms":{[^}]*}' | tr '\n' ' '
      echo
    done
  done
done
