/**
 * The training protocol through the trainer: a validation set held out of the training file, model selection
 * by validation accuracy that never reads the test set, early stopping, the learning-rate schedule, AdamW and
 * clipping, augmented batches; every option resumes bit-identically (checkpoint and session file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type TrainConfig } from '../../../../src/shared/config';
import type { BackendReport, EpochRecord, TrainEvent } from '../../../../src/shared/events';
import type { SpikeDataset } from '../../../../src/services/data/spikeDataset';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { lrForEpoch, initialScheduleState } from '../../../../src/services/engine/training/lrSchedule';
import type { Session } from '../../../../src/services/engine/model/modelState';
import type { TrainOptions } from '../../../../src/services/engine/training/trainer';
import { readSession } from '../../../../src/services/sessions/sessionRead';
import { writeSession } from '../../../../src/services/sessions/sessionWrite';
import { adlif2, base, testSet, trainSet, runTraining } from '../smallProblem';

let backend: BackendReport;
let dir: string;
beforeAll(async () => {
  backend = await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'protocol-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (opts: Partial<TrainOptions> & { config: TrainConfig }) => runTraining(backend, opts);

/** Every protocol option on at once, on the 2-layer adLIF problem with dropout and learned τ. */
const everything = makeConfig({
  ...adlif2,
  epochs: 3,
  validationFraction: 0.25,
  validationBy: 'class',
  weightDecay: 0.05,
  clipGrad: 0.5,
  lrSchedule: 'cosine',
  warmupEpochs: 1,
  augment: { channelShift: 2, timeShiftS: 0.02, stretch: { lo: 0.9, hi: 1.1 }, deleteP: 0.1, blend: 0.3 },
});

const withLabels = (ds: SpikeDataset, labels: Int32Array): SpikeDataset => ({ ...ds, labels });

describe('validation and model selection', () => {
  it('holds out validationFraction of the training file by class, reports val numbers, and selects the best validation epoch', async () => {
    const config = makeConfig({ ...base, epochs: 4, validationFraction: 0.25, validationBy: 'class' });
    const { events, checkpoint } = await run({ config });
    const start = events.find((e) => e.type === 'start') as Extract<TrainEvent, { type: 'start' }>;
    // 72 samples, 4 classes of 18: round(0.25·18) = 5 held out per class.
    expect(start.validation).toMatchObject({ kind: 'stratified-by-class', trainSamples: 52, validationSamples: 20, seed: config.seed });
    expect(start.dataset.trainSamples).toBe(52);
    const h = checkpoint.history;
    expect(h.every((r) => r.val_acc !== null && r.val_loss !== null)).toBe(true);
    let best = 0;
    h.forEach((r, i) => {
      if (r.val_acc! > h[best].val_acc!) best = i;
    });
    expect(checkpoint.selected!.epoch).toBe(h[best].epoch);
    const done = events.find((e) => e.type === 'done') as Extract<TrainEvent, { type: 'done' }>;
    expect(done.selectedEpoch).toBe(h[best].epoch);
  });

  it('selection is independent of the test set: shuffled test labels give the same selected epoch and weights', async () => {
    const config = makeConfig({ ...base, epochs: 4, validationFraction: 0.25 });
    const a = await run({ config });
    const shuffled = Int32Array.from(testSet.labels).reverse().map((y, i) => (y + i) % testSet.classNames.length);
    const b = await run({ config, test: withLabels(testSet, shuffled) });
    // The test numbers differ…
    expect(b.checkpoint.history.map((r) => r.test_acc)).not.toEqual(a.checkpoint.history.map((r) => r.test_acc));
    // …and nothing the protocol chose does.
    expect(b.checkpoint.selected!.epoch).toBe(a.checkpoint.selected!.epoch);
    expect(Array.from(b.checkpoint.selected!.params.flat)).toEqual(Array.from(a.checkpoint.selected!.params.flat));
    expect(b.checkpoint.history.map((r) => r.val_acc)).toEqual(a.checkpoint.history.map((r) => r.val_acc));
  });

  it('without a validation set the whole file trains, val numbers are null and the last epoch is selected', async () => {
    const { events, checkpoint } = await run({ config: makeConfig({ ...base, validationFraction: 0 }) });
    const start = events.find((e) => e.type === 'start') as Extract<TrainEvent, { type: 'start' }>;
    expect(start.validation.kind).toBe('none');
    expect(start.dataset.trainSamples).toBe(trainSet.samples);
    expect(checkpoint.history.every((r) => r.val_acc === null)).toBe(true);
    expect(checkpoint.selected!.epoch).toBe(checkpoint.epochsDone);
    expect(Array.from(checkpoint.selected!.params.flat)).toEqual(Array.from(checkpoint.params.flat));
  });

  it('a dataset\'s own validation file is used instead of a held-out part', async () => {
    const valid = { ...testSet, name: 'valid file' };
    const { events } = await run({ config: makeConfig({ ...base, epochs: 1 }), validation: valid });
    const start = events.find((e) => e.type === 'start') as Extract<TrainEvent, { type: 'start' }>;
    expect(start.validation).toMatchObject({ kind: 'file', trainSamples: trainSet.samples, validationSamples: testSet.samples });
  });

  it('early stopping ends a plateau after twice the patience, keeping the latest of the equal epochs', async () => {
    // A learning rate this small leaves validation accuracy where it starts: no gain after epoch 1.
    const config = makeConfig({ ...base, epochs: 8, learningRate: 1e-9, validationFraction: 0.25, patience: 2 });
    const { events, checkpoint } = await run({ config });
    const done = events.find((e) => e.type === 'done') as Extract<TrainEvent, { type: 'done' }>;
    expect(done.reason).toBe('stopped-early');
    expect(checkpoint.epochsDone).toBe(5);
    expect(checkpoint.selected!.epoch).toBe(5);
    // Every epoch event said on what grounds: all five equal, so all within one standard error.
    const last = events.filter((e) => e.type === 'epoch').pop() as Extract<TrainEvent, { type: 'epoch' }>;
    expect(last.selection).toMatchObject({ epoch: 5, bestEpoch: 1, tied: [1, 2, 3, 4, 5], epochs: 5 });
  });
});

describe('optimisation', () => {
  it('each epoch trains at the schedule\'s rate and records it', async () => {
    const config = makeConfig({ ...base, epochs: 4, lrSchedule: 'cosine', warmupEpochs: 1 });
    const { checkpoint } = await run({ config });
    const state = initialScheduleState(config, config.learningRate);
    expect(checkpoint.history.map((r: EpochRecord) => r.lr)).toEqual([1, 2, 3, 4].map((e) => lrForEpoch(state, config, e, 4)));
    expect(checkpoint.history[0].lr).toBeCloseTo(config.learningRate / 2, 15);
  });

  it('weight decay, clipping and augmentation each change the trajectory', async () => {
    const plain = (await run({ config: makeConfig({ ...base, epochs: 1 }) })).checkpoint.params.flat;
    for (const change of [{ weightDecay: 0.1 }, { clipGrad: 0.01 }, { augment: { ...base.augment, deleteP: 0.2 } }] as Partial<TrainConfig>[]) {
      const other = (await run({ config: makeConfig({ ...base, epochs: 1, ...change }) })).checkpoint.params.flat;
      expect(other.some((x, i) => x !== plain[i]), JSON.stringify(change)).toBe(true);
    }
  });

  it('augmented batches give the same run on 1 and 2 worker threads (to float rounding)', async () => {
    const config = makeConfig({ ...everything, epochs: 1 });
    const one = (await run({ config, workers: 1 })).checkpoint;
    const two = (await run({ config, workers: 2 })).checkpoint;
    expect(two.history[0].train_loss).toBeCloseTo(one.history[0].train_loss, 4);
    let worst = 0;
    for (let i = 0; i < one.params.flat.length; i++) worst = Math.max(worst, Math.abs(one.params.flat[i] - two.params.flat[i]));
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('resume with every protocol option', () => {
  it('2 epochs + resume 1 is bit-identical to 3 straight, through the checkpoint and through a session file', async () => {
    const straight = (await run({ config: everything })).checkpoint;
    const first = (await run({ config: { ...everything, epochs: 2 } })).checkpoint;
    const resumed = (await run({ config: everything, resumeFrom: first })).checkpoint;
    expect(Array.from(resumed.params.flat)).toEqual(Array.from(straight.params.flat));
    expect(resumed.schedule).toEqual(straight.schedule);
    expect(resumed.selected!.epoch).toBe(straight.selected!.epoch);
    expect(Array.from(resumed.selected!.params.flat)).toEqual(Array.from(straight.selected!.params.flat));

    const session: Session = {
      ...first,
      meta: { created: '2026-12-01T00:00:00.000Z', appVersion: 'test', backend: 'wasm', dataset: { name: 'small', fingerprint: 'x', trainSamples: 54, testSamples: 40 }, classNames: trainSet.classNames },
    };
    const path = join(dir, 'protocol.h5');
    await writeSession(path, session);
    const back = await readSession(path);
    expect(back.schedule).toEqual(first.schedule);
    expect(back.validation).toEqual(first.validation);
    expect(back.history).toEqual(first.history);
    const fromFile = (await run({ config: everything, resumeFrom: back })).checkpoint;
    expect(Array.from(fromFile.params.flat)).toEqual(Array.from(straight.params.flat));
    expect(Array.from(fromFile.selected!.params.flat)).toEqual(Array.from(straight.selected!.params.flat));
  });
});
