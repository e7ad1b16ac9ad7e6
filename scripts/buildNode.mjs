#!/usr/bin/env node
/**
 * Bundles the plain-Node entry points (CLI, serve mode, the training process it forks) into out/node/.
 * Why not run them with tsx: tsx transforms every module it loads, h5wasm's 4 MB module included, which costs
 * ~2–6 s and ~650 MB per process start. A bundle with the npm packages left external starts in ~0.3 s.
 * Takes ~0.2 s, so `npm run cli` simply rebuilds before each run and never runs stale code.
 */
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildNode() {
  await build({
    absWorkingDir: root,
    entryPoints: {
      cli: 'src/cli/index.ts',
      serve: 'src/serve/index.ts',
      // Must sit next to the code that forks it (nodeForkLauncher looks beside itself).
      trainingProcessEntry: 'src/services/workbench/trainingProcessEntry.ts',
      // Worker threads of the batch pool; workerPool.ts looks for it beside itself (chunks sit in out/node too).
      batchWorker: 'src/services/engine/run/batchWorker.ts',
      // The file guard's worker thread; fileGuard.ts looks for it beside itself.
      fileWorker: 'src/services/data/fileWorker.ts',
    },
    outdir: 'out/node',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildNode();
}
