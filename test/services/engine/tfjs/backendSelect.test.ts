import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';

// tfjs-node and tfjs-node-gpu are optional dependencies that are not installed on this machine.
describe('selectBackend', () => {
  // No GPU here: webgpu finds no adapter, or (CI) only SwiftShader, a CPU emulation auto does not take.
  it('auto falls through webgpu, gpu and native to wasm and says why each was skipped', async () => {
    const r = await selectBackend('auto');
    expect(r.name).toBe('wasm');
    expect(r.tfBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(r.skipped.map((s) => s.name)).toEqual(['webgpu', 'gpu', 'native']);
    expect(r.skipped[0].reason).toMatch(/no WebGPU adapter|a CPU emulation \(slower than wasm\); choose --backend webgpu/);
    expect(r.skipped[1].reason).toMatch(/not installed \(@tensorflow\/tfjs-node-gpu\).*CUDA 11\.2.*cuDNN 8\.1/);
    expect(r.skipped[2].reason).toMatch(/not installed \(@tensorflow\/tfjs-node\)/);
    expect(describeBackend(r)).toMatch(/^backend wasm .*webgpu skipped: .*gpu skipped: not installed/);
  });

  it('a named backend that is not available is an error with the reason', async () => {
    await expect(selectBackend('native')).rejects.toThrow(/backend native is not usable: native: not installed/);
    await expect(selectBackend('gpu')).rejects.toThrow(/CUDA 11\.2/);
  });

  it('cpu and wasm can be chosen explicitly', async () => {
    expect(await selectBackend('cpu')).toEqual({ name: 'cpu', tfBackend: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toEqual({ name: 'wasm', tfBackend: 'wasm', skipped: [] });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown name', async () => {
    await expect(selectBackend('tpu' as never)).rejects.toThrow(/unknown backend "tpu".*auto, webgpu, gpu, native, wasm, cpu/);
  });
});
