/**
 * The fused loop reserves a batch's memory up front, bounded by what one (step, sample, neuron) can receive — not by
 * the delay kernel's width: at σ = 10 (DelRec's start) a reservation of spikes × taps for every slot asked 4.4 GiB
 * for the `shd-delays` preset's batch and the run failed on wasm's 4 GiB limit.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../../src/shared/config';
import { findPreset } from '../../../../src/shared/presets';
import { arenaBytes } from '../../../../src/services/engine/cpu/fusedNetwork';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape } from '../../../../src/services/engine/model/modelState';
import type { BinnedBatch } from '../../../../src/services/data/binning';

describe('fused loop: the delays\' arena', () => {
  const preset = findPreset('shd-delays')!;
  // The preset's batch (B 256, T 100, 2 × 256), with feed-forward delays too.
  const config = makeConfig({ ...preset.config, ffDelayMax: 30 });
  const params = initNetwork(networkShape(config, 700, 20), config);
  const B = config.batchSize;
  const T = config.nbSteps;
  // 10 k input bins per sample, as SHD's.
  const nnz = 10_000 * B;
  const batch: BinnedBatch = { size: B, nbSteps: T, channels: 700, indices: new Int32Array(B), labels: new Int32Array(B), flat: new Int32Array(nnz), counts: new Float32Array(nnz), dropped: 0 };
  const bytes = (sigma: number) => arenaBytes({ params, config, batch, opts: { gradients: true, dropout: { seed: 0, epoch: 1 }, delaySigma: sigma }, simd: true });
  const without = arenaBytes({ params: initNetwork(networkShape({ ...config, recDelayMax: 0, ffDelayMax: 0 }, 700, 20), config), config, batch, opts: { gradients: true, dropout: { seed: 0, epoch: 1 } }, simd: true });

  it('fits wasm at every σ of the annealing, and hardly grows with σ once the lists merge', () => {
    for (const sigma of [0, 1, 3, 10]) expect(bytes(sigma), `σ ${sigma}`).toBeLessThan(2 * 2 ** 30);
    // σ 1 → 10 widens the kernel 4× (the old reservation grew with it); only the dense mode's D is added.
    expect(bytes(10)).toBeLessThan(1.1 * bytes(1));
  });

  it('costs at most a few T·B·H arrays per layer over the same network without delays', () => {
    const TN = T * B * 256;
    // Per layer: recurrent triples (two per slot at σ = 0, merged to one above), recAll and P; the feed-forward
    // list likewise, its merge's sum and ∂Z — at most 16 arrays of T·B·H whatever σ is (σ = 10 took 72 + 72).
    for (const sigma of [0, 1, 10]) expect(bytes(sigma) - without, `σ ${sigma}`).toBeLessThan(2 * 16 * TN * 4);
  });
});
