/**
 * The card of a seeds sweep folder written by hand (reports and statuses as train and the task runner write
 * them): unfinished seeds listed and not pooled, disagreeing data named, one seed without spread, a sweep that
 * varies more than the seed refused; and the Markdown and CSV of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/shared/config';
import { PRESETS } from '../../../src/shared/presets';
import { seedsSpec } from '../../../src/shared/seedsSweep';
import { buildReportCard } from '../../../src/services/reportCard/buildCard';
import { cardCsv } from '../../../src/services/reportCard/cardCsv';
import { cardMarkdown } from '../../../src/services/reportCard/cardMarkdown';
import { delaysText, headline } from '../../../src/shared/reportCardText';
import { closestPreset, configEntries } from '../../../src/services/reportCard/configEntries';
import { wilsonInterval } from '../../../src/services/reportCard/confidence';
import { prepareSweepDir, taskFiles, writeStatus } from '../../../src/services/sweeps/sweepDir';
import { expandSweep } from '../../../src/services/sweeps/sweepTable';

const root = mkdtempSync(join(tmpdir(), 'sw-card-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fast = PRESETS.find((p) => p.id === 'fast')!.config as TrainConfig;
const config: TrainConfig = { ...fast, epochs: 3, seed: 10 };

interface Run {
  testAcc: number;
  valAcc: number;
  fingerprint?: string;
  state?: 'done' | 'failed';
}

/** A seeds sweep folder whose task i ran as `runs[i]` says (test set of 2264, as SHD's). */
function seedsFolder(name: string, runs: Run[]): string {
  const dir = join(root, name);
  const spec = seedsSpec({ name, config, seeds: runs.length, data: { dataset: 'shd' } });
  const tasks = expandSweep(spec, root);
  prepareSweepDir(dir, spec, root, tasks);
  tasks.forEach((t, i) => {
    const run = runs[i];
    const started = new Date(Date.UTC(2026, 0, 1, 0, 0, i * 10));
    const ended = new Date(started.getTime() + 60_000);
    writeStatus(dir, t.id, {
      state: run.state ?? 'done',
      started: started.toISOString(),
      ended: ended.toISOString(),
      wall_s: 60,
      exit_code: run.state === 'failed' ? 1 : 0,
      host: 'node1',
      pid: 1,
      ...(run.state === 'failed' ? { error: 'error: out of memory' } : {}),
    });
    if (run.state === 'failed') return;
    const history = [1, 2, 3].map((epoch) => ({ epoch, train_loss: 1, train_acc: 0.9, test_acc: epoch === 2 ? run.testAcc : 0.5, val_acc: epoch === 2 ? run.valAcc : 0.4 }));
    writeFileSync(
      taskFiles(dir, t.id).report,
      JSON.stringify({
        backend: { name: 'wasm', tfBackend: 'wasm', skipped: [] },
        config: { ...config, seed: 10 + i },
        validation: { kind: 'by-speaker', trainSamples: 7340, validationSamples: 816, speakers: [3], seed: 10 + i, description: 'by speaker: 816 of 8156 samples held out (speakers 3)' },
        history,
        selected_epoch: 2,
        test_acc_selected: run.testAcc,
        final_test_acc: 0.5,
        stopped_early: false,
        data: { name: 'shd', train_fingerprint: run.fingerprint ?? 'sha256:aa', test_fingerprint: 'sha256:bb', train_samples: 8156, test_samples: 2264 },
        session: taskFiles(dir, t.id).session,
      }),
    );
  });
  return dir;
}

describe('buildReportCard', () => {
  it('pools three seeds: Wilson per seed on 2264 samples, t interval of the mean', () => {
    const accs = [2100 / 2264, 2110 / 2264, 2120 / 2264];
    const card = buildReportCard(seedsFolder('three', accs.map((a) => ({ testAcc: a, valAcc: 0.9 }))), new Date('2026-02-01T00:00:00Z'));
    expect(card.seeds).toEqual([10, 11, 12]);
    expect(card.rows.map((r) => [r.seed, r.testCorrect, r.selectedEpoch])).toEqual([[10, 2100, 2], [11, 2110, 2], [12, 2120, 2]]);
    expect(card.rows[0].testInterval!.low).toBeCloseTo(0.9161447015335573, 8);
    expect(card.rows[0].testInterval!.high).toBeCloseTo(0.9375304936481834, 8);
    expect(card.pooled.meanTestAcc).toBeCloseTo(2110 / 2264, 12);
    expect(card.pooled.stdTestAcc).toBeCloseTo(10 / 2264, 12);
    const half = (4.302652729749462 * (10 / 2264)) / Math.sqrt(3);
    expect(card.pooled.meanInterval!.low).toBeCloseTo(2110 / 2264 - half, 9);
    expect(card.pooled.totalWallS).toBe(180);
    expect(card.pooled.elapsedS).toBe(80);
    expect(card.warnings).toEqual([]);
    expect(card.protocol).toMatchObject({ validationKind: 'by-speaker', validationSamples: 816, epochs: 3, epochsRun: [3, 3, 3], patience: fast.patience });
    expect(card.closestPreset).toEqual({ id: 'fast', differences: [{ key: 'epochs', value: '3', preset: String(fast.epochs) }] });
    expect(card.data).toEqual({ name: 'shd', trainFingerprint: 'sha256:aa', testFingerprint: 'sha256:bb', trainSamples: 8156, testSamples: 2264 });
    expect(card.backend).toBe('wasm (tfjs "wasm")');
  });

  it('lists a failed seed and pools the others; names seeds trained on other data', () => {
    const card = buildReportCard(
      seedsFolder('failed', [
        { testAcc: 0.9, valAcc: 0.8 },
        { testAcc: 0, valAcc: 0, state: 'failed' },
        { testAcc: 0.92, valAcc: 0.85, fingerprint: 'sha256:cc' },
      ]),
    );
    expect(card.done).toBe(2);
    expect(card.pooled.n).toBe(2);
    expect(card.pooled.meanTestAcc).toBeCloseTo(0.91, 12);
    expect(card.rows[1]).toMatchObject({ seed: 11, status: 'failed', testAcc: null, testInterval: null, error: 'error: out of memory' });
    expect(card.warnings).toEqual([
      '2 of 3 seeds done; the pooled row is over those only. Not pooled: t001 (seed 11) failed: error: out of memory',
      'two seeds: the interval of the mean uses t(0.975, 1) = 12.71 and is very wide; 3 seeds give t = 4.30, 5 give 2.78',
      'the seeds differ in training data: sha256:aa (t000), sha256:cc (t002)',
    ]);
  });

  it('has no spread for one seed, and says so', () => {
    const card = buildReportCard(seedsFolder('one', [{ testAcc: 0.5, valAcc: 0.5 }]));
    expect(card.pooled).toMatchObject({ n: 1, meanTestAcc: 0.5, stdTestAcc: null, meanInterval: null });
    expect(card.warnings).toEqual(['one seed: no spread or interval across seeds (train more seeds for them)']);
    expect(headline(card)).toBe('Test accuracy at the selected epoch: 50.00 % (one seed; no spread across seeds).');
  });

  it('refuses a sweep that varies more than the seed', () => {
    const dir = join(root, 'grid');
    const spec = { name: 'grid', config, grid: { seed: [1, 2], hidden: [8, 16] }, data: { dataset: 'demo' } };
    prepareSweepDir(dir, spec, root, expandSweep(spec, root));
    expect(() => buildReportCard(dir)).toThrow(`${dir}: not a seeds sweep (it varies seed, hidden); a report card pools runs that differ in their seed alone`);
  });
});

describe('the card as Markdown and CSV', () => {
  const card = buildReportCard(seedsFolder('texts', [0.91, 0.93].map((a) => ({ testAcc: a, valAcc: 0.9 }))), new Date('2026-02-01T00:00:00Z'));

  it('leads with mean ± std and the t interval, then a row per seed and the pooled row', () => {
    const md = cardMarkdown(card);
    const w = wilsonInterval(Math.round(0.91 * 2264), 2264);
    expect(md).toContain('**Test accuracy at the selected epoch: 92.00 % ± 1.41 % (mean ± std over 2 seeds); 95 % interval of the mean 79.29–104.71 % (Student\'s t, 1 df).**');
    expect(md).toContain(`| 10 | done | 3 | 2 | 90.00 % | 91.00 % (2060 / 2264) | ${(100 * w.low).toFixed(2)}–${(100 * w.high).toFixed(2)} % | 60.0 s |`);
    expect(md).toContain('| **mean ± std (2 seeds)** | | | | 90.00 % | **92.00 % ± 1.41 %** | 79.29–104.71 % (t, of the mean) | 120.0 s total |');
    expect(md).toContain('- Validation: by speaker: 816 of 8156 samples held out (speakers 3) (kind by-speaker, 816 samples).');
    expect(md).toContain('Preset `fast` with epochs 3 (preset: ');
    expect(md).toContain('| seed | 10, 11 |');
    expect(md).toContain('\nDelays: none.\n');
    expect(md).toContain('- Test set: 2264 samples, fingerprint `sha256:bb`');
  });

  it('has one CSV row per seed and a pooled row, each naming its interval', () => {
    const lines = cardCsv(card).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(',').slice(0, 15)).toEqual(['row', 'seed', 'status', 'epochs_run', 'selected_epoch', 'stopped_early', 'val_acc', 'test_acc', 'test_correct', 'test_samples', 'std_test_acc', 'ci_low', 'ci_high', 'interval', 'wall_s']);
    expect(lines[1].startsWith('seed,10,done,3,2,false,0.9,0.91,2060,2264,,')).toBe(true);
    expect(lines[3].startsWith(`pooled,10 11,2 done,,,,0.9,${card.pooled.meanTestAcc},,2264,${card.pooled.stdTestAcc},${card.pooled.meanInterval!.low},${card.pooled.meanInterval!.high},t95 of the mean over 2 seeds,120.0,shd,sha256:aa,sha256:bb,`)).toBe(true);
  });
});

describe('configEntries and closestPreset', () => {
  it('lists every field, augmentation by option, and finds the preset a config came from', () => {
    const entries = new Map(configEntries(DEFAULT_CONFIG as TrainConfig));
    expect(entries.get('layers')).toBe('128 recurrent');
    expect(entries.get('tauAdaptS')).toBe('0.06:0.3');
    expect(entries.get('augment.stretch')).toBe('1');
    expect(entries.has('augment')).toBe(false);
    expect(closestPreset({ ...(DEFAULT_CONFIG as TrainConfig), seed: 4 })).toEqual({ id: 'seed', differences: [] });
    const shd = PRESETS.find((p) => p.id === 'shd')!.config as TrainConfig;
    expect(closestPreset({ ...shd, learningRate: 0.005 })).toEqual({ id: 'shd', differences: [{ key: 'learningRate', value: '0.005', preset: String(shd.learningRate) }] });
  });

  it('states the delay options, and a delayed run’s differences from the preset it started from', () => {
    const delayed: TrainConfig = { ...(DEFAULT_CONFIG as TrainConfig), recDelayMax: 6, recDelayInit: { lo: 1, hi: 5 }, delaySigma: 2 };
    const entries = new Map(configEntries(delayed));
    expect([entries.get('recDelayMax'), entries.get('recDelayInit'), entries.get('ffDelayMax'), entries.get('delaySigmaDecay')]).toEqual(['6', '1:5', '0', '0.95']);
    expect(closestPreset(delayed)).toEqual({
      id: 'seed',
      differences: [
        { key: 'recDelayMax', value: '6', preset: '0' },
        { key: 'recDelayInit', value: '1:5', preset: '0:5' },
        { key: 'delaySigma', value: '2', preset: '0' },
      ],
    });
  });

  it('states each layer’s own delays: in the layers entry in their config names, and resolved in one line', () => {
    const perLayer: TrainConfig = {
      ...(DEFAULT_CONFIG as TrainConfig), recDelayMax: 6, delaySigma: 2, delayLearningRate: 0.01,
      layers: [{ size: 64, recurrent: true, dropout: 0, recDelayMax: 25, recDelayInit: { lo: 0, hi: 8 } }, { size: 32, recurrent: true, dropout: 0.1, recDelayMax: 0, ffDelayMax: 4 }],
    };
    const entries = new Map(configEntries(perLayer));
    expect(entries.get('layers')).toBe('64 recurrent recDelayMax 25 recDelayInit 0:8, 32 recurrent dropout 0.1 recDelayMax 0 ffDelayMax 4');
    expect(delaysText(perLayer)).toBe('layer 1: recurrent ≤ 25 steps (init 0:8); layer 2: feed-forward ≤ 4 steps (init 0:3) · σ 2 decaying 0.95 · delay lr 0.01');
    expect(delaysText({ ...perLayer, layers: [{ size: 8, recurrent: true, dropout: 0 }], delayLearningRate: 0 })).toBe("layer 1: recurrent ≤ 6 steps (init 0:5) · σ 2 decaying 0.95 · delay lr the weights' (0.001)");
    expect(delaysText(DEFAULT_CONFIG as TrainConfig)).toBe('none');
  });
});
