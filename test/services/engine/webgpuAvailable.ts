/**
 * Whether this machine has a WebGPU adapter for the webgpu tests (a real GPU, or SwiftShader through
 * the manifest test/globalSetup.ts adds); where none is, the tests skip and say what to install.
 */
import { openGpu, type GpuContext } from '../../../src/services/engine/webgpu/gpuAdapter';
import { noAdapterLine } from '../../systemPackages';

/** The adapter, or the skip line (warned once per test file) naming what to install. */
export async function webgpuAvailable(): Promise<{ ctx: GpuContext; reason: null } | { ctx: null; reason: string }> {
  try {
    return { ctx: await openGpu({ allowFallback: true }), reason: null };
  } catch (err) {
    const reason = noAdapterLine(err instanceof Error ? err.message : String(err));
    console.warn(`skipping tests that ${reason}`);
    return { ctx: null, reason };
  }
}
