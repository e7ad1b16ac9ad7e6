import { selectEpoch } from '../../src/shared/modelSelection';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCommand } from '../../src/cli/commands/train';
import type { TrainReport } from '../../src/cli/commands/train';
import { writeManifest, emptyManifest } from '../../src/services/data/download/manifest';
import { readSession } from '../../src/services/sessions/sessionRead';
import { startCli, runCli, type CliRun } from './cliProcess';

const FIX = 'test/fixtures/sessions';
const DATA = ['--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`];
const MODEL = ['--hidden', '10', '--nb-steps', '30', '--max-time', '1', '--batch', '32', '--lr', '0.005', '--seed', '5'];
const dir = mkdtempSync(join(tmpdir(), 'sw-train-'));
const children: { kill(signal?: NodeJS.Signals): boolean }[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const ok = (r: CliRun) => expect(r.code, r.stderr).toBe(0);

/** The epoch of best validation accuracy, the earlier among equals (independent of the trainer's own rule). */
/** The epoch the selection rule (unit-tested in test/shared/modelSelection.test.ts) keeps for a report. */
function selectedOf(history: TrainReport['history'], valSamples: number): number {
  return selectEpoch(history, valSamples).epoch;
}

describe('train → session, report; resume continues the same trajectory', () => {
  const straight = join(dir, 'straight.h5');
  const split = join(dir, 'split.h5');
  const reportPath = join(dir, 'report.json');

  it('2 epochs straight, and 1 epoch + resume 1, end with identical weights and optimizer state', async () => {
    const [a, b] = await Promise.all([
      runCli(['train', ...DATA, ...MODEL, '--no-recurrent', '--epochs', '2', '--out', straight, '--report', reportPath, '--json']),
      runCli(['train', ...DATA, ...MODEL, '--no-recurrent', '--epochs', '1', '--out', split]),
    ]);
    ok(a);
    ok(b);

    // Report: stdout (--json) and --report file say the same; keys as the issue lists them.
    const report = JSON.parse(a.stdout) as TrainReport;
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toEqual(report);
    expect(Object.keys(report).sort()).toEqual([
      'backend', 'config', 'data', 'final_test_acc', 'health', 'history', 'selected_epoch', 'selection', 'session', 'stopped_early', 'test_acc_selected', 'test_activity', 'test_per_speaker', 'validation',
    ]);
    // Both sets named by content, as a report card cites them.
    expect(report.data.train_samples).toBe(160);
    expect(report.data.train_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.data.test_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.data.test_fingerprint).not.toBe(report.data.train_fingerprint);
    expect(report.backend.name).toMatch(/^(webgpu|gpu|native|wasm|cpu)$/);
    expect(report.config).toMatchObject({ neuron: 'lif', layers: [{ size: 10, recurrent: false, dropout: 0 }], nbSteps: 30, maxTimeS: 1, batchSize: 32, learningRate: 0.005, seed: 5, epochs: 2 });
    expect(report.history.map((h) => h.epoch)).toEqual([1, 2]);
    for (const h of report.history) {
      for (const k of ['train_loss', 'train_acc', 'val_loss', 'val_acc', 'test_loss', 'test_acc', 'lr', 'train_s'] as const) expect(Number.isFinite(h[k]), k).toBe(true);
      expect(h.train_s).toBeGreaterThan(0);
      expect(h.lr).toBe(0.005);
    }
    // The default protocol: 10 % of the training file held out, stratified by class (the file names no speakers).
    expect(report.config).toMatchObject({ validationFraction: 0.1, validationBy: 'auto', patience: 0 });
    expect(report.validation).toEqual({
      kind: 'stratified-by-class', trainSamples: 144, validationSamples: 16, seed: 5,
      description: 'stratified by class: 16 of 160 samples held out, seed 5',
    });
    expect(report.final_test_acc).toBe(report.history[1].test_acc);
    expect(report.selected_epoch).toBe(selectedOf(report.history, report.validation.validationSamples));
    expect(report.test_acc_selected).toBe(report.history[report.selected_epoch! - 1].test_acc);
    expect(report.stopped_early).toBe(false);
    // Not a terminal: the backend and split lines, then one line per epoch on stderr, nothing redrawn.
    const lines = a.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^backend /);
    expect(lines[1]).toBe('validation: stratified by class: 16 of 160 samples held out, seed 5');
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^epoch 1\/2: train loss \S+ acc \S+ \| val loss \S+ acc \S+ ±[\d.]+ \| test loss .* \| selected$/),
      expect.stringMatching(/^epoch 2\/2: train loss \S+ acc \S+ \| val loss /),
    ]);
    expect(lines[3].endsWith('| selected')).toBe(report.selected_epoch === 2);
    expect(a.stderr).not.toContain('\r');
    expect(b.stdout).toMatch(
      /^trained 1 epoch on \w+: test accuracy [\d.]+% at the selected epoch 1 \(validation accuracy [\d.]+%; stratified by class: 16 of 160 samples held out, seed 5\), [\d.]+% at the last; session .*split\.h5\nselection: epoch 1: validation [\d.]+ %, smoothed over 3 epochs [\d.]+ % ± [\d.]+ % \(standard error, 16 validation samples\); the only epoch so far\n$/,
    );

    const createdBefore = (await readSession(split)).meta.created;
    const resumed = await runCli(['train', '--resume', split, ...DATA, '--epochs', '2']);
    ok(resumed);
    expect(resumed.stderr).toMatch(/\nepoch 2\/2: /);
    expect(resumed.stderr).not.toMatch(/epoch 1\/2/);

    const [s, r] = await Promise.all([readSession(straight), readSession(split)]);
    expect(r.epochsDone).toBe(2);
    expect(r.params.shape).toEqual(s.params.shape);
    expect(Array.from(r.params.flat)).toEqual(Array.from(s.params.flat));
    expect(r.optimizer).toEqual(s.optimizer);
    expect(r.config).toEqual(s.config);
    expect(r.history.map(({ train_s: _t, eval_s: _e, ...rest }) => rest)).toEqual(s.history.map(({ train_s: _t, eval_s: _e, ...rest }) => rest));
    // The protocol's state resumes too: the same split, schedule and selected weights.
    expect(r.validation).toEqual(s.validation);
    expect(r.schedule).toEqual(s.schedule);
    expect(r.selected?.epoch).toBe(s.selected?.epoch);
    expect(Array.from(r.selected!.params.flat)).toEqual(Array.from(s.selected!.params.flat));
    // --no-recurrent: the layer has no recurrent weights at all.
    expect(s.params.layout.map((e) => e.name)).toEqual(['layer0/w_in', 'layer0/alpha', 'layer0/beta', 'readout/w', 'readout/alpha', 'readout/beta']);
    // Metadata: the data it was trained on, its classes; the resumed file keeps its birth date.
    expect(s.meta.dataset).toMatchObject({ name: `${FIX}/agreement_train.h5`, trainSamples: 160, testSamples: 300 });
    expect(s.meta.dataset.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.meta.dataset.fingerprint).toBe(s.meta.dataset.fingerprint);
    expect(s.meta.classNames).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3']);
    expect(r.meta.created).toBe(createdBefore);
  });

  it('a run killed mid-training leaves a readable session with its completed epochs; Ctrl-C stops cleanly', async () => {
    const killed = join(dir, 'killed.h5');
    const interrupted = join(dir, 'interrupted.h5');
    const start = (out: string) => {
      const run = startCli(['train', ...DATA, ...MODEL, '--epochs', '500', '--out', out]);
      children.push(run.child);
      let stderr = '';
      const firstEpoch = new Promise<void>((resolve) =>
        run.child.stderr!.on('data', (s: string) => {
          stderr += s;
          if (/epoch 2\/500:/.test(stderr)) resolve();
        }),
      );
      return { ...run, firstEpoch };
    };
    const k = start(killed);
    const i = start(interrupted);
    await Promise.all([k.firstEpoch, i.firstEpoch]);
    k.child.kill('SIGKILL');
    i.child.kill('SIGINT');
    const [kr, ir] = await Promise.all([k.done, i.done]);
    expect(kr.signal).toBe('SIGKILL');
    const afterKill = await readSession(killed);
    expect(afterKill.epochsDone).toBeGreaterThanOrEqual(2);
    expect(afterKill.history.map((h) => h.epoch)).toEqual(Array.from({ length: afterKill.epochsDone }, (_, n) => n + 1));

    expect(ir.code).toBe(130);
    const afterInt = await readSession(interrupted);
    expect(ir.stderr).toMatch(new RegExp(`interrupted; .*interrupted\\.h5 holds ${afterInt.epochsDone} epochs\\n$`));
    expect(afterInt.epochsDone).toBeGreaterThanOrEqual(2);
    expect(existsSync(interrupted)).toBe(true);
  });
});

describe('the training protocol on the command line', () => {
  const report = (r: CliRun) => {
    ok(r);
    return JSON.parse(r.stdout) as TrainReport;
  };

  it('selects by the smoothed validation score (ties: the later), stops early on a plateau after twice --patience, trains on the whole file with --validation-fraction 0', async () => {
    const model = MODEL.filter((_, i) => MODEL[i] !== '--lr' && MODEL[i - 1] !== '--lr');
    const [four, still, whole] = await Promise.all([
      runCli(['train', ...DATA, ...MODEL, '--epochs', '4', '--out', join(dir, 'four.h5'), '--json']),
      // A learning rate too small to move any prediction: the validation accuracy never rises after epoch 1.
      runCli(['train', ...DATA, ...model, '--lr', '1e-9', '--epochs', '10', '--patience', '1', '--out', join(dir, 'still.h5'), '--json']),
      runCli(['train', ...DATA, ...MODEL, '--epochs', '2', '--validation-fraction', '0', '--out', join(dir, 'whole.h5')]),
    ]);

    const r4 = report(four);
    expect(r4.history).toHaveLength(4);
    expect(r4.selected_epoch).toBe(selectedOf(r4.history, r4.validation.validationSamples));
    expect(r4.selection?.sentence).toMatch(new RegExp(`^epoch ${r4.selected_epoch}: validation [\\d.]+ %, smoothed over 3 epochs [\\d.]+ % ± [\\d.]+ % \\(standard error, ${r4.validation.validationSamples} validation samples\\)`));
    expect(r4.test_acc_selected).toBe(r4.history[r4.selected_epoch! - 1].test_acc);
    expect(r4.stopped_early).toBe(false);
    const session = await readSession(join(dir, 'four.h5'));
    expect(session.selected?.epoch).toBe(r4.selected_epoch);

    const rs = report(still);
    expect(rs.stopped_early).toBe(true);
    // A plateau: two epochs (twice the patience) without a gain; equal scores keep the latest.
    expect(rs.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(rs.history[2].val_acc).toBe(rs.history[0].val_acc);
    expect(rs.selected_epoch).toBe(3);
    expect(rs.test_acc_selected).toBe(rs.history[2].test_acc);
    expect((await readSession(join(dir, 'still.h5'))).epochsDone).toBe(3);

    ok(whole);
    expect(whole.stderr).toContain('validation: no validation set: the selected model is the last epoch\'s (160 training samples)');
    expect(whole.stderr).not.toMatch(/val loss|selected$/m);
    expect(whole.stdout).toMatch(/^trained 2 epochs on \w+: final test accuracy [\d.]+%; session .*whole\.h5\n$/);
    const w = await readSession(join(dir, 'whole.h5'));
    expect(w.validation).toEqual({ kind: 'none', trainSamples: 160, validationSamples: 0, seed: null });
    expect(w.history.every((h) => h.val_acc === null && h.val_loss === null)).toBe(true);
    expect(w.selected?.epoch).toBe(2);
  });

  it('stopping early is said in the sentence too', async () => {
    const model = MODEL.filter((_, i) => MODEL[i] !== '--lr' && MODEL[i - 1] !== '--lr');
    const r = await runCli(['train', ...DATA, ...model, '--lr', '1e-9', '--epochs', '5', '--patience', '1', '--out', join(dir, 'early.h5')]);
    ok(r);
    expect(r.stdout).toMatch(/^trained 3 epochs on \w+ \(stopped early: no validation gain for --patience epochs\): test accuracy [\d.]+% at the selected epoch 3 /);
    expect(r.stdout).toMatch(/\nselection: epoch 3: .* 3 epochs \(1–3\) are within one standard error of the best \(the best score is epoch 1's, [\d.]+ %\)/);
  });

  it('a named dataset with its own valid split (ssc) validates on that file', async () => {
    // A data directory that holds the fixture files under SSC's names, recorded as verified.
    const data = join(dir, 'ssc-data');
    mkdirSync(data, { recursive: true });
    const manifest = emptyManifest();
    for (const [split, from] of [['train', 'agreement_train'], ['valid', 'agreement_test'], ['test', 'agreement_test']] as const) {
      const name = `ssc_${split}.h5`;
      copyFileSync(`${FIX}/${from}.h5`, join(data, name));
      manifest.files[name] = {
        dataset: 'ssc', split, sizeBytes: statSync(join(data, name)).size, md5: '0'.repeat(32), gzMd5: '0'.repeat(32), gzSizeBytes: 1,
        source: 'test fixture', verifiedAt: new Date(0).toISOString(),
      };
    }
    await writeManifest(data, manifest);
    const out = join(dir, 'ssc.h5');
    const r = report(await runCli(['train', '--dataset', 'ssc', '--data-dir', data, ...MODEL, '--epochs', '1', '--out', out, '--json']));
    expect(r.validation).toEqual({
      kind: 'file', trainSamples: 160, validationSamples: 300, seed: null, description: 'validation file: 300 samples (160 training samples)',
    });
    // The valid file is the test file here, so the two accuracies are the same measurement.
    expect(r.history[0].val_acc).toBe(r.history[0].test_acc);
    // Resuming on the same named set finds the same validation file; on the bare training file it is refused.
    ok(await runCli(['train', '--resume', out, '--dataset', 'ssc', '--data-dir', data, '--epochs', '2']));
    await expect(trainCommand.run(['--resume', out, '--train', join(data, 'ssc_train.h5'), '--test', join(data, 'ssc_test.h5'), '--epochs', '3'])).rejects.toThrow(
      /cannot resume .*ssc\.h5: it selected its epoch on its dataset's own validation file, but this data has no validation file/,
    );
  });
});

describe('train refusals (in-process, before any training)', () => {
  const run = (args: string[]) => trainCommand.run(args);

  it('needs --out, data, and valid options', async () => {
    await expect(run([...DATA])).rejects.toThrow(/--out SESSION\.h5 is required/);
    await expect(run(['--out', join(dir, 'x.h5')])).rejects.toThrow(/--train FILE and --test FILE are required \(or --dataset NAME\)/);
    await expect(run([...DATA, '--dataset', 'demo', '--out', join(dir, 'x.h5')])).rejects.toThrow(/either --dataset or --train and --test, not both/);
    await expect(run([...DATA, '--tau-mem', '0', '--out', join(dir, 'x.h5')])).rejects.toThrow('--tau-mem must be a number > 0 and ≤ 10 (got 0)');
    await expect(run([...DATA, '--optimiser', 'adam', '--out', join(dir, 'x.h5')])).rejects.toThrow(/optimiser/);
    await expect(run([...DATA, '--lr-schedule', 'step', '--out', join(dir, 'x.h5')])).rejects.toThrow(/^--lr-schedule must be one of constant, cosine, plateau \(got "step"\)$/);
    await expect(run([...DATA, '--aug-delete', '1', '--out', join(dir, 'x.h5')])).rejects.toThrow(/^--aug-delete must be a number ≥ 0 and < 1 \(got 1\)$/);
    await expect(run(['--train', `${FIX}/agreement_train.h5`, '--test', 'test/fixtures/shd/bad_truncated.h5', '--out', join(dir, 'x.h5')])).rejects.toThrow(
      /bad_truncated\.h5: truncated file/,
    );
    expect(existsSync(join(dir, 'x.h5'))).toBe(false);
  });

  it('refuses to write the session or report over its own input files', async () => {
    // Copies, so that a missing guard would destroy a temp file and not the committed fixtures.
    const trainCopy = join(dir, 'train-copy.h5');
    const testCopy = join(dir, 'test-copy.h5');
    copyFileSync(`${FIX}/agreement_train.h5`, trainCopy);
    copyFileSync(`${FIX}/agreement_test.h5`, testCopy);
    const copies = ['--train', trainCopy, '--test', testCopy, ...MODEL, '--epochs', '1'];
    await expect(run([...copies, '--out', trainCopy])).rejects.toThrow(/--out .*train-copy\.h5 is the --train file; .*would be overwritten/);
    await expect(run([...copies, '--out', testCopy])).rejects.toThrow(/--out .*test-copy\.h5 is the --test file/);
    await expect(run([...copies, '--out', join(dir, 'r.h5'), '--report', trainCopy])).rejects.toThrow(/--report .*train-copy\.h5 is the --train file/);
    await expect(run([...copies, '--out', join(dir, 'r.h5'), '--report', join(dir, 'r.h5')])).rejects.toThrow(/--report .*r\.h5 is the --out file/);
    expect(readFileSync(trainCopy).equals(readFileSync(`${FIX}/agreement_train.h5`))).toBe(true);
    expect(readFileSync(testCopy).equals(readFileSync(`${FIX}/agreement_test.h5`))).toBe(true);
  });

  it('resume keeps the session options and data, and needs more epochs', async () => {
    const base = join(dir, 'base.h5');
    const r = await runCli(['train', ...DATA, ...MODEL, '--epochs', '1', '--out', base]);
    ok(r);
    const before = readFileSync(base);
    await expect(run(['--resume', base, ...DATA, '--epochs', '3', '--hidden', '11'])).rejects.toThrow(
      `a resumed run keeps the session's options; only --epochs may change, but got --layers/--hidden [{"size":11,"recurrent":true,"dropout":0}] (the session has [{"size":10,"recurrent":true,"dropout":0}])`,
    );
    await expect(run(['--resume', base, ...DATA, '--epochs', '3', '--patience', '2', '--aug-blend', '0.5'])).rejects.toThrow(
      `a resumed run keeps the session's options; only --epochs may change, but got --patience 2 (the session has 0), --aug-blend 0.5 (the session has 0)`,
    );
    await expect(run(['--resume', base, ...DATA, '--epochs', '1'])).rejects.toThrow(/the session already has 1 of 1 epochs; give --epochs N with N > 1/);
    await expect(run(['--resume', base, '--train', `${FIX}/agreement_test.h5`, '--test', `${FIX}/agreement_test.h5`, '--epochs', '2'])).rejects.toThrow(
      /cannot resume .*base\.h5: it was trained on ".*agreement_train\.h5" \(sha256:[0-9a-f]{12}…\), not on this training data \(.*agreement_test\.h5/,
    );
    // A flag that repeats the session's own value is no conflict; the file is untouched by the refusals.
    await expect(run(['--resume', base, ...DATA, '--hidden', '10', '--epochs', '1'])).rejects.toThrow(/already has 1 of 1/);
    expect(readFileSync(base).equals(before)).toBe(true);
    await expect(run(['--resume', join(dir, 'missing.h5'), ...DATA])).rejects.toThrow(/session file .*missing\.h5: no such file/);
  });
});
