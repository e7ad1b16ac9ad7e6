/**
 * The Sessions tab's Evaluate through the service and its training process: a session `train` wrote on the CLI,
 * opened in the app and evaluated on its test file, gives what `evaluate --selected --json` prints for the same
 * files (accuracy, per class, the selected epoch, the backend); data with fewer classes comes back with the
 * warning, data with more is refused in one line naming the session by its list name, and bad calls are refused
 * before anything runs.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassResult } from '../../../src/shared/events';
import type { DatasetRef, SessionSummary } from '../../../src/shared/workbenchApi';
import { ShdFileWriter } from '../../../src/services/data/shdWriter';
import { dispatchCall } from '../../../src/services/workbench/dispatch';
import { runCli } from '../../cli/cliProcess';
import { scaled } from '../../slowdown';
import { makeBench } from './workbenchHelpers';

const FIX = resolve(import.meta.dirname, '../../fixtures/sessions');
const TRAIN = join(FIX, 'agreement_train.h5');
const TEST = join(FIX, 'agreement_test.h5');
const CHANNELS = 40;

/** A file of `classes` classes on the fixture's 40 channels, sample i of class i mod `classes`. */
function write(path: string, classes: number, samples: number): string {
  const w = new ShdFileWriter(path, { classNames: Array.from({ length: classes }, (_, k) => `burst-${k}`), channels: CHANNELS, speakers: false });
  for (let i = 0; i < samples; i++) {
    const label = i % classes;
    const times = Array.from({ length: 10 }, (_, k) => 0.02 + 0.08 * k);
    w.add({ times, units: times.map((_, k) => (6 * label + k) % CHANNELS), label });
  }
  w.finish();
  return path;
}

describe('evaluating a session in the app', () => {
  const bench = makeBench();
  afterAll(() => bench.dispose());
  const sessionFile = join(bench.dir, 'cli-run.h5');
  const filesRef = (testPath: string): DatasetRef => ({ kind: 'files', trainPath: TRAIN, testPath });
  let opened: SessionSummary;
  let report: { selected_epoch: number; test_acc_selected: number; final_test_acc: number };

  beforeAll(async () => {
    // As `evaluate --selected` is tested on the CLI: a high learning rate makes the epochs differ, so the selected
    // epoch is unlikely to be the last and the two weights give different numbers.
    const train = await runCli([
      'train', '--train', TRAIN, '--test', TEST, '--out', sessionFile,
      '--hidden', '10', '--nb-steps', '30', '--max-time', '1', '--batch', '32', '--lr', '0.02', '--epochs', '4', '--seed', '2', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    report = JSON.parse(train.stdout);
    opened = await bench.service.api.sessions.openFile(sessionFile);
  }, scaled(180_000));

  it("gives the CLI's `evaluate --selected --json` on the same files: accuracy, per class, epoch and backend", async () => {
    const [evaluation, cli] = await Promise.all([
      bench.service.api.sessions.evaluate(opened.id, filesRef(TEST)),
      runCli(['evaluate', '--session', sessionFile, '--data', TEST, '--selected', '--json']),
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    const printed = JSON.parse(cli.stdout) as { accuracy: number; per_class: ClassResult[] };
    expect(evaluation).toMatchObject({ sessionName: opened.name, dataset: TEST, epoch: report.selected_epoch, samples: 300 });
    expect(evaluation.accuracy).toBe(printed.accuracy);
    expect(evaluation.perClass).toEqual(printed.per_class);
    expect(evaluation.perClass.map((c) => c.samples).reduce((a, b) => a + b)).toBe(300);
    expect(evaluation.perClass.map((c) => c.correct).reduce((a, b) => a + b)).toBe(Math.round(evaluation.accuracy * 300));
    expect(cli.stderr).toMatch(new RegExp(`^backend ${evaluation.backend}\\b`));
    // The selected epoch's number, as training measured it (the list's "selected test acc").
    expect(evaluation.accuracy).toBe(report.test_acc_selected);
    expect(opened.testAccSelected).toBe(report.test_acc_selected);
    expect(evaluation.loss).toBeGreaterThan(0);
    expect(evaluation.warnings).toBeUndefined();
  }, scaled(120_000));

  it('returns the warning beside its numbers for a test file with fewer classes than the session', async () => {
    const two = write(join(bench.dir, 'two.h5'), 2, 20);
    const evaluation = await bench.service.api.sessions.evaluate(opened.id, filesRef(two));
    expect(evaluation.samples).toBe(20);
    expect(evaluation.perClass.map((c) => c.samples)).toEqual([10, 10, 0, 0]);
    expect(evaluation.perClass[3].accuracy).toBeNull();
    expect(evaluation.warnings).toEqual([
      `${two} has 2 classes (burst-0, burst-1), the session "${opened.name}" 4 (burst-0, burst-1, burst-2, burst-3): ` +
        'labels are scored by index, and the session can predict its classes 2…3, which this data never holds',
    ]);
  }, scaled(120_000));

  it('refuses a test file with classes the session has no output for, in one line naming the session by its list name', async () => {
    const six = write(join(bench.dir, 'six.h5'), 6, 24);
    const refused = bench.service.api.sessions.evaluate(opened.id, filesRef(six));
    await expect(refused).rejects.toThrow(
      `cannot evaluate session "${opened.name}": ${six} has 6 classes, but the session "${opened.name}" has 4 outputs: ` +
        'labels 4…5 (burst-4, burst-5) cannot be scored; 8 of its 24 samples carry them (the first: sample 4)',
    );
    await expect(refused).rejects.not.toThrow(/\n/);
  }, scaled(120_000));

  it('refuses bad calls before anything runs: a session id outside the folder, a dataset without its test file, an unknown session', async () => {
    const bad = await dispatchCall(bench.service.api, 'sessions.evaluate', ['../cli-run', { kind: 'files', trainPath: TRAIN }]);
    expect(bad.status).toBe('refused');
    expect(bad.reply).toMatchObject({ ok: false, fieldErrors: [{ field: 'id' }, { field: 'dataset.testPath' }] });
    const missing = await dispatchCall(bench.service.api, 'sessions.evaluate', ['20250101-120000-ab12', { kind: 'demo' }]);
    expect(missing.status).toBe('failed');
    expect(missing.reply).toMatchObject({ ok: false, error: expect.stringContaining('20250101-120000-ab12') });
    const noFile = bench.service.api.sessions.evaluate(opened.id, filesRef(join(bench.dir, 'gone.h5')));
    await expect(noFile).rejects.toThrow(`cannot evaluate session "${opened.name}": ${join(bench.dir, 'gone.h5')}: no such file`);
  }, scaled(60_000));
});
