import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../../src/shared/config';
import type { BackendReport, EpochRecord, TrainEvent } from '../../../../src/shared/events';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { evaluate } from '../../../../src/services/engine/training/evaluate';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape, tensor, type TrainingCheckpoint } from '../../../../src/services/engine/model/modelState';
import { makeSyntheticShd } from '../../../../src/services/data/syntheticShd';
import { train, type TrainOptions } from '../../../../src/services/engine/training/trainer';
import { base, data, testSet, trainSet, runTraining } from '../smallProblem';


let backend: BackendReport;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

const run = (opts: Partial<TrainOptions> & { config: TrainConfig }) => runTraining(backend, opts);

const withoutTimes = (h: EpochRecord[]) => h.map(({ train_s: _t, eval_s: _e, ...rest }) => rest);

describe('trainer', () => {
  it('streams start, batch, epoch, probe and done events', async () => {
    const { events, checkpoint } = await run({ config: base, probeSample: 5 });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('done');
    const start = events[0] as Extract<TrainEvent, { type: 'start' }>;
    expect(start.batchesPerEpoch).toBe(5); // 72 samples, batches of 16, the last one partial
    expect(start.firstEpoch).toBe(1);
    expect(start.dataset).toMatchObject({ trainSamples: 72, testSamples: 40, channels: 40 });
    // The initial time constants of the one LIF layer: the config's single values, every neuron.
    expect(start.initialTaus.map((t) => t.kind)).toEqual(['lif']);
    expect(start.initialTaus[0].tauSynS!.length).toBe(24);
    for (const tau of start.initialTaus[0].tauSynS!) expect(tau).toBeCloseTo(base.tauSynS.lo, 8);
    for (const tau of start.initialTaus[0].tauMemS) expect(tau).toBeCloseTo(base.tauMemS.lo, 8);
    const batches = events.filter((e) => e.type === 'batch') as Extract<TrainEvent, { type: 'batch' }>[];
    expect(batches.length).toBe(10);
    expect(batches.map((b) => `${b.epoch}.${b.batch}`).slice(0, 6)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '2.1']);
    for (const b of batches) {
      expect(Number.isFinite(b.loss) && b.loss > 0).toBe(true);
      expect(b.samplesPerS).toBeGreaterThan(0);
      expect(b.etaS).toBeGreaterThanOrEqual(0);
    }
    // Only the last evaluation is left after the last batch.
    expect(batches.at(-1)!.etaS).toBeLessThan(batches[5].etaS);
    const epochs = events.filter((e) => e.type === 'epoch') as Extract<TrainEvent, { type: 'epoch' }>[];
    expect(epochs.map((e) => e.record.epoch)).toEqual([1, 2]);
    for (const e of epochs) {
      // The confusion matrix covers every test sample, and its diagonal is the accuracy.
      const total = e.confusion.flat().reduce((a, b) => a + b, 0);
      const diag = e.confusion.reduce((a, row, i) => a + row[i], 0);
      expect(total).toBe(40);
      expect(diag / total).toBeCloseTo(e.record.test_acc, 12);
      expect(e.record.train_s).toBeGreaterThan(0);
      // Without learnTau the time constants stay where they started.
      expect(e.taus).toEqual(start.initialTaus);
    }
    const probes = events.filter((e) => e.type === 'probe') as Extract<TrainEvent, { type: 'probe' }>[];
    expect(probes.map((p) => [p.probe.epoch, p.probe.sampleIndex])).toEqual([[1, 5], [2, 5]]);
    const p = probes[1].probe;
    expect(p.layers.map((l) => [l.kind, l.size])).toEqual([['lif', 24]]);
    expect(p.layers[0].mem.length).toBe(30 * 24);
    expect(p.layers[0].adapt).toBeUndefined();
    expect(p.layers[0].spikes.t.length).toBe(p.layers[0].spikes.n.length);
    expect(Math.max(...p.layers[0].spikes.n)).toBeLessThan(24);
    expect(p.readoutMem.length).toBe(31 * 4);
    expect(p.scores.length).toBe(4);
    expect(p.label).toBe(testSet.labels[5]);
    expect(p.inputSpikes.t.length).toBeGreaterThan(0);
    expect(Math.max(...p.inputSpikes.t)).toBeLessThan(30);
    expect(Math.max(...p.inputSpikes.c)).toBeLessThan(40);
    const done = events.at(-1) as Extract<TrainEvent, { type: 'done' }>;
    expect(done.reason).toBe('completed');
    expect(checkpoint.epochsDone).toBe(2);
    expect(checkpoint.optimizer.step).toBe(10);
    expect(checkpoint.history).toEqual(done.history);
  });

  it('is seeded: same seed gives the same weights, another seed other weights', async () => {
    const a = await run({ config: { ...base, epochs: 1 } });
    const b = await run({ config: { ...base, epochs: 1 } });
    const c = await run({ config: { ...base, epochs: 1, seed: 12 } });
    expect(Array.from(a.checkpoint.params.flat)).toEqual(Array.from(b.checkpoint.params.flat));
    const w2 = (r: typeof a) => Array.from(tensor(r.checkpoint.params, r.checkpoint.params.flat, 'readout/w'));
    expect(w2(a)).not.toEqual(w2(c));
  });

  it('resuming from the checkpoint of epoch 1 continues the uninterrupted trajectory exactly', async () => {
    const straight = await run({ config: { ...base, epochs: 3 } });
    const first = await run({ config: { ...base, epochs: 1 } });
    const resumed = await run({ config: { ...base, epochs: 3 }, resumeFrom: first.checkpoint });
    const start = resumed.events[0] as Extract<TrainEvent, { type: 'start' }>;
    expect(start.firstEpoch).toBe(2);
    expect(Array.from(resumed.checkpoint.params.flat)).toEqual(Array.from(straight.checkpoint.params.flat));
    expect(Array.from(resumed.checkpoint.optimizer.m)).toEqual(Array.from(straight.checkpoint.optimizer.m));
    expect(Array.from(resumed.checkpoint.optimizer.v)).toEqual(Array.from(straight.checkpoint.optimizer.v));
    expect(resumed.checkpoint.optimizer.step).toBe(straight.checkpoint.optimizer.step);
    expect(withoutTimes(resumed.checkpoint.history)).toEqual(withoutTimes(straight.checkpoint.history));
    // The checkpoint handed in is not modified by the resumed run.
    expect(first.checkpoint.epochsDone).toBe(1);
    expect(first.checkpoint.optimizer.step).toBe(5);
  });

  it('refuses to resume with a different model or optimizer', async () => {
    const first = await run({ config: { ...base, epochs: 1 } });
    const layers = [{ size: 25, recurrent: true, dropout: 0 }];
    await expect(run({ config: { ...base, epochs: 2, layers }, resumeFrom: first.checkpoint })).rejects.toThrow(
      'cannot resume: the checkpoint was trained with different layers ([{"size":24,"recurrent":true,"dropout":0}] there, [{"size":25,"recurrent":true,"dropout":0}] now)',
    );
    await expect(run({ config: { ...base, epochs: 2, tauMemS: { lo: 0.01, hi: 0.02 } }, resumeFrom: first.checkpoint })).rejects.toThrow(
      /different tauMemS \(\{"lo":0\.01,"hi":0\.01\} there, \{"lo":0\.01,"hi":0\.02\} now\)/,
    );
    await expect(run({ config: { ...base, epochs: 2, optimizer: 'adamax' }, resumeFrom: first.checkpoint })).rejects.toThrow(/optimizer/);
  });

  it('keeps the tensor count constant from epoch to epoch', async () => {
    const counts: number[] = [];
    const gen = train({ config: { ...base, epochs: 4 }, train: trainSet, test: testSet, backend, probeSample: 1 });
    for await (const e of gen) if (e.type === 'epoch' || e.type === 'probe') counts.push(tf.memory().numTensors);
    expect(counts.length).toBe(8);
    expect(new Set(counts).size).toBe(1);
  });

  it('cancel between batches returns the checkpoint of the last completed epoch', async () => {
    const reference = await run({ config: { ...base, epochs: 1 } });
    const abort = new AbortController();
    let pauses = 0;
    const events: TrainEvent[] = [];
    const gen = train({
      config: { ...base, epochs: 3 },
      train: trainSet,
      test: testSet,
      backend,
      control: {
        signal: abort.signal,
        waitWhilePaused: async () => {
          pauses++;
        },
      },
    });
    let checkpoint: TrainingCheckpoint | undefined;
    for (;;) {
      const step = await gen.next();
      if (step.done) {
        checkpoint = step.value;
        break;
      }
      events.push(step.value);
      if (step.value.type === 'batch' && step.value.epoch === 2 && step.value.batch === 2) abort.abort();
    }
    const done = events.at(-1) as Extract<TrainEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', reason: 'cancelled' });
    expect(done.history.length).toBe(1);
    expect(events.filter((e) => e.type === 'batch').length).toBe(7);
    expect(pauses).toBe(7); // asked before every batch that ran
    expect(checkpoint.epochsDone).toBe(1);
    expect(Array.from(checkpoint.params.flat)).toEqual(Array.from(reference.checkpoint.params.flat));
    expect(checkpoint.optimizer.step).toBe(5);
  });

  it('stops with an error naming epoch and batch when the loss becomes NaN', async () => {
    const first = await run({ config: { ...base, epochs: 1 } });
    const poisoned: TrainingCheckpoint = { ...first.checkpoint, params: { ...first.checkpoint.params, flat: first.checkpoint.params.flat.slice() } };
    tensor(poisoned.params, poisoned.params.flat, 'readout/w')[3] = Number.NaN;
    const { events, checkpoint } = await run({ config: { ...base, epochs: 3 }, resumeFrom: poisoned });
    const err = events.find((e) => e.type === 'error') as Extract<TrainEvent, { type: 'error' }>;
    expect(err.message).toMatch(/epoch 2, batch 1 of 5: loss is NaN/);
    expect(events.some((e) => e.type === 'epoch')).toBe(false);
    expect(checkpoint.epochsDone).toBe(1);
  });

  it('an exploding learning rate is caught the same way', async () => {
    const { events } = await run({ config: { ...base, epochs: 3, learningRate: 10, regL2: 1e3, regL1: 1e3 } });
    const err = events.find((e) => e.type === 'error') as Extract<TrainEvent, { type: 'error' }> | undefined;
    const lossesFinite = events.every((e) => e.type !== 'batch' || Number.isFinite(e.loss));
    // Either the run diverged and said where, or every reported loss was finite.
    if (err) expect(err.message).toMatch(/epoch \d+, batch \d+ of 5/);
    expect(lossesFinite).toBe(true);
  });

  it('learns: test accuracy rises well above chance (25 %) within a few epochs', async () => {
    const config = { ...base, epochs: 4, layers: [{ size: 32, recurrent: true, dropout: 0 }], nbSteps: 40 };
    const bigger = makeSyntheticShd({ samples: 128, seed: 3, split: 'train', ...data });
    const untrained = await evaluate(initNetwork(networkShape(config, 40, 4), config), config, testSet);
    const { checkpoint } = await run({ config, train: bigger });
    const last = checkpoint.history.at(-1)!;
    expect(last.test_acc).toBeGreaterThanOrEqual(0.8);
    expect(last.test_acc).toBeGreaterThan(untrained.accuracy + 0.25);
    expect(last.test_loss).toBeLessThan(untrained.loss / 2);
    // evaluate() on the final weights reproduces the epoch's numbers.
    const again = await evaluate(checkpoint.params, config, testSet);
    expect(again.accuracy).toBe(last.test_acc);
    expect(again.loss).toBeCloseTo(last.test_loss, 10);
    expect(again.predictions.length).toBe(40);
  });
});
