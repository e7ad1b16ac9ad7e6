/**
 * Chooses the TensorFlow.js backend every engine op runs on, and says why the others were not used.
 *
 * Preference order for `auto`: webgpu (the engine's own WGSL kernels through Dawn, on any GPU; a CPU emulation
 * such as SwiftShader only when asked for by name) → gpu (`@tensorflow/tfjs-node-gpu`, CUDA) → native
 * (`@tensorflow/tfjs-node`, libtensorflow on the CPU) → wasm (`@tensorflow/tfjs-backend-wasm`, XNNPACK; SIMD, no
 * threads in Node) → cpu (pure JS). The native packages are optional dependencies that often fail to install,
 * so they are loaded with a dynamic import and their absence is reported, not thrown. A backend counts as
 * usable only after a one-step smoke test (a forward and backward pass of a tiny network) gives finite numbers
 * that agree with the engine's CPU kernels.
 *
 * webgpu runs no tfjs ops: tfjs is set to wasm under it, for what still runs on the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BACKEND_NAMES, type BackendName, type BackendReport, type GpuAdapterReport } from '../../../shared/events';
import { NATIVE_PACKAGES, nativeHint, nativePackageMissing } from './nativePackages';
import { gpuSmokeTest, smokeTest } from './smokeTest';
import { describeAdapter } from '../../../shared/adapterText';

export type BackendPreference = 'auto' | BackendName;

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...BACKEND_NAMES];

/** What it takes to get one backend ready (`auto`: chosen automatically); throws an Error whose message is the reason it cannot be used. */
type Loader = (auto: boolean) => Promise<{ tfBackend: string; adapter?: GpuAdapterReport }>;

class Unavailable extends Error {
  constructor(
    message: string,
    readonly adapter?: GpuAdapterReport,
  ) {
    super(message);
  }
}

// Not named `require`: electron-vite's ESM shim declares that name in bundled chunks.
const nodeRequire = createRequire(import.meta.url);

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Loader errors can be multi-line (dlopen dumps); the first line names the missing library.
  return text.split('\n')[0].trim();
}

async function loadNative(which: 'gpu' | 'native'): Promise<{ tfBackend: string }> {
  const pkg = NATIVE_PACKAGES[which];
  const hint = nativeHint(which);
  const missing = nativePackageMissing(which);
  if (missing) throw new Unavailable(missing);
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    const specifier: string = pkg;
    await import(/* @vite-ignore */ specifier);
  } catch (err) {
    throw new Unavailable(`failed to load ${pkg}: ${message(err)}${hint}`);
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Unavailable(`${pkg} loaded but the "tensorflow" backend did not initialise`);
  if (which === 'gpu') {
    // tfjs-node-gpu runs on the CPU when CUDA finds no device; that is the native backend, not the gpu one.
    const usingGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
    if (usingGpu === false) throw new Unavailable(`${pkg} loaded but TensorFlow sees no CUDA GPU${hint}`);
  }
  return { tfBackend: 'tensorflow' };
}

/** Folder holding tfjs-backend-wasm's .wasm binaries; in Node the backend reads them from disk by path. */
export function wasmBinaryDir(): string {
  return path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + path.sep;
}

let wasmPathsSet = false;

async function loadWasm(): Promise<{ tfBackend: string }> {
  if (!wasmPathsSet) {
    setWasmPaths(wasmBinaryDir());
    wasmPathsSet = true;
  }
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  } catch (err) {
    throw new Unavailable(`failed to load @tensorflow/tfjs-backend-wasm: ${message(err)}`);
  }
  return { tfBackend: 'wasm' };
}

async function loadCpu(): Promise<{ tfBackend: string }> {
  // PROD silences the cpu backend's console hint to install tfjs-node; the report already says why not.
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('cpu'))) throw new Unavailable('the cpu backend did not initialise');
  return { tfBackend: 'cpu' };
}

/** A GPU adapter through Dawn; `auto` refuses CPU emulations (they are slower than wasm). */
async function loadWebgpu(auto: boolean): Promise<{ tfBackend: string; adapter: GpuAdapterReport }> {
  const { openGpu, GpuUnavailable } = await import('../webgpu/gpuAdapter');
  let ctx;
  try {
    ctx = await openGpu({ allowFallback: !auto });
  } catch (err) {
    throw err instanceof GpuUnavailable ? new Unavailable(err.message, err.adapter) : err;
  }
  // What runs on the CPU beside the GPU kernels (the smoke test's reference) uses the wasm kernels.
  await loadWasm();
  try {
    await gpuSmokeTest(ctx);
  } catch (err) {
    throw new Unavailable(`smoke test failed on ${ctx.adapter.description || 'the adapter'}: ${message(err)}`, ctx.adapter);
  }
  return { tfBackend: 'wgsl', adapter: ctx.adapter };
}

const LOADERS: Record<BackendName, Loader> = {
  webgpu: loadWebgpu,
  gpu: () => loadNative('gpu'),
  native: () => loadNative('native'),
  wasm: loadWasm,
  cpu: loadCpu,
};

type Tried = { tfBackend: string; adapter?: GpuAdapterReport } | { reason: string; adapter?: GpuAdapterReport };

async function tryBackend(name: BackendName, auto: boolean): Promise<Tried> {
  let loaded: { tfBackend: string; adapter?: GpuAdapterReport };
  try {
    loaded = await LOADERS[name](auto);
  } catch (err) {
    return { reason: message(err), ...(err instanceof Unavailable && err.adapter ? { adapter: err.adapter } : {}) };
  }
  // webgpu ran its own smoke test (GPU against CPU kernels).
  if (name === 'webgpu') return loaded;
  try {
    await smokeTest();
  } catch (err) {
    return { reason: `smoke test failed on ${loaded.tfBackend}: ${message(err)}` };
  }
  return loaded;
}

/**
 * Sets the backend for this process. `auto` takes the first of webgpu (a real GPU) → gpu → native → wasm → cpu
 * that loads and passes the smoke test; a named backend is used only if it works, otherwise this throws with
 * the reason.
 */
export async function selectBackend(pref: BackendPreference): Promise<BackendReport> {
  if (!BACKEND_PREFERENCES.includes(pref)) {
    throw new Error(`unknown backend "${String(pref)}" (choose one of ${BACKEND_PREFERENCES.join(', ')})`);
  }
  const order = pref === 'auto' ? BACKEND_NAMES : [pref];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    const result = await tryBackend(name, pref === 'auto');
    if ('tfBackend' in result) return { name, tfBackend: result.tfBackend, ...(result.adapter ? { adapter: result.adapter } : {}), skipped };
    skipped.push({ name, reason: result.reason, ...(result.adapter ? { adapter: result.adapter } : {}) });
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(pref === 'auto' ? `no tfjs backend works (${reasons})` : `backend ${pref} is not usable: ${reasons}`);
}

/** One line for logs: the backend used and why each earlier one was skipped. */
export function describeBackend(report: BackendReport): string {
  const skipped = report.skipped.map((s) => `${s.name} skipped: ${s.reason}`);
  const head = report.adapter ? `backend ${report.name} on ${describeAdapter(report.adapter)}` : `backend ${report.name} (tfjs "${report.tfBackend}")`;
  return [head, ...skipped].join('; ');
}
