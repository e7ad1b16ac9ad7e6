/**
 * The check at initialisation on the demo set, where the seed configuration's layers fire less and less with
 * depth (15, 2.5, 0.03, 0 Hz): a silent layer is calibrated and the deep network learns; a layer that fires is
 * left exactly as drawn; and two layers with the seed's regularisers are told at once why they will not learn.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig, type LayerConfig } from '../../../../src/shared/config';
import type { EpochRecord, HealthWarning, TrainEvent } from '../../../../src/shared/events';
import { makeDemoDataset, DEMO_CLASSES } from '../../../../src/services/data/demoData';
import { binSpec } from '../../../../src/services/data/binning';
import { batchOrder } from '../../../../src/services/data/batches';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { batchOf, binDataset } from '../../../../src/services/engine/run/binnedDataset';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { checkInitialisation, TARGET_RATE } from '../../../../src/services/engine/training/initCalibration';
import { layerTensors, networkShape } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { train } from '../../../../src/services/engine/training/trainer';

const trainSet = makeDemoDataset({ seed: 0, split: 'train', samples: 400 });
const testSet = makeDemoDataset({ seed: 0, split: 'test', samples: 200 });
const layers = (n: number): LayerConfig[] => Array.from({ length: n }, () => ({ size: 128, recurrent: true, dropout: 0 }));

function firstBatch(config: ReturnType<typeof makeConfig>) {
  const bins = binDataset(trainSet, binSpec(config));
  return batchOf(bins, batchOrder(bins.samples, { batchSize: config.batchSize, shuffle: true, seed: config.seed, epoch: 1 })[0]);
}

describe('the check at initialisation', () => {
  it('scales the silent third of four layers into the target rate and leaves the others bit for bit', () => {
    const config = makeConfig({ layers: layers(4), regL1: 0, regL2: 0, batchSize: 64 });
    const drawn = initNetwork(networkShape(config, trainSet.channels, DEMO_CLASSES), config);
    const params = initNetwork(drawn.shape, config);
    const batch = firstBatch(config);
    const found = checkInitialisation(params, config, batch);
    expect(found.map((f) => [f.kind, f.layer, f.epoch])).toEqual([['calibrated', 3, 0]]);
    expect(found[0].message).toMatch(/^layer 3 was silent at initialisation \(0\.\d\d spikes\/neuron\/s, \d+ % of neurons never firing on the first 64 training samples\); its input weights were scaled by [\d.]+ to [\d.]+ spikes\/neuron\/s \(init calibration\)$/);
    const factor = layerTensors(params, 2).wIn[0] / layerTensors(drawn, 2).wIn[0];
    expect(factor).toBeGreaterThan(2);
    layerTensors(params, 2).wIn.forEach((w, i) => expect(Math.abs(w - factor * layerTensors(drawn, 2).wIn[i])).toBeLessThan(1e-6 * Math.abs(w) + 1e-12));
    // Everything else as drawn: only layer 3's W_in moved.
    const moved = layerTensors(params, 2).wIn;
    const start = moved.byteOffset / 4;
    params.flat.forEach((w, i) => {
      if (i < start || i >= start + moved.length) expect(w).toBe(drawn.flat[i]);
    });
    const rates = runBatch(params, config, batch, { gradients: false }).spikesPerLayer.map((s, l) => s / (params.shape.layers[l].size * config.nbSteps * batch.size));
    expect(rates[2]).toBeGreaterThanOrEqual(TARGET_RATE / 2);
    expect(rates[2]).toBeLessThanOrEqual(2 * TARGET_RATE);
    expect(rates[3]).toBeGreaterThan(1e-3);
  });

  it('leaves the seed configuration (one layer) exactly as drawn, with nothing to report', () => {
    const config = makeConfig({ batchSize: 64 });
    const params = initNetwork(networkShape(config, trainSet.channels, DEMO_CLASSES), config);
    const before = params.flat.slice();
    expect(checkInitialisation(params, config, firstBatch(config))).toEqual([]);
    expect(params.flat).toEqual(before);
  });

  it("says before the first batch that the seed's regularisers will silence two layers", async () => {
    const backend = await selectBackend('auto');
    const config = makeConfig({ layers: layers(2), epochs: 1 });
    const run = train({ config, train: trainSet, test: testSet, backend });
    const events: TrainEvent[] = [];
    for (let step = await run.next(); !step.done; step = await run.next()) {
      events.push(step.value);
      if (step.value.type === 'batch') break;
    }
    await run.return(undefined as never);
    expect(events.map((e) => e.type)).toEqual(['start', 'health', 'batch']);
    const health = (events[1] as { warnings: HealthWarning[] }).warnings;
    expect(health.map((w) => [w.kind, w.layer])).toEqual([['regulariser', 1]]);
    expect(health[0].message).toMatch(/^layer 1: at initialisation the spike regularisers' gradient on its weights is \d+\.\d× the class loss's/);
  });

  it('four calibrated layers learn on demo: well above chance (> 3 × 1/20) in 5 epochs', async () => {
    const backend = await selectBackend('auto');
    const config = makeConfig({ layers: layers(4), regL1: 0, regL2: 0, epochs: 5, batchSize: 64, validationFraction: 0 });
    const history: EpochRecord[] = [];
    const notes: HealthWarning[] = [];
    const run = train({ config, train: trainSet, test: testSet, backend });
    for (let step = await run.next(); !step.done; step = await run.next()) {
      const e = step.value;
      if (e.type === 'epoch') history.push(e.record);
      if (e.type === 'health') notes.push(...e.warnings);
      if (e.type === 'error') throw new Error(e.message);
    }
    console.log(`4 layers on demo (${backend.name}): ${history.map((r) => (100 * r.test_acc).toFixed(1) + '%').join(' → ')}`);
    expect(notes.map((w) => [w.kind, w.layer])).toEqual([['calibrated', 3]]);
    expect(history.at(-1)!.test_acc).toBeGreaterThan(3 / DEMO_CLASSES);
  });
});
