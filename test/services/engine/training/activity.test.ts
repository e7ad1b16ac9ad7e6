/**
 * Sparsity and SynOps (issue 14 §2): the evaluation's activity report recomputed from the spikes themselves
 * (every layer's records, sample by sample), the SynOps and dense MACs from the network's shape by hand, and
 * the per-speaker accuracies from the predictions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../../../src/shared/config';
import { binSpec } from '../../../../src/services/data/binning';
import { activityReport, E_AC_PJ, E_MAC_PJ, speakerResults } from '../../../../src/services/engine/training/activity';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { batchOf, binDataset } from '../../../../src/services/engine/run/binnedDataset';
import { evaluate } from '../../../../src/services/engine/training/evaluate';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { testSet } from '../smallProblem';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('activity report', () => {
  const config = makeConfig({
    neuron: 'lif',
    layers: [{ size: 20, recurrent: true, dropout: 0 }, { size: 12, recurrent: false, dropout: 0 }],
    nbSteps: 30,
    batchSize: 16,
    pool: 2,
    weightScale: 3,
  });
  const shape = networkShape(config, testSet.channels, testSet.classNames.length);
  const params = initNetwork(shape, config);

  it('agrees with the spikes counted from every layer\'s records, and the dense MACs of the shape', async () => {
    const ev = await evaluate(params, config, testSet);
    const bins = binDataset(testSet, binSpec(config));
    let input = 0;
    const spikes = [0, 0];
    for (let i = 0; i < testSet.samples; i++) {
      const batch = batchOf(bins, Int32Array.from([i]));
      input += batch.counts.reduce((a, b) => a + b, 0);
      const r = runBatch(params, config, batch, { gradients: false, records: true });
      r.records!.layers.forEach((l, k) => (spikes[k] += l.spikes.reduce((a, b) => a + b, 0)));
    }
    const n = testSet.samples;
    const a = ev.activity;
    expect(a.samples).toBe(n);
    expect(a.inputSpikesPerSample).toBeCloseTo(input / n, 9);
    expect(a.layers.map((l) => l.spikesPerSample)).toEqual(spikes.map((s) => s / n));
    expect(spikes[0]).toBeGreaterThan(0);
    // Fan-out: layer 0 drives layer 1 (12) and itself (20); layer 1 drives the readout (4).
    expect(a.layers.map((l) => l.fanOut)).toEqual([32, 4]);
    const inputs0 = Math.ceil(testSet.channels / 2);
    expect(a.synOpsPerSample).toBeCloseTo((input / n) * 20 + (spikes[0] / n) * 32 + (spikes[1] / n) * 4, 6);
    expect(a.denseMacsPerSample).toBe(30 * (inputs0 * 20 + 20 * 20 + 20 * 12 + 12 * 4));
    expect(a.layers[0].rateHz).toBeCloseTo(spikes[0] / n / (20 * 30 * config.dtS), 9);
    expect(a.energyPerSample.synOpsPj).toBeCloseTo(a.synOpsPerSample * E_AC_PJ, 6);
    expect(a.energyPerSample.denseMacsPj).toBeCloseTo(a.denseMacsPerSample * E_MAC_PJ, 6);
  });

  it('is the same whether the batches run on the main thread or two workers', async () => {
    const one = await evaluate(params, config, testSet);
    const two = await evaluate(params, config, testSet, { workers: 2 });
    expect(two.activity).toEqual(one.activity);
  });

  it('counts nothing where nothing spikes', () => {
    const r = activityReport(shape, { samples: 4, input: 0, layers: [0, 0] }, 30, 0.001);
    expect(r.synOpsPerSample).toBe(0);
    expect(r.layers.every((l) => l.rateHz === 0)).toBe(true);
  });
});

describe('per-speaker results', () => {
  it('gives each speaker its samples, correct and accuracy, and marks who training saw', () => {
    const speakers = Int32Array.from([4, 1, 4, 1, 7]);
    const labels = Int32Array.from([0, 1, 2, 1, 0]);
    const predictions = Int32Array.from([0, 0, 2, 1, 1]);
    expect(speakerResults(speakers, labels, predictions, Int32Array.from([1, 4, 4]))).toEqual([
      { speaker: 1, samples: 2, correct: 1, accuracy: 0.5, inTraining: true },
      { speaker: 4, samples: 2, correct: 2, accuracy: 1, inTraining: true },
      { speaker: 7, samples: 1, correct: 0, accuracy: 0, inTraining: false },
    ]);
    expect(speakerResults(speakers, labels, predictions)[0].inTraining).toBeNull();
  });
});
