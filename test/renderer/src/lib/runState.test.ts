import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG } from '../../../../src/shared/config';
import type { EpochRecord, LayerTaus, TrainEvent } from '../../../../src/shared/events';
import type { TrainingStatus } from '../../../../src/shared/workbenchApi';
import { applyTrainEvent, applyWorkbenchEvent, batchX, EMPTY_RUN, finishNote, fromSession, fromStatus, healthLines, mergeHistory, runProgress, type RunView } from '../../../../src/renderer/src/lib/runState';

const config = { ...cloneConfig(DEFAULT_CONFIG), epochs: 3 };
const initialTaus: LayerTaus[] = [{ kind: 'lif', tauSynS: [0.005, 0.005], tauMemS: [0.01, 0.01] }];
const learned: LayerTaus[] = [{ kind: 'lif', tauSynS: [0.004, 0.006], tauMemS: [0.012, 0.009] }];
const start: TrainEvent = {
  type: 'start',
  backend: { name: 'wasm', tfBackend: 'wasm', skipped: [] },
  config,
  dataset: { name: 'demo', trainSamples: 40, testSamples: 10, channels: 700, classNames: ['a', 'b'] },
  firstEpoch: 1,
  batchesPerEpoch: 4,
  initialTaus,
  validation: { kind: 'stratified-by-class', trainSamples: 36, validationSamples: 4, seed: 0 },
};
const rec = (epoch: number): EpochRecord => ({
  epoch, train_loss: 3 - epoch, train_acc: 0.2 * epoch, val_loss: 3.05 - epoch, val_acc: 0.15 * epoch, test_loss: 3.1 - epoch, test_acc: 0.1 * epoch, lr: 1e-3, train_s: 1, eval_s: 0.1,
});
const batch = (epoch: number, b: number, loss = 1): TrainEvent => ({ type: 'batch', epoch, batch: b, batches: 4, loss, samplesPerS: 100, etaS: 5 });

describe('run state from training events', () => {
  it('shows a cache being built before the run starts, and forgets it at the start', () => {
    const prep: TrainEvent = { type: 'preparing', file: '/data/ssc_train.h5', done: 300, total: 75466 };
    let v = applyTrainEvent(EMPTY_RUN, 'r1', prep);
    expect(v.preparing).toEqual(prep);
    expect(runProgress(v)).toBeNull();
    v = applyTrainEvent(v, 'r1', start);
    expect(v.preparing).toBeNull();
  });

  it('places batches on the epoch axis', () => {
    expect(batchX(1, 1, 4)).toBe(0.25);
    expect(batchX(2, 4, 4)).toBe(2);
  });

  it('collects batches, epochs and probes of one run', () => {
    let v = applyTrainEvent(EMPTY_RUN, 'r1', start);
    expect(v).toMatchObject({ runId: 'r1', state: 'running', config });
    v = applyTrainEvent(v, 'r1', batch(1, 1, 2.5));
    v = applyTrainEvent(v, 'r1', batch(1, 2, 2.0));
    expect(v.batchLosses.map((p) => [p.x, p.loss])).toEqual([
      [0.25, 2.5],
      [0.5, 2.0],
    ]);
    expect(runProgress(v)).toMatchObject({ fraction: 2 / 12, epoch: 1, epochs: 3, batch: 2, batches: 4, samplesPerS: 100, etaS: 5 });
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(1), confusion: [[1, 0], [0, 1]], taus: learned, selectedEpoch: 1 });
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(1), confusion: [[1, 0], [0, 1]], taus: learned, selectedEpoch: 1 });
    expect(v.history).toEqual([rec(1)]);
    expect(v.canSave).toBe(true);
    expect(runProgress(v)!.fraction).toBeCloseTo(4 / 12, 12);
    v = applyTrainEvent(v, 'r1', { type: 'paused' });
    expect(v.state).toBe('paused');
    v = applyTrainEvent(v, 'r1', { type: 'resumed' });
    expect(v.state).toBe('running');
    v = applyTrainEvent(v, 'r1', { type: 'done', reason: 'completed', history: [rec(1), rec(2), rec(3)], selectedEpoch: 3 });
    expect(v.history).toHaveLength(3);
    expect(v.finished).toEqual({ reason: 'completed' });
    expect(runProgress(v)).toMatchObject({ fraction: 1, etaS: 0 });
  });

  it('starts clean when a new run id appears and keeps the error message', () => {
    let v = applyTrainEvent(EMPTY_RUN, 'r1', start);
    v = applyTrainEvent(v, 'r1', batch(1, 1));
    v = applyTrainEvent(v, 'r2', { type: 'error', message: 'NaN loss in epoch 1, batch 2' });
    expect(v.runId).toBe('r2');
    expect(v.batchLosses).toEqual([]);
    expect(v.finished).toEqual({ reason: 'error', message: 'NaN loss in epoch 1, batch 2' });
    const s = applyWorkbenchEvent(v, { kind: 'state', runId: 'r2', state: 'idle' });
    expect(s.finished?.message).toMatch(/NaN/);
    expect(applyWorkbenchEvent(v, { kind: 'state', runId: 'r3', state: 'starting' })).toMatchObject({ runId: 'r3', state: 'starting', history: [] });
    expect(applyWorkbenchEvent(v, { kind: 'sessions', sessions: [] })).toBe(v);
  });

  it('merges histories by epoch, the later record winning', () => {
    const newer = { ...rec(2), test_acc: 0.9 };
    expect(mergeHistory([rec(1), rec(2)], [newer, rec(3)])).toEqual([rec(1), newer, rec(3)]);
    expect(mergeHistory([rec(3)], [rec(1)])).toEqual([rec(1), rec(3)]);
  });

  it('keeps the resumed session epochs when the new run epochs arrive', () => {
    let v: RunView = { ...EMPTY_RUN, runId: 'r1', history: [rec(1), rec(2)] };
    v = applyTrainEvent(v, 'r1', { ...start, firstEpoch: 3 } as TrainEvent);
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(3), confusion: [], taus: learned, selectedEpoch: 1 });
    expect(v.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
  });

  it('measures progress of a resumed run from its first epoch', () => {
    let v = applyTrainEvent(EMPTY_RUN, 'r1', { ...start, firstEpoch: 3, config: { ...config, epochs: 4 } } as TrainEvent);
    v = applyTrainEvent(v, 'r1', batch(3, 2));
    expect(runProgress(v)!.fraction).toBeCloseTo(2 / 8, 12);
  });

  it('rebuilds from a status snapshot after a reload', () => {
    const status: TrainingStatus = {
      state: 'running',
      runId: 'r9',
      request: { config, dataset: { kind: 'demo' }, backend: 'auto' },
      started: start as Extract<TrainEvent, { type: 'start' }>,
      lastBatch: batch(2, 3) as Extract<TrainEvent, { type: 'batch' }>,
      history: [rec(1)],
      confusion: null,
      taus: [{ kind: 'lif', tauSynS: [0.005], tauMemS: [0.012] }],
      probe: null,
      selectedEpoch: 1,
      validation: (start as Extract<TrainEvent, { type: 'start' }>).validation,
      finished: null,
      canSave: true,
      sessionId: null,
    };
    const v = fromStatus(status);
    expect(v).toMatchObject({ runId: 'r9', state: 'running', history: [rec(1)], canSave: true, selectedEpoch: 1 });
    expect(v.validation).toEqual({ kind: 'stratified-by-class', trainSamples: 36, validationSamples: 4, seed: 0 });
    expect(runProgress(v)!.fraction).toBeCloseTo(7 / 12, 12);
    // The snapshot has the start event's τ and the latest epoch's, so a reloaded page shows both histograms.
    expect(v.initialTaus).toEqual(initialTaus);
    expect(v.taus).toEqual([{ kind: 'lif', tauSynS: [0.005], tauMemS: [0.012] }]);
  });

  it('keeps the initial τ from the start and the latest epoch\'s τ, replaced every epoch', () => {
    let v = applyTrainEvent(EMPTY_RUN, 'r1', start);
    expect([v.initialTaus, v.taus]).toEqual([initialTaus, null]);
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(1), confusion: [], taus: learned, selectedEpoch: 1 });
    expect(v.taus![0].tauMemS).toEqual([0.012, 0.009]);
    const later: LayerTaus[] = [{ kind: 'lif', tauSynS: [0.003, 0.007], tauMemS: [0.015, 0.008] }];
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(2), confusion: [], taus: later, selectedEpoch: 1 });
    expect(v.taus).toBe(later);
    expect(v.initialTaus).toBe(initialTaus);
    // A batch or probe leaves them alone; a new run forgets them until its own start.
    v = applyTrainEvent(v, 'r1', batch(3, 1));
    expect(v.taus).toBe(later);
    v = applyTrainEvent(v, 'r2', batch(1, 1));
    expect([v.initialTaus, v.taus]).toEqual([null, null]);
  });

  it('keeps the selected epoch and the split, and says when the run stopped early', () => {
    let v = applyTrainEvent(EMPTY_RUN, 'r1', start);
    expect(v.validation).toEqual({ kind: 'stratified-by-class', trainSamples: 36, validationSamples: 4, seed: 0 });
    expect(v.selectedEpoch).toBeNull();
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(1), confusion: [], taus: learned, selectedEpoch: 1 });
    v = applyTrainEvent(v, 'r1', { type: 'epoch', record: rec(2), confusion: [], taus: learned, selectedEpoch: 1 });
    expect(v.selectedEpoch).toBe(1);
    v = applyTrainEvent(v, 'r1', { type: 'done', reason: 'stopped-early', history: [rec(1), rec(2)], selectedEpoch: 1 });
    expect(v.finished).toEqual({ reason: 'stopped-early' });
    // A run that stopped early is done: the bar is full.
    expect(runProgress(v)!.fraction).toBe(1);
    expect(finishNote({ ...v, config: { ...config, patience: 1 } }, true)).toBe('Stopped early after epoch 2: 1 epoch without a validation gain; the selected epoch is 1.');
    expect(finishNote({ ...v, config: { ...config, patience: 4 } }, true)).toMatch(/^Stopped early after epoch 2: 4 epochs without/);
    expect(finishNote({ ...v, finished: { reason: 'cancelled' } }, true)).toBe('Stopped by request; the last completed epoch is kept and can be saved.');
    expect(finishNote({ ...v, finished: { reason: 'completed' } }, true)).toBeNull();
    // A resumed run that ends before its first new epoch (done with 0) keeps the session's selection.
    let r: RunView = { ...EMPTY_RUN, runId: 'r2', history: [rec(1), rec(2)], selectedEpoch: 2 };
    r = applyTrainEvent(r, 'r2', { type: 'done', reason: 'cancelled', history: [], selectedEpoch: 0 });
    expect(r.selectedEpoch).toBe(2);
  });

  it('shows a loaded session with its selected epoch and split', () => {
    const validation = { kind: 'by-speaker' as const, trainSamples: 30, validationSamples: 10, speakers: [3], seed: 0 };
    const summary = {
      id: 's1', name: 's', created: '2026-01-01T00:00:00Z', dataset: 'demo', datasetRef: null, config, epochs: 2, finalTestAcc: 0.2, finalTrainAcc: 0.4,
      selectedEpoch: 1, testAccSelected: 0.1, validation, backend: 'wasm' as const, sizeBytes: 1, dataPath: 'sessions/s1.h5', origin: null,
    };
    const v = fromSession({
      summary, config, history: [rec(1), rec(2)], probe: null, confusion: null, initialTaus, taus: learned,
      meta: { created: summary.created, appVersion: '0', backend: 'wasm', dataset: { name: 'demo', fingerprint: 'f', trainSamples: 40, testSamples: 10 }, classNames: ['a', 'b'] },
    });
    expect(v).toMatchObject({ selectedEpoch: 1, validation, finished: { reason: 'completed' } });
  });
});

describe('training-health findings', () => {
  it('gathers them in order, clears them when a new run starts, and words them for the notice', () => {
    const calibrated = { kind: 'calibrated' as const, layer: 3, epoch: 0, message: 'layer 3 was silent at initialisation …' };
    const silent = { kind: 'silent' as const, layer: 2, epoch: 4, message: 'layer 2 is silent: 0.00 spikes/neuron/s over epoch 4; …' };
    let v = applyTrainEvent(EMPTY_RUN, 'r1', start);
    v = applyTrainEvent(v, 'r1', { type: 'health', warnings: [calibrated] });
    v = applyTrainEvent(v, 'r1', { type: 'health', warnings: [silent] });
    expect(v.health).toEqual([calibrated, silent]);
    expect(healthLines(v.health)).toEqual([
      'Note (at initialisation): layer 3 was silent at initialisation …',
      'Warning (epoch 4): layer 2 is silent: 0.00 spikes/neuron/s over epoch 4; …',
    ]);
    expect(applyTrainEvent(v, 'r2', start).health).toEqual([]);
  });
});
