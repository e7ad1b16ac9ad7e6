/**
 * The demo set's promise to a new user: the seed model, trained a few epochs on it, is clearly better than
 * chance. Small hidden layer and fewer samples keep this test quick on two shared cores.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../src/shared/config';
import type { EpochRecord, TrainEvent } from '../../../src/shared/events';
import { makeDemoDataset, DEMO_CLASSES } from '../../../src/services/data/demoData';
import { selectBackend } from '../../../src/services/engine/tfjs/backendSelect';
import { train } from '../../../src/services/engine/training/trainer';

describe('training on the demo set', () => {
  it('reaches well above chance (> 3× 1/20) on the test split within 4 epochs', async () => {
    const backend = await selectBackend('auto');
    const trainSet = makeDemoDataset({ seed: 0, split: 'train', samples: 400 });
    const testSet = makeDemoDataset({ seed: 0, split: 'test', samples: 200 });
    const config = makeConfig({ layers: [{ size: 32, recurrent: true, dropout: 0 }], epochs: 4, batchSize: 32, learningRate: 2e-3, seed: 1 });
    const history: EpochRecord[] = [];
    const t0 = performance.now();
    const run = train({ config, train: trainSet, test: testSet, backend });
    for (let step = await run.next(); !step.done; step = await run.next()) {
      const event: TrainEvent = step.value;
      if (event.type === 'epoch') history.push(event.record);
      if (event.type === 'error') throw new Error(event.message);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(`demo training (${backend.name}): ${history.map((r) => (100 * r.test_acc).toFixed(1) + '%').join(' → ')} in ${seconds.toFixed(1)} s`);
    expect(history).toHaveLength(4);
    expect(history.at(-1)!.test_acc).toBeGreaterThan(3 / DEMO_CLASSES);
    expect(history.at(-1)!.train_loss).toBeLessThan(history[0].train_loss);
  });
});
