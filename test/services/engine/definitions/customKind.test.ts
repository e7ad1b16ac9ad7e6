/**
 * A user-defined neuron goes through the same generator as the built-in kinds: written in the language, LIF and
 * adLIF train exactly as the built-in lif and adlif do (the same loss and every gradient, bit for bit on the CPU
 * backends, where both run the same float32 operations in the same order), on webgpu too (to float32
 * tolerance), and its derived backward passes the finite-difference check.
 */
import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, type NeuronKind, type TrainConfig } from '../../../../src/shared/config';
import { EXAMPLE_CUSTOM_SOURCE, type CustomNeuronSpec } from '../../../../src/shared/customNeuron';
import type { BinnedBatch } from '../../../../src/services/data/binning';
import { finiteDifferenceCheck } from '../../../../src/services/engine/conformance/finiteDifference';
import { neuronDefinition } from '../../../../src/services/engine/definitions';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { emptyParams, networkShape } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { GpuNetwork } from '../../../../src/services/engine/webgpu/gpuNetwork';
import { SeededRandom } from '../../../../src/services/random/seededRandom';
import { webgpuAvailable } from '../webgpuAvailable';
import { ADLIF_PROGRAM } from '../../../fixtures/customNeurons';



const [B, T, C, K] = [4, 30, 16, 3];

function batch(): BinnedBatch {
  const rng = new SeededRandom(9);
  const flat: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < B * T * C; i++) if (rng.next() < 0.15) (flat.push(i), counts.push(1));
  return { size: B, nbSteps: T, channels: C, indices: Int32Array.from({ length: B }, (_, i) => i), labels: Int32Array.from({ length: B }, (_, i) => i % K), flat: Int32Array.from(flat), counts: Float32Array.from(counts), dropped: 0 };
}

/** The built-in kind's network and the same network (same parameter vector) as a custom neuron. */
function pair(kind: NeuronKind, source: string, weightScale: number) {
  const base: TrainConfig = {
    ...cloneConfig(DEFAULT_CONFIG), neuron: kind, nbSteps: T, weightScale, seed: 4, learnTau: true, adaptQ: 30,
    layers: [{ size: 8, recurrent: true, dropout: 0 }],
  };
  const builtin = initNetwork(networkShape(base, C, K), base);
  const spec: CustomNeuronSpec = { name: `my ${kind}`, source, surrogate: 'fast-sigmoid' };
  const config: TrainConfig = { ...base, neuron: 'custom', customNeuron: spec };
  const custom = emptyParams(networkShape(config, C, K), builtin.flat.slice());
  expect(custom.layout.map((e) => e.name)).toEqual(builtin.layout.map((e) => e.name));
  return { base, builtin, config, custom };
}

describe('a user-defined neuron', () => {
  for (const [kind, source, ws] of [['lif', EXAMPLE_CUSTOM_SOURCE, 2], ['adlif', ADLIF_PROGRAM, 8]] as const) {
    for (const backend of ['cpu', 'wasm'] as const) {
      it(`written as ${kind}: the built-in ${kind}'s loss and every gradient, bit for bit (${backend})`, async () => {
        await selectBackend(backend);
        const p = pair(kind, source, ws);
        const x = batch();
        const want = runBatch(p.builtin, p.base, x, { gradients: true, allGradients: true, loop: 'fused' });
        const got = runBatch(p.custom, p.config, x, { gradients: true, allGradients: true, loop: 'fused' });
        expect(want.spikesPerLayer[0]).toBeGreaterThan(0);
        expect(got.loss).toBe(want.loss);
        expect(Array.from(got.grads!)).toEqual(Array.from(want.grads!));
        // tfjs' autograd on the same definition agrees too.
        const tensor = runBatch(p.custom, p.config, x, { gradients: true, allGradients: true, loop: 'tensor' });
        expect(Math.abs(tensor.loss - want.loss) / want.loss).toBeLessThan(1e-5);
      });
    }
    it(`written as ${kind}: its derived backward passes the finite-difference check`, () => {
      const r = finiteDifferenceCheck(neuronDefinition({ kind: 'custom', custom: { name: kind, source, surrogate: 'fast-sigmoid' } }));
      expect(r.mismatches).toEqual([]);
    });
  }

  it('two programs in one process keep their own kernels', async () => {
    await selectBackend('cpu');
    const lif = pair('lif', EXAMPLE_CUSTOM_SOURCE, 2);
    const adlif = pair('adlif', ADLIF_PROGRAM, 8);
    expect(neuronDefinition(lif.custom.shape.layers[0]).id).not.toBe(neuronDefinition(adlif.custom.shape.layers[0]).id);
    const x = batch();
    const a = runBatch(lif.custom, lif.config, x, { gradients: false, loop: 'fused' });
    runBatch(adlif.custom, adlif.config, x, { gradients: false, loop: 'fused' });
    expect(runBatch(lif.custom, lif.config, x, { gradients: false, loop: 'fused' }).loss).toBe(a.loss);
  });
});

const gpu = await webgpuAvailable();

describe.skipIf(gpu.ctx === null)(`a user-defined neuron on webgpu${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  it('written as adlif: the built-in adlif\'s loss and gradients to 1e-4', async () => {
    await selectBackend('wasm');
    const net = new GpuNetwork(gpu.ctx!);
    try {
      const p = pair('adlif', ADLIF_PROGRAM, 8);
      const x = batch();
      const want = runBatch(p.builtin, p.base, x, { gradients: true, allGradients: true, loop: 'fused' });
      const got = await net.run(p.custom, p.config, x, { gradients: true, allGradients: true });
      expect(Math.abs(got.loss - want.loss) / want.loss).toBeLessThan(1e-5);
      let scale = 0;
      for (const g of want.grads!) scale = Math.max(scale, Math.abs(g));
      want.grads!.forEach((g, i) => expect(Math.abs(got.grads![i] - g)).toBeLessThan(1e-4 * Math.abs(g) + 1e-5 * scale));
    } finally {
      net.destroy();
    }
  });
});
