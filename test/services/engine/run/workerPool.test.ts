/**
 * A batch split over worker threads (workerPool.ts) against the main thread alone and the reference's golden
 * files; determinism for a given number of workers; no threads left after a run, a cancel or an error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport, TrainEvent } from '../../../../src/shared/events';
import type { BinnedBatch } from '../../../../src/services/data/binning';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import type { BinnedDataset } from '../../../../src/services/engine/run/binnedDataset';
import { evaluate } from '../../../../src/services/engine/training/evaluate';
import { tensor, type TrainingCheckpoint } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { maxRelativeError } from '../../../../src/services/engine/tfjs/relativeError';
import { train, type TrainOptions } from '../../../../src/services/engine/training/trainer';
import { BatchPool, liveWorkerThreads, splitBatch } from '../../../../src/services/engine/run/workerPool';
import { GOLDEN_FILES, readGolden } from '../goldenCase';
import { base, testSet, trainSet } from '../smallProblem';

/** The batch as a dataset of its samples, so the pool can take it by sample index. */
function datasetOf(batch: BinnedBatch): BinnedDataset {
  const perSample = batch.nbSteps * batch.channels;
  const offsets = new Float64Array(batch.size + 1);
  const keys = new Int32Array(new SharedArrayBuffer(batch.flat.length * 4));
  const counts = new Uint16Array(new SharedArrayBuffer(batch.flat.length * 2));
  for (let k = 0; k < batch.flat.length; k++) {
    const b = Math.floor(batch.flat[k] / perSample);
    offsets[b + 1] = k + 1;
    keys[k] = batch.flat[k] - b * perSample;
    counts[k] = batch.counts[k];
  }
  for (let b = 1; b <= batch.size; b++) offsets[b] = Math.max(offsets[b], offsets[b - 1]);
  const spec = { nbSteps: batch.nbSteps, maxTimeS: 1, binning: 'uniform' as const };
  return { spec, name: 'golden', samples: batch.size, channels: batch.channels, labels: batch.labels, offsets, keys, counts, dropped: 0 };
}


let backend: BackendReport;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

async function run(opts: Partial<TrainOptions>, onEvent?: (e: TrainEvent) => void) {
  const events: TrainEvent[] = [];
  const gen = train({ config: base, train: trainSet, test: testSet, backend, ...opts });
  for (;;) {
    const step = await gen.next();
    if (step.done) return { events, checkpoint: step.value as TrainingCheckpoint };
    events.push(step.value);
    onEvent?.(step.value);
  }
}

describe('worker pool', () => {
  it('splits a batch into contiguous shares of multiples of 4', () => {
    expect(splitBatch(256, 2)).toEqual([128, 128]);
    expect(splitBatch(10, 2)).toEqual([8, 2]);
    expect(splitBatch(4, 2)).toEqual([2, 2]);
    expect(splitBatch(3, 2)).toEqual([2, 1]);
    expect(splitBatch(1, 2)).toEqual([1]);
    expect(splitBatch(100, 3)).toEqual([36, 36, 28]);
  });

  for (const file of GOLDEN_FILES) {
    it(`${file}: 2 workers give one thread's loss and gradients (1e-5) and the reference's (1e-4)`, async () => {
      const g = await readGolden(file);
      const one = runBatch(g.params, g.config, g.batch, { gradients: true, loop: 'fused' });
      expect(splitBatch(g.batch.size, 2).length).toBe(2);
      const pool = await BatchPool.start(2, g.params.shape, true);
      try {
        const ds = datasetOf(g.batch);
        const all = Int32Array.from({ length: g.batch.size }, (_, i) => i);
        const two = await pool.run(g.params, g.config, ds, all, { gradients: true });
        expect(Math.abs(two.loss - one.loss) / one.loss).toBeLessThan(1e-5);
        expect(Math.abs(two.loss - g.loss) / g.loss).toBeLessThan(1e-4);
        expect(two.spikesPerLayer).toEqual(one.spikesPerLayer);
        expect(two.reg).toBe(one.reg);
        expect(Array.from(two.predictions)).toEqual(Array.from(one.predictions));
        expect(maxRelativeError(two.scores, one.scores)).toBeLessThan(1e-5);
        expect(g.grads.size).toBe(g.config.layers[0].recurrent ? 3 : 2);
        for (const [name, want] of g.grads) {
          expect(maxRelativeError(tensor(g.params, two.grads!, name), tensor(g.params, one.grads!, name)), name).toBeLessThan(1e-5);
          expect(maxRelativeError(tensor(g.params, two.grads!, name), want), name).toBeLessThan(1e-4);
        }
        // Forward only (evaluation): the same class loss.
        const fw = await pool.run(g.params, g.config, ds, all, { gradients: false });
        expect(Math.abs(fw.nll - one.nll) / one.nll).toBeLessThan(1e-5);
        expect(fw.grads).toBeUndefined();
      } finally {
        await pool.close();
      }
      expect(liveWorkerThreads()).toBe(0);
    });
  }

  it('with the JS twins of the kernels (cpu backend) as well', async () => {
    const g = await readGolden(GOLDEN_FILES[2]);
    const pool = await BatchPool.start(2, g.params.shape, false);
    try {
      const r = await pool.run(g.params, g.config, datasetOf(g.batch), Int32Array.from({ length: g.batch.size }, (_, i) => i), { gradients: true });
      expect(Math.abs(r.loss - g.loss) / g.loss).toBeLessThan(1e-4);
      expect(g.grads.size).toBe(3);
      for (const [name, want] of g.grads) expect(maxRelativeError(tensor(g.params, r.grads!, name), want), name).toBeLessThan(1e-4);
    } finally {
      await pool.close();
    }
  });

  it('a failure inside a worker rejects with its message, and closing leaves no threads', async () => {
    const g = await readGolden(GOLDEN_FILES[0]);
    const pool = await BatchPool.start(2, g.params.shape, true);
    try {
      await expect(pool.run(g.params, g.config, datasetOf(g.batch), Int32Array.from([0, 1, 2, 999]), { gradients: true })).rejects.toThrow(/training worker 2: .*sample index 999 out of range/);
    } finally {
      await pool.close();
    }
    expect(liveWorkerThreads()).toBe(0);
  });

  it('training with 2 workers: first loss as with 1, the same weights for the same seed, no threads left', async () => {
    const one = await run({ workers: 1 });
    const a = await run({ workers: 2 });
    expect(liveWorkerThreads()).toBe(0);
    const b = await run({ workers: 2 });
    const firstLoss = (r: typeof one) => (r.events.find((e) => e.type === 'batch') as Extract<TrainEvent, { type: 'batch' }>).loss;
    expect(Math.abs(firstLoss(a) - firstLoss(one)) / firstLoss(one)).toBeLessThan(1e-6);
    expect(Array.from(a.checkpoint.params.flat)).toEqual(Array.from(b.checkpoint.params.flat));
    expect(a.checkpoint.history.map((h) => h.test_acc)).toEqual(b.checkpoint.history.map((h) => h.test_acc));
    expect(a.events.at(-1)).toMatchObject({ type: 'done', reason: 'completed' });
    // Evaluation split over workers: the same predictions as one thread for the same weights.
    const w = a.checkpoint.params;
    const ev1 = await evaluate(w, base, testSet);
    const ev2 = await evaluate(w, base, testSet, { workers: 2 });
    expect(Array.from(ev2.predictions)).toEqual(Array.from(ev1.predictions));
    expect(Math.abs(ev2.loss - ev1.loss) / ev1.loss).toBeLessThan(1e-5);
    expect(liveWorkerThreads()).toBe(0);
  });

  it('cancel, a diverged run and a consumer that stops early all terminate the threads', async () => {
    const abort = new AbortController();
    const cancelled = await run({ workers: 2, control: { signal: abort.signal } }, (e) => {
      if (e.type === 'batch' && e.batch === 2) abort.abort();
    });
    expect(cancelled.events.at(-1)).toMatchObject({ type: 'done', reason: 'cancelled' });
    expect(liveWorkerThreads()).toBe(0);

    const { checkpoint } = await run({ workers: 1, config: { ...base, epochs: 1 } });
    const flat = checkpoint.params.flat.slice();
    tensor(checkpoint.params, flat, 'readout/w').fill(NaN);
    const poisoned: TrainingCheckpoint = { ...checkpoint, config: base, params: { ...checkpoint.params, flat } };
    const diverged = await run({ workers: 2, resumeFrom: poisoned });
    expect(diverged.events.at(-1)).toMatchObject({ type: 'error' });
    expect(liveWorkerThreads()).toBe(0);

    const gen = train({ config: base, train: trainSet, test: testSet, backend, workers: 2 });
    await gen.next();
    await gen.next();
    expect(liveWorkerThreads()).toBe(2);
    await gen.return(checkpoint);
    expect(liveWorkerThreads()).toBe(0);
  });

  it('workers > 1 with the tfjs-op loop is refused', async () => {
    await expect(run({ workers: 2, loop: 'tensor' })).rejects.toThrow(/workers > 1 needs the fused loop/);
    await expect(run({ workers: 0 })).rejects.toThrow(/workers must be an integer/);
  });
});
