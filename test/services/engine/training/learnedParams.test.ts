/**
 * The family's learned parameters over training: decays with and without learnTau, a and b of adLIF, within
 * their bounds; resume of a 2-layer adLIF run with learnTau and dropout, through the trainer's checkpoint and
 * through a session file; a first-landing (format 1) session still evaluates as the reference recorded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decayBounds, type TrainConfig } from '../../../../src/shared/config';
import type { BackendReport, TrainEvent } from '../../../../src/shared/events';
import { readSpikeFile } from '../../../../src/services/data/shdReader';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { evaluate } from '../../../../src/services/engine/training/evaluate';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { layerTensors, networkShape, type NetworkParams, type Session, type TrainingCheckpoint } from '../../../../src/services/engine/model/modelState';
import type { TrainOptions } from '../../../../src/services/engine/training/trainer';
import { readSession } from '../../../../src/services/sessions/sessionRead';
import { writeSession } from '../../../../src/services/sessions/sessionWrite';
import { adlif2, testSet, trainSet, runTraining } from '../smallProblem';

let backend: BackendReport;
let dir: string;
beforeAll(async () => {
  backend = await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'learned-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (opts: Partial<TrainOptions> & { config: TrainConfig }) => runTraining(backend, opts);

const initial = (config: TrainConfig) => initNetwork(networkShape(config, trainSet.channels, trainSet.classNames.length), config);
const within = (v: Float32Array, lo: number, hi: number) => v.every((x) => x >= Math.fround(Math.min(lo, hi)) && x <= Math.fround(Math.max(lo, hi)));
const moved = (a: Float32Array, b: Float32Array) => a.reduce((n, x, i) => n + (x !== b[i] ? 1 : 0), 0);

describe('learned decays, a and b', () => {
  for (const neuron of ['lif', 'adlif'] as const) {
    it(`${neuron}: with learnTau the decays move and stay within decayBounds; without, they are the initial bits`, async () => {
      const config: TrainConfig = { ...adlif2, neuron, epochs: 1 };
      const init = initial(config);
      const learned = (await run({ config })).checkpoint.params;
      const frozen = (await run({ config: { ...config, learnTau: false } })).checkpoint.params;
      const spans = neuron === 'lif' ? { alpha: config.tauSynS, beta: config.tauMemS } : { alpha: config.tauMemS, beta: config.tauAdaptS };
      config.layers.forEach((layer, l) => {
        const [t0, tl, tf] = [layerTensors(init, l), layerTensors(learned, l), layerTensors(frozen, l)];
        for (const d of ['alpha', 'beta'] as const) {
          // Most neurons' decays moved (a few may sit at a bound or have had no gradient).
          expect(moved(tl[d], t0[d]), `layer ${l} ${d} moved`).toBeGreaterThan(layer.size / 2);
          expect(within(tl[d], ...decayBounds(spans[d], config.dtS)), `layer ${l} ${d} within bounds`).toBe(true);
          expect(Array.from(tf[d]), `layer ${l} ${d} frozen`).toEqual(Array.from(t0[d]));
        }
        // The weights trained in both runs.
        expect(moved(tf.wIn, t0.wIn)).toBeGreaterThan(tf.wIn.length / 2);
        if (neuron === 'adlif') {
          // a and b are learned with or without learnTau, and clamped to their spans.
          for (const [params, what] of [[learned, 'learnTau'], [frozen, 'no learnTau']] as [NetworkParams, string][]) {
            const t = layerTensors(params, l);
            expect(moved(t.a!, t0.a!), `layer ${l} a moved (${what})`).toBeGreaterThan(layer.size / 2);
            expect(moved(t.b!, t0.b!), `layer ${l} b moved (${what})`).toBeGreaterThan(layer.size / 2);
            expect(within(t.a!, config.adaptA.lo, config.adaptA.hi), `layer ${l} a in span`).toBe(true);
            expect(within(t.b!, config.adaptB.lo, config.adaptB.hi), `layer ${l} b in span`).toBe(true);
          }
        }
      });
    });
  }

  it('the epoch events report the learned time constants', async () => {
    const { events } = await run({ config: { ...adlif2, epochs: 1 } });
    const start = events.find((e) => e.type === 'start') as Extract<TrainEvent, { type: 'start' }>;
    const epoch = events.find((e) => e.type === 'epoch') as Extract<TrainEvent, { type: 'epoch' }>;
    expect(start.initialTaus.map((t) => [t.kind, t.tauMemS.length, t.tauAdaptS!.length])).toEqual([['adlif', 16, 16], ['adlif', 12, 12]]);
    for (const [key, span] of [['tauMemS', adlif2.tauMemS], ['tauAdaptS', adlif2.tauAdaptS]] as const) {
      for (const taus of start.initialTaus) for (const tau of taus[key]!) expect(tau >= span.lo * (1 - 1e-5) && tau <= span.hi * (1 + 1e-5), `${key} ${tau}`).toBe(true);
      expect(epoch.taus[0][key]).not.toEqual(start.initialTaus[0][key]);
    }
  });
});

describe('resume of a 2-layer adLIF run with learnTau and dropout', () => {
  it('1 epoch + resume 1 gives the bits of 2 straight, from the checkpoint and through a session file', async () => {
    const straight = await run({ config: { ...adlif2, epochs: 2 } });
    const first = await run({ config: { ...adlif2, epochs: 1 } });
    const resumed = await run({ config: { ...adlif2, epochs: 2 }, resumeFrom: first.checkpoint });
    const same = (a: TrainingCheckpoint, b: TrainingCheckpoint) => {
      expect(a.params.shape).toEqual(b.params.shape);
      expect(Array.from(a.params.flat)).toEqual(Array.from(b.params.flat));
      expect(Array.from(a.optimizer.m)).toEqual(Array.from(b.optimizer.m));
      expect(Array.from(a.optimizer.v)).toEqual(Array.from(b.optimizer.v));
      expect(a.optimizer.step).toBe(b.optimizer.step);
      expect(a.history.map((h) => [h.train_loss, h.test_loss, h.test_acc])).toEqual(b.history.map((h) => [h.train_loss, h.test_loss, h.test_acc]));
    };
    same(resumed.checkpoint, straight.checkpoint);
    // The run really used dropout and learned decays: it differs from one without either.
    const plain = await run({ config: { ...adlif2, epochs: 2, learnTau: false, layers: adlif2.layers.map((l) => ({ ...l, dropout: 0 })) } });
    expect(Array.from(plain.checkpoint.params.flat)).not.toEqual(Array.from(straight.checkpoint.params.flat));

    const path = join(dir, 'epoch1.h5');
    const session: Session = {
      ...first.checkpoint,
      meta: {
        created: '2025-01-01T00:00:00.000Z',
        appVersion: 'test',
        backend: 'wasm',
        dataset: { name: trainSet.name, fingerprint: 'sha256:' + '0'.repeat(64), trainSamples: trainSet.samples, testSamples: testSet.samples },
        classNames: trainSet.classNames,
      },
    };
    await writeSession(path, session);
    const back = await readSession(path);
    expect(back.config).toEqual(first.checkpoint.config);
    const fromFile = await run({ config: { ...adlif2, epochs: 2 }, resumeFrom: back });
    same(fromFile.checkpoint, straight.checkpoint);
  });
});

describe('a first-landing session (format 1)', () => {
  it('loads and evaluates as the reference recorded: its accuracy and predictions', async () => {
    const FIX = 'test/fixtures/sessions';
    const reference = JSON.parse(readFileSync(`${FIX}/agreement_reference.json`, 'utf8')) as { accuracy: number; predictions: number[] };
    const session = await readSession(`${FIX}/agreement_session.h5`);
    const data = await readSpikeFile(`${FIX}/agreement_test.h5`);
    expect(reference.predictions).toHaveLength(300);
    expect(new Set(reference.predictions).size).toBeGreaterThanOrEqual(3);
    for (const loop of ['fused', 'tensor'] as const) {
      const ev = await evaluate(session.params, session.config, data, { loop });
      const agree = ev.predictions.reduce((n, p, i) => n + (p === reference.predictions[i] ? 1 : 0), 0);
      expect(agree, loop).toBe(300);
      expect(ev.accuracy, loop).toBe(reference.accuracy);
    }
  });
});
