import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Main bundles four entries: the window/IPC process, the training process it forks, that process's
// batch worker threads and the file guard's worker thread.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // Started by main with utilityProcess.fork(out/main/trainingProcess.js).
          trainingProcess: resolve(__dirname, 'src/services/workbench/trainingProcessEntry.ts'),
          // The headless CLI, for the Sweeps view's tasks (run by Electron as Node, ELECTRON_RUN_AS_NODE=1).
          cli: resolve(__dirname, 'src/cli/index.ts'),
          // Worker threads of the batch pool; workerPool.ts (in out/main or out/main/chunks) finds out/main/batchWorker.js.
          batchWorker: resolve(__dirname, 'src/services/engine/run/batchWorker.ts'),
          // The file guard's worker thread (reads of users' HDF5 files that a damaged file cannot hang).
          fileWorker: resolve(__dirname, 'src/services/data/fileWorker.ts'),
        },
        // Native / wasm-loading packages stay external so they resolve from node_modules at run time.
        external: ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm', 'h5wasm', 'h5wasm/node', 'electron-store', 'webgpu'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') })],
  },
});
