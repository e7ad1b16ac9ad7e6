import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSpikeFile } from '../../src/services/data/shdReader';
import { ShdFileWriter } from '../../src/services/data/shdWriter';
import { readSession } from '../../src/services/sessions/sessionRead';
import { PYTHON, REFERENCE, referenceMissing, runPythonJson } from '../services/sessions/referencePython';
import { evaluateCommand } from '../../src/cli/commands/evaluate';
import { referenceArgs } from '../../src/cli/referenceArgs';
import { runCli } from './cliProcess';

const FIX = 'test/fixtures/sessions';
const dir = mkdtempSync(join(tmpdir(), 'sw-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Predictions {
  accuracy: number;
  predictions: number[];
}

function agreement(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.filter((x, i) => x === b[i]).length / a.length;
}

function labelsOf(predictions: number[], accuracy: number): void {
  // The comparison means something only if the network predicts several classes, not one everywhere.
  expect(new Set(predictions).size).toBeGreaterThanOrEqual(3);
  expect(accuracy).toBeGreaterThan(0.4);
}

describe('evaluate agrees with the reference (committed reference output; needs no Python)', () => {
  it('predicts what snn_reference.py --eval-session predicted for the committed session, on ≥ 99% of samples', async () => {
    const reference = JSON.parse(readFileSync(`${FIX}/agreement_reference.json`, 'utf8')) as Predictions;
    const r = await runCli(['evaluate', '--session', `${FIX}/agreement_session.h5`, '--data', `${FIX}/agreement_test.h5`, '--json']);
    expect(r.stderr).toMatch(/^backend \w+/);
    expect(r.code).toBe(0);
    const ours = JSON.parse(r.stdout) as Predictions;
    expect(Object.keys(ours)).toEqual(['accuracy', 'predictions', 'per_class', 'activity']);
    expect(ours.predictions).toHaveLength(300);
    labelsOf(reference.predictions, reference.accuracy);
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
    expect(ours.accuracy).toBeCloseTo(reference.accuracy, 1);
  });
});

describe('train with our CLI, evaluate with the reference', () => {
  const missing = referenceMissing();
  it.skipIf(missing !== null)('same weights → the reference predicts as we do on ≥ 99% of samples (non-default taus, uniform bins)', async () => {
    const session = join(dir, 'live.h5');
    const model = ['--hidden', '12', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform', '--tau-syn', '0.004', '--tau-mem', '0.015', '--surrogate-scale', '50'];
    const train = await runCli([
      'train', '--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`, '--out', session,
      ...model, '--batch', '40', '--lr', '0.005', '--epochs', '5', '--seed', '3', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const [ours, reference] = await Promise.all([
      runCli(['evaluate', '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json']).then((r) => JSON.parse(r.stdout) as Predictions),
      Promise.resolve(runPythonJson([REFERENCE, '--eval-session', session, '--test', `${FIX}/agreement_test.h5`, ...model]) as Predictions),
    ]);
    labelsOf(ours.predictions, ours.accuracy);
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
    // The run's own last test accuracy is the same evaluation, done inside training.
    expect((JSON.parse(train.stdout) as { final_test_acc: number }).final_test_acc).toBe(ours.accuracy);
    expect((await readSession(session)).config.binning).toBe('uniform');
  });
  it.skipIf(missing !== null)('a brf session trained here: the reference predicts as we do on ≥ 99% of samples (its ω, b_offset, δ, γ)', async () => {
    // 40 steps of a short recording: a coarser step δ and slower ω than the paper's, so the neurons turn ~1–3 times.
    const model = ['--neuron', 'brf', '--hidden', '12', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform', '--weight-scale', '1', '--brf-omega', '2:5', '--brf-b-offset', '0:1', '--brf-dt', '0.1', '--brf-gamma', '0.8'];
    const { ours, reference } = await trainAndEvaluateBoth('live-brf.h5', model, ['--batch', '40', '--lr', '0.03', '--epochs', '8', '--seed', '2', '--validation-fraction', '0']);
    labelsOf(ours.predictions, ours.accuracy);
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
  });
  it.skipIf(missing !== null)('a session with learnable recurrent and feed-forward delays: the reference predicts as we do on ≥ 99% of samples', async () => {
    const model = ['--hidden', '12', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform', '--tau-syn', '0.004', '--tau-mem', '0.015', '--surrogate-scale', '50', '--rec-delay-max', '6', '--rec-delay-init', '0:5', '--ff-delay-max', '4', '--ff-delay-init', '0:3', '--delay-sigma', '2'];
    const { stored, ours, reference } = await trainAndEvaluateBoth('live-delays.h5', model, ['--batch', '40', '--lr', '0.005', '--epochs', '5', '--seed', '3', '--validation-fraction', '0']);
    expect(stored.params.layout.map((e) => e.name)).toEqual(expect.arrayContaining(['layer0/rec_delay', 'layer0/ff_delay']));
    labelsOf(ours.predictions, ours.accuracy);
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
  });
  if (missing) it.skip(`needs ${PYTHON} with torch and h5py and the reference script: ${missing}`, () => {});
});

/**
 * Trains a session here on the agreement fixture with `model` and `training` options, then evaluates it with our
 * CLI and with the reference's --eval-session; returns both and the stored session.
 */
async function trainAndEvaluateBoth(name: string, model: string[], training: string[]) {
  const session = join(dir, name);
  const train = await runCli(['train', '--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`, '--out', session, ...model, ...training, '--json']);
  expect(train.code, train.stderr).toBe(0);
  const stored = await readSession(session);
  const [ours, reference] = await Promise.all([
    runCli(['evaluate', '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json']).then((r) => JSON.parse(r.stdout) as Predictions),
    Promise.resolve(runPythonJson([REFERENCE, '--eval-session', session, '--test', `${FIX}/agreement_test.h5`, ...evalArgs(stored.config)]) as Predictions),
  ]);
  return { stored, ours, reference };
}

/** The reference's evaluation options for a session's config, as referenceArgs writes them (the subset --eval-session reads). */
function evalArgs(config: Parameters<typeof referenceArgs>[0]): string[] {
  const args = referenceArgs(config);
  // brf's constants only for brf (the committed outputs of the other kinds were made without them).
  const keep = ['--threshold', '--adapt-q', ...(config.neuron === 'brf' ? ['--brf-dt', '--brf-gamma'] : []), '--dt', '--pool', '--nb-steps', '--max-time', '--bins', '--readout', '--readout-skip'];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag] = args[i].split('=');
    if (!keep.includes(flag)) continue;
    out.push(args[i]);
    if (!args[i].includes('=')) out.push(args[++i]);
  }
  return out;
}

/** `--flag value` pairs as flag → value (numbers as numbers: Python writes 1.0 where JavaScript writes 1). */
function optionMap(args: string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s);
    const value = inline ?? args[++i];
    out[flag] = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return out;
}

describe('format-2 sessions: a 2-layer adLIF network agrees with the reference (committed reference output; needs no Python)', () => {
  it('predicts what snn_reference.py --eval-session predicted for adlif2_session.h5 on ≥ 99% of the 400 samples', async () => {
    const session = await readSession(`${FIX}/adlif2_session.h5`);
    expect(session.config.neuron).toBe('adlif');
    expect(session.config.layers.map((l) => l.size)).toEqual([24, 16]);
    expect(session.config).toMatchObject({ pool: 5, readout: 'softmax-sum', readoutSkip: 3, learnTau: true });
    const reference = JSON.parse(readFileSync(`${FIX}/adlif2_reference.json`, 'utf8')) as Predictions & { made_with: { options: string[] } };
    // The committed output was made with the options the session's config gives.
    expect(optionMap(reference.made_with.options)).toEqual(optionMap(evalArgs(session.config)));
    const r = await runCli(['evaluate', '--session', `${FIX}/adlif2_session.h5`, '--data', `${FIX}/adlif2_test.h5`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const ours = JSON.parse(r.stdout) as Predictions;
    expect(ours.predictions).toHaveLength(400);
    labelsOf(reference.predictions, reference.accuracy);
    // Measured when the fixture was made: 400 of 400 agree.
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
    expect(ours.accuracy).toBeCloseTo(reference.accuracy, 1);
  });
});

describe('train a format-2 session with our CLI, evaluate it with the reference', () => {
  const missing = referenceMissing();
  const data = ['--train', `${FIX}/adlif2_train.h5`, '--test', `${FIX}/adlif2_test.h5`];
  const cases: [string, string[]][] = [
    ['2-layer adLIF, pool 5, softmax-sum, learned τ', [
      '--neuron', 'adlif', '--layers', '2', '--hidden', '20,12', '--pool', '5', '--readout', 'softmax-sum', '--readout-skip', '2',
      '--learn-tau', '--tau-mem', '0.005:0.025', '--tau-adapt', '0.06:0.3', '--adapt-q', '20', '--surrogate-scale', '10',
      '--weight-scale', '6', '--lr', '0.01', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform',
    ]],
    ['2-layer LIF, pool 4, mean readout', [
      '--neuron', 'lif', '--layers', '2', '--hidden', '16', '--pool', '4', '--readout', 'mean', '--tau-syn', '0.004:0.008',
      '--tau-mem', '0.01:0.02', '--weight-scale', '1.5', '--lr', '0.01', '--nb-steps', '50', '--max-time', '1.0',
    ]],
  ];
  for (const [name, model] of cases) {
    it.skipIf(missing !== null)(`${name}: the reference predicts as we do on ≥ 99% of samples`, async () => {
      const session = join(dir, `live-${cases.findIndex((c) => c[0] === name)}.h5`);
      const train = await runCli(['train', ...data, '--out', session, ...model, '--batch', '32', '--epochs', '3', '--seed', '5', '--json']);
      expect(train.code, train.stderr).toBe(0);
      const config = (await readSession(session)).config;
      const ours = JSON.parse((await runCli(['evaluate', '--session', session, '--data', `${FIX}/adlif2_test.h5`, '--json'])).stdout) as Predictions;
      const reference = runPythonJson([REFERENCE, '--eval-session', session, '--test', `${FIX}/adlif2_test.h5`, ...evalArgs(config)]) as Predictions;
      expect(new Set(ours.predictions).size, `accuracy ${ours.accuracy}`).toBeGreaterThanOrEqual(3);
      expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
      expect((JSON.parse(train.stdout) as { final_test_acc: number }).final_test_acc).toBe(ours.accuracy);
    });
  }
  it.skipIf(missing !== null)('a brf session trained here: the reference predicts as we do on ≥ 99% of samples (its ω, b_offset, δ, γ)', async () => {
    const session = join(dir, 'live-brf.h5');
    // 40 steps of a short recording: a coarser step δ and slower ω than the paper's, so the neurons turn ~1–3 times.
    const model = ['--neuron', 'brf', '--hidden', '12', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform', '--weight-scale', '1', '--brf-omega', '2:5', '--brf-b-offset', '0:1', '--brf-dt', '0.1', '--brf-gamma', '0.8'];
    const train = await runCli([
      'train', '--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`, '--out', session,
      ...model, '--batch', '40', '--lr', '0.03', '--epochs', '8', '--seed', '2', '--validation-fraction', '0', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const [ours, reference] = await Promise.all([
      runCli(['evaluate', '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json']).then((r) => JSON.parse(r.stdout) as Predictions),
      Promise.resolve(runPythonJson([REFERENCE, '--eval-session', session, '--test', `${FIX}/agreement_test.h5`, ...evalArgs((await readSession(session)).config)]) as Predictions),
    ]);
    labelsOf(ours.predictions, ours.accuracy);
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
  });
  it.skipIf(missing !== null)('a session with learnable recurrent and feed-forward delays: the reference predicts as we do on ≥ 99% of samples', async () => {
    const session = join(dir, 'live-delays.h5');
    const model = ['--hidden', '12', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform', '--tau-syn', '0.004', '--tau-mem', '0.015', '--surrogate-scale', '50', '--rec-delay-max', '6', '--rec-delay-init', '0:5', '--ff-delay-max', '4', '--ff-delay-init', '0:3', '--delay-sigma', '2'];
    const train = await runCli([
      'train', '--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`, '--out', session,
      ...model, '--batch', '40', '--lr', '0.005', '--epochs', '5', '--seed', '3', '--validation-fraction', '0', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const stored = await readSession(session);
    // Trained: the delays moved off their drawn values, and are fractional (evaluation rounds them).
    expect(stored.params.layout.map((e) => e.name)).toContain('layer0/rec_delay');
    const [ours, reference] = await Promise.all([
      runCli(['evaluate', '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json']).then((r) => JSON.parse(r.stdout) as Predictions),
      Promise.resolve(runPythonJson([REFERENCE, '--eval-session', session, '--test', `${FIX}/agreement_test.h5`, ...evalArgs(stored.config)]) as Predictions),
    ]);
    labelsOf(ours.predictions, ours.accuracy);
    expect(agreement(ours.predictions, reference.predictions)).toBeGreaterThanOrEqual(0.99);
  });
  if (missing) it.skip(`needs ${PYTHON} with torch and h5py and the reference script: ${missing}`, () => {});
});

describe('evaluate --selected', () => {
  it('evaluates the selected epoch\'s weights; by default the last epoch\'s, as the reference reads them', async () => {
    const session = join(dir, 'selected.h5');
    const test = `${FIX}/agreement_test.h5`;
    // A high learning rate makes the epochs differ, so the selected one is unlikely to be the last.
    const train = await runCli([
      'train', '--train', `${FIX}/agreement_train.h5`, '--test', test, '--out', session,
      '--hidden', '10', '--nb-steps', '30', '--max-time', '1', '--batch', '32', '--lr', '0.02', '--epochs', '4', '--seed', '2', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const report = JSON.parse(train.stdout) as { selected_epoch: number; test_acc_selected: number; final_test_acc: number };
    const evaluate = async (extra: string[]) => {
      const r = await runCli(['evaluate', '--session', session, '--data', test, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const [selected, last, text] = await Promise.all([
      evaluate(['--selected', '--json']).then((o) => JSON.parse(o) as Predictions),
      evaluate(['--json']).then((o) => JSON.parse(o) as Predictions),
      evaluate(['--selected']),
    ]);
    // The same evaluation as the one training made of those weights.
    expect(selected.accuracy).toBe(report.test_acc_selected);
    expect(last.accuracy).toBe(report.final_test_acc);
    expect(text).toContain(`: 4 epochs, trained on ${FIX}/agreement_train.h5; weights of the selected epoch, ${report.selected_epoch}\n`);
    const s = await readSession(session);
    expect(s.selected?.epoch).toBe(report.selected_epoch);
  });
});

describe('evaluate output and refusals', () => {
  it('prints accuracy and per-class counts as text without --json', async () => {
    const r = await runCli(['evaluate', '--session', `${FIX}/agreement_session.h5`, '--data', `${FIX}/agreement_test.h5`]);
    expect(r.code).toBe(0);
    const reference = JSON.parse(readFileSync(`${FIX}/agreement_reference.json`, 'utf8')) as Predictions;
    const labels = (await readSpikeFile(`${FIX}/agreement_test.h5`)).labels;
    const referenceCorrect = reference.predictions.filter((p, i) => p === labels[i]).length;
    const m = new RegExp(`^accuracy ([\\d.]+)% \\((\\d+) of 300\\) on ${FIX}/agreement_test\\.h5, mean NLL [\\d.]+\n`).exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo((100 * Number(m![2])) / 300, 2);
    // Within the 1% the agreement target allows.
    expect(Math.abs(Number(m![2]) - referenceCorrect)).toBeLessThanOrEqual(3);
    expect(r.stdout).toMatch(/session .*agreement_session\.h5: 6 epochs, trained on .*agreement_train\.h5; weights of the last epoch, 6\n/);
    expect(r.stdout).toMatch(/\n {4}0 burst-0 +\d+ of \d+\n/);
  });

  it('refuses a missing session, a data file the network cannot read, and missing flags', async () => {
    // In-process: each refusal comes before any engine work.
    const run = (args: string[]) => evaluateCommand.run(args);
    await expect(run(['--session', join(dir, 'none.h5'), '--data', `${FIX}/agreement_test.h5`])).rejects.toThrow(
      /^session file .*none\.h5: no such file$/,
    );
    // The committed session has 40 inputs; this data file has units up to 699.
    await expect(run(['--session', `${FIX}/agreement_session.h5`, '--data', 'test/fixtures/shd/f16_fixed_keys.h5'])).rejects.toThrow(
      /^test\/fixtures\/shd\/f16_fixed_keys\.h5: dataset "spikes\/units", sample 0: unit 345 at spike 0 ≥ channels 40 \(the session's network has 40 input channels\)$/,
    );
    await expect(run(['--data', `${FIX}/agreement_test.h5`])).rejects.toThrow(/--session and --data are required/);
    await expect(run(['--session', `${FIX}/agreement_session.h5`, '--data', `${FIX}/agreement_test.h5`, '--backend', 'tpu'])).rejects.toThrow(
      /--backend must be one of auto, webgpu, gpu, native, wasm, cpu \(got "tpu"\)/,
    );
  });
});

describe('per-class, per-speaker and activity results (issue 14)', () => {
  it('evaluate --json and the train report give them, consistent with the predictions', async () => {
    // 24 samples of 5 speakers, 20 classes, 700 channels: train and test on the same file for a few epochs.
    const file = 'test/fixtures/shd/f16_fixed_keys.h5';
    const session = join(dir, 'speakers.h5');
    const reportFile = join(dir, 'speakers.json');
    const train = await runCli(['train', '--train', file, '--test', file, '--out', session, '--report', reportFile, '--hidden', '16', '--nb-steps', '30', '--batch', '8', '--epochs', '2', '--validation-fraction', '0']);
    expect(train.code, train.stderr).toBe(0);
    const r = await runCli(['evaluate', '--session', session, '--data', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      accuracy: number;
      predictions: number[];
      per_class: { class: number; samples: number; correct: number }[];
      per_speaker: { speaker: number; samples: number; correct: number; accuracy: number; inTraining: boolean | null }[];
      activity: { samples: number; synOpsPerSample: number; denseMacsPerSample: number; layers: { spikesPerSample: number }[] };
    };
    const data = await readSpikeFile(file);
    expect(out.per_speaker.map((s) => s.speaker)).toEqual([0, 1, 2, 3, 4]);
    expect(out.per_speaker.map((s) => s.samples)).toEqual([4, 6, 5, 4, 5]);
    for (const s of out.per_speaker) {
      const mine = Array.from(data.speakers!.entries()).filter(([, v]) => v === s.speaker).map(([i]) => i);
      expect(s.correct).toBe(mine.filter((i) => out.predictions[i] === data.labels[i]).length);
      // evaluate knows the file, not what the session trained on.
      expect(s.inTraining).toBeNull();
    }
    expect(out.per_class.reduce((a, c) => a + c.correct, 0)).toBe(Math.round(out.accuracy * 24));
    expect(out.activity.samples).toBe(24);
    expect(out.activity.synOpsPerSample).toBeGreaterThan(0);
    // The run's own report has the last epoch's numbers, with the training file's speakers marked.
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report.test_per_speaker.map((s: { inTraining: boolean }) => s.inTraining)).toEqual([true, true, true, true, true]);
    expect(report.test_activity.denseMacsPerSample).toBe(out.activity.denseMacsPerSample);
    expect(report.test_activity.layers[0].spikesPerSample).toBeCloseTo(out.activity.layers[0].spikesPerSample, 9);
  });
});

describe('a session on data that disagrees with it (issue 22)', () => {
  const session = `${FIX}/agreement_session.h5`;
  /** The committed test file's samples of labels < `keep`, written under other class names (40 channels, as the session). */
  async function rewrite(name: string, classNames: string[], keep: number): Promise<string> {
    const src = await readSpikeFile(`${FIX}/agreement_test.h5`);
    const path = join(dir, name);
    const w = new ShdFileWriter(path, { classNames, channels: 40, speakers: false });
    for (let i = 0; i < src.samples; i++) {
      if (src.labels[i] >= keep) continue;
      const [a, b] = [src.offsets[i], src.offsets[i + 1]];
      // A class the session never saw takes every fourth sample of class 0, so the refused file does use it.
      const label = classNames.length > 4 && src.labels[i] === 0 && i % 4 === 0 ? classNames.length - 1 : src.labels[i];
      w.add({ times: src.times.subarray(a, b), units: src.units.subarray(a, b), label });
    }
    w.finish();
    return path;
  }

  it('says nothing when the data names the session\'s classes', async () => {
    const r = await runCli(['evaluate', '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning:/);
  });

  it('warns on stderr, one line naming both files, when the data has fewer classes or names them otherwise; stdout stays the result', async () => {
    const two = await rewrite('two-classes.h5', ['burst-0', 'burst-1'], 2);
    const r = await runCli(['evaluate', '--session', session, '--data', two, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      `warning: ${two} has 2 classes (burst-0, burst-1), the session ${session} 4 (burst-0, burst-1, burst-2, burst-3): ` +
        'labels are scored by index, and the session can predict its classes 2…3, which this data never holds',
    ]);
    expect(JSON.parse(r.stdout).per_class).toHaveLength(4);
    const renamed = await rewrite('renamed.h5', ['a', 'b', 'c', 'd'], 4);
    const text = await runCli(['evaluate', '--session', session, '--data', renamed]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(
      new RegExp(`^warning: ${renamed} names its classes differently from the session ${session}: class 0 is "a" there, "burst-0" in the session \\(4 of 4 names differ\\); labels are scored by index$`, 'm'),
    );
    expect(text.stdout).toMatch(/^accuracy [\d.]+% \(\d+ of 300\)/);
  });

  it('refuses data with labels beyond the session\'s classes, saying they cannot be scored', async () => {
    const six = await rewrite('six-classes.h5', ['burst-0', 'burst-1', 'burst-2', 'burst-3', 'extra-4', 'extra-5'], 4);
    const labels = (await readSpikeFile(six)).labels;
    const beyond = Array.from(labels.keys()).filter((i) => labels[i] >= 4);
    expect(beyond.length).toBeGreaterThan(0);
    const r = await runCli(['evaluate', '--session', session, '--data', six]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: ${six} has 6 classes, but the session ${session} has 4 outputs: labels 4…5 (extra-4, extra-5) cannot be scored; ` +
        `${beyond.length} of its 300 samples carry them (the first: sample ${beyond[0]})\n`,
    );
  });
});

describe('train --resume on data that disagrees with the session (issue 22)', () => {
  const session = `${FIX}/agreement_session.h5`;
  /** A copy of a committed file with other class names (and, with `extra`, one more class on sample 0). */
  async function renamed(from: string, name: string, classNames: string[], extraOnFirst = false): Promise<string> {
    const src = await readSpikeFile(`${FIX}/${from}`);
    const path = join(dir, name);
    const w = new ShdFileWriter(path, { classNames, channels: 40, speakers: false });
    for (let i = 0; i < src.samples; i++) {
      const [a, b] = [src.offsets[i], src.offsets[i + 1]];
      w.add({ times: src.times.subarray(a, b), units: src.units.subarray(a, b), label: extraOnFirst && i === 0 ? classNames.length - 1 : src.labels[i] });
    }
    w.finish();
    return path;
  }

  it('goes on with a warning when only the class names differ (the spikes and labels are the same data)', async () => {
    const names = ['a', 'b', 'c', 'd'];
    const [train, test] = await Promise.all([renamed('agreement_train.h5', 'renamed-train.h5', names), renamed('agreement_test.h5', 'renamed-test.h5', names)]);
    const out = join(dir, 'resumed-renamed.h5');
    const r = await runCli(['train', '--resume', session, '--train', train, '--test', test, '--epochs', '7', '--out', out, '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toEqual([
      `warning: ${train} names its classes differently from the session ${session}: class 0 is "a" there, "burst-0" in the session (4 of 4 names differ); labels are scored by index`,
    ]);
    expect((await readSession(out)).epochsDone).toBe(7);
  });

  it('refuses, before any training, data with a class the session has no output for', async () => {
    const names = ['burst-0', 'burst-1', 'burst-2', 'burst-3', 'extra'];
    const [train, test] = await Promise.all([renamed('agreement_train.h5', 'five-train.h5', names, true), renamed('agreement_test.h5', 'five-test.h5', names)]);
    const r = await runCli(['train', '--resume', session, '--train', train, '--test', test, '--epochs', '7', '--out', join(dir, 'never.h5')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^error: cannot resume ${session}: ${train} has 5 classes, but the session ${session} has 4 outputs: labels 4 \\(extra\\) cannot be scored; 1 of its \\d+ samples carry them \\(the first: sample 0\\)$`, 'm'),
    );
  });
});
