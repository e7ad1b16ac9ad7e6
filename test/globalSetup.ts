/**
 * Once per test run: builds the plain-Node bundles (out/node; the CLI and serve tests spawn what users run, and
 * worker threads started from sources run them too: workerThread.ts), and
 * gives the webgpu tests an adapter on a machine without a GPU. Debian's chromium ships SwiftShader, a Vulkan
 * implementation on the CPU, without a system-wide manifest; a manifest written here is added to the drivers the
 * Vulkan loader reads (VK_ADD_DRIVER_FILES), so a real GPU, where there is one, is still found first. The test
 * processes inherit the variable; nothing is borrowed from .ci/run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPath } from './onPath';
// @ts-expect-error plain ESM build script without type declarations
import { buildNode } from '../scripts/buildNode.mjs';

/** Where Debian's chromium package keeps its SwiftShader. */
const SWIFTSHADER = '/usr/lib/chromium/libvk_swiftshader.so';

function addSwiftShader(): void {
  // A user who names the drivers (VK_ICD_FILENAMES / VK_DRIVER_FILES) gets exactly those; chromium counts as
  // installed when PATH finds it, as for the browser tests.
  if (process.platform !== 'linux' || process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES || !onPath('chromium') || !existsSync(SWIFTSHADER)) return;
  // chromium's own manifest has a relative library path, resolved against the working directory: write one.
  const manifest = join(tmpdir(), 'spiking-workbench-swiftshader-icd.json');
  writeFileSync(manifest, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: SWIFTSHADER, api_version: '1.0.5' } }) + '\n');
  const added = (process.env.VK_ADD_DRIVER_FILES ?? '').split(':').filter(Boolean);
  if (!added.includes(manifest)) process.env.VK_ADD_DRIVER_FILES = [...added, manifest].join(':');
}

export default async function setup(): Promise<void> {
  addSwiftShader();
  await buildNode();
  console.log(`test deadlines × ${process.env.SPIKING_WORKBENCH_TEST_SLOWDOWN} (this machine's measured speed, test/slowdown.ts)`);
  // Worker threads started from sources (the file guard's readers, the batch pool) run these fresh bundles.
  process.env.SPIKING_WORKBENCH_WORKER_DIR = join(import.meta.dirname, '..', 'out', 'node');
}
