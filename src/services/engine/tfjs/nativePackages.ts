/**
 * The optional native tfjs packages (and Dawn's binding for webgpu) and whether they are installed. Kept free of tfjs so the app's main
 * process can list the backends without loading TensorFlow.js (backendSelect.ts loads it to use one).
 */
import { createRequire } from 'node:module';

export type NativeBackend = 'gpu' | 'native';

export const NATIVE_PACKAGES: Readonly<Record<NativeBackend, string>> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  native: '@tensorflow/tfjs-node',
};

/** Appended to every reason the gpu backend is unavailable: what it needs beyond the package. */
export function nativeHint(which: NativeBackend): string {
  return which === 'gpu' ? ' (tfjs-node-gpu needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1)' : '';
}

// Not named `require`: electron-vite's ESM shim declares that name in bundled chunks.
const nodeRequire = createRequire(import.meta.url);

/** null when Dawn's Node binding (the webgpu backend's package) resolves; else the reason. */
export function webgpuPackageMissing(): string | null {
  try {
    nodeRequire.resolve('webgpu');
    return null;
  } catch {
    return 'not installed (webgpu, Dawn for Node)';
  }
}

/** null when the package resolves; else the reason, e.g. "not installed (@tensorflow/tfjs-node-gpu) (… CUDA …)". */
export function nativePackageMissing(which: NativeBackend): string | null {
  const pkg = NATIVE_PACKAGES[which];
  try {
    nodeRequire.resolve(pkg);
    return null;
  } catch {
    return `not installed (${pkg})${nativeHint(which)}`;
  }
}
