/**
 * Starting a worker thread from a bundled or a source entry, for the batch pool (engine/run/workerPool.ts) and the
 * file guard (data/fileGuard.ts): `NAME.js` beside the caller in a bundle (esbuild's out/node, or electron-vite's
 * out/main when the caller sits in out/main/chunks), `NAME.ts` beside it when running from sources (tsx, vitest).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The entry `name` found from the module at `callerUrl` (its import.meta.url). Running from sources, a folder of
 * bundles named by SPIKING_WORKBENCH_WORKER_DIR comes first: the test setup builds out/node and names it, so the
 * threads run what users run and start in a fraction of a second instead of having tsx transform h5wasm's and
 * tfjs's megabytes in every new thread.
 */
export function findWorkerEntry(name: string, callerUrl: string): URL {
  const bundles = process.env.SPIKING_WORKBENCH_WORKER_DIR;
  const fromSources = callerUrl.endsWith('.ts');
  const candidates = [
    ...(fromSources && bundles ? [pathToFileURL(join(bundles, `${name}.js`))] : []),
    ...[`./${name}.js`, `../${name}.js`, `./${name}.ts`].map((p) => new URL(p, callerUrl)),
  ];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) throw new Error(`worker entry ${name} not found: looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}`);
  return found;
}

export function startWorkerThread(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // Node does not apply `--import tsx` to a worker's entry; tsx's ESM API (its CommonJS twin fails in an
  // eval'd worker) loads the TypeScript module instead.
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(code, { ...options, eval: true });
}
