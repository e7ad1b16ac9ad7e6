/**
 * `train`: trains a network of the model family (stacked LIF or adaptive-LIF layers, each recurrent or
 * feed-forward, optional input pooling, a leaky readout) headless and keeps the result in a session file.
 *
 * The session file is rewritten (atomically) after every epoch, so a run that is killed or interrupted
 * still leaves its last completed epoch; `--resume` continues such a session at the next epoch, and
 * because batch order depends only on (seed, epoch) and the file holds the optimizer state, the resumed
 * run ends with the weights an uninterrupted run would have had. Ctrl-C stops between batches and keeps
 * the last completed epoch.
 *
 * The honest protocol: a validation set (held out of the training file, or a dataset's own valid file) selects
 * the epoch whose weights are kept next to the last ones, and may stop the run early; the test set is only
 * measured. The report's `test_acc_selected` is that selected epoch's test accuracy, the number to publish.
 */
import { writeJsonAtomic } from '../../services/jsonFile';
import { resolve } from 'node:path';
import { numberFlag, parseFlags, printJson, printUsage } from '../args';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { AUGMENT_FLAG_OF, baseConfig, CONFIG_FLAGS, CONFIG_FLAGS_HELP, configFromFlags, configOverrides, FLAG_OF } from '../configFlags';
import { CountProgress, ProgressBar } from '../progressBar';
import { backendFlag, BACKEND_COMMAND_FLAGS, BACKEND_HELP, workersFor } from '../backendFlag';
import { checkSessionData, loadTrainTest, warnSpeakerClash, DATA_FLAGS, DATA_FLAGS_HELP } from '../trainingData';
import type { AugmentOptions } from '../../shared/augment';
import { spanText, type TrainConfig } from '../../shared/config';
import { HEALTH_NOTES, type ActivityReport, type BackendReport, type EpochRecord, type HealthWarning, type SpeakerResult } from '../../shared/events';
import { describeValidationSplit, type ValidationSplitInfo } from '../../shared/validation';
import { selectEpoch, selectionSentence, type EpochSelection } from '../../shared/modelSelection';
import { binSpec } from '../../services/data/binning';
import { fingerprintDataset } from '../../services/data/fingerprint';
import type { SpikeDataset } from '../../services/data/spikeDataset';
import type { Session, SessionMeta, TrainingCheckpoint } from '../../services/engine/model/modelState';
import { writeSession } from '../../services/sessions/sessionWrite';
import { readSessionGuarded } from '../../services/sessions/guardedSessionRead';
import { makeSessionMeta } from '../../services/sessions/sessionMeta';
import { refuseSeedFlagsAlone, runSeeds, SEEDS_FLAGS, SEEDS_HELP } from '../seedsRun';

const USAGE = `usage: npm run cli -- train (--train A.h5 --test B.h5 | --dataset NAME) --out SESSION.h5 [options]
       npm run cli -- train --resume SESSION.h5 (--train A.h5 --test B.h5 | --dataset NAME) [--epochs N] [--out S.h5]
       npm run cli -- train (--train A.h5 --test B.h5 | --dataset NAME) --seeds N --out DIR [--parallel K | --slurm …]

${DATA_FLAGS_HELP}
  --out FILE            session file (HDF5), rewritten after every epoch; with --resume, defaults to that file
  --resume FILE         continue a session at its next epoch, up to --epochs in total, with its options
  --report FILE         also write the JSON report there (backend, config, validation split, history,
                        selected_epoch, test_acc_selected, final_test_acc, stopped_early)
  --workers N           worker threads each batch is split over (wasm/cpu; default min(2, cores); 1 on webgpu; results
                        agree with --workers 1 to float rounding, not bit for bit)
  --json                print the report as JSON on stdout instead of a sentence
${BACKEND_HELP}

${SEEDS_HELP}

${CONFIG_FLAGS_HELP}

Progress goes to stderr: a live bar on a terminal, one line per epoch otherwise; with a validation set each
line has its numbers, and an epoch that becomes the selected one is marked "selected".`;

export interface TrainReport {
  backend: BackendReport;
  config: TrainConfig;
  /** How the validation set was made, and that in one line. */
  validation: ValidationSplitInfo & { description: string };
  history: EpochRecord[];
  /** Best validation accuracy (ties: the earlier epoch), or the last epoch without validation; null before epoch 1. */
  selected_epoch: number | null;
  /** The selected epoch's test accuracy: the number to publish (the test set had no say in choosing it). */
  test_acc_selected: number | null;
  /** On what grounds the epoch was selected and how sure that is (shared/modelSelection.ts), with the sentence. */
  selection: (EpochSelection & { sentence: string }) | null;
  /** The last epoch's test accuracy. */
  final_test_acc: number | null;
  /** The run ended because --patience epochs passed without a validation gain. */
  stopped_early: boolean;
  /** The last epoch's test-set activity: spikes, rates, SynOps against the dense network's MACs, energy estimate. */
  test_activity: ActivityReport | null;
  /** The last epoch's test accuracy per speaker (files with `extra/speaker`). */
  test_per_speaker: SpeakerResult[] | null;
  /** Training-health findings (silent or saturated layers, vanishing or exploding gradients, init calibration), in order. */
  health: HealthWarning[];
  /** What the run trained and was tested on: the name given, both sets' content fingerprints and sizes. */
  data: { name: string; train_fingerprint: string; test_fingerprint: string; train_samples: number; test_samples: number };
  session: string;
}

export const trainCommand: CliCommand = {
  async run(argv) {
    const { values } = parseFlags(argv, {
      ...CONFIG_FLAGS,
      ...DATA_FLAGS,
      out: { type: 'string' },
      resume: { type: 'string' },
      report: { type: 'string' },
      workers: { type: 'string' },
      ...BACKEND_COMMAND_FLAGS,
      ...SEEDS_FLAGS,
    });
    if (values.help) return printUsage(USAGE);
    // N seeds of this config are a sweep over --seed (cli/seedsRun.ts); the flags below are one run's.
    if (values.seeds !== undefined) return runSeeds(values);
    refuseSeedFlagsAlone(values);
    const out = values.out ?? values.resume;
    if (!out) throw new CliError(`--out SESSION.h5 is required\n\n${USAGE}`, 2);
    refuseOverwritingInputs({ '--out': out, '--report': values.report }, { '--train': values.train, '--test': values.test });
    const backendPref = backendFlag(values.backend);
    const workersFlag = numberFlag('workers', values.workers);
    if (workersFlag !== undefined && !(Number.isInteger(workersFlag) && workersFlag >= 1)) throw new CliError(`--workers must be a positive integer (got ${workersFlag})`, 2);

    // Config first: a bad flag should fail before seconds of data loading.
    let resumed: Session | undefined;
    let config: TrainConfig;
    if (values.resume) {
      resumed = await readSessionGuarded(values.resume);
      config = resumedConfig(resumed, values);
    } else {
      config = configFromFlags(values, baseConfig(values));
    }

    const binning = new CountProgress(process.stderr, 'binning');
    const data = await loadTrainTest(values, resumed?.params.shape.channels, {
      spec: binSpec(config),
      onProgress: (file, done, total) => binning.update(done, total, `${file} (cache built once, reused by later runs)`),
    });
    binning.clear();
    warnSpeakerClash(data.train, data.test);
    if (resumed) checkSessionData(values.resume!, resumed, { ...data.train, name: data.name }, `cannot resume ${values.resume}: `);
    const fingerprint = data.fingerprint ?? fingerprintDataset(data.train as SpikeDataset);
    const testFingerprint = data.testFingerprint ?? fingerprintDataset(data.test as SpikeDataset);
    const dataReport = { name: data.name, train_fingerprint: fingerprint, test_fingerprint: testFingerprint, train_samples: data.train.samples, test_samples: data.test.samples };
    if (resumed && resumed.meta.dataset.fingerprint !== fingerprint) {
      throw new CliError(
        `cannot resume ${values.resume}: it was trained on "${resumed.meta.dataset.name}" (${resumed.meta.dataset.fingerprint.slice(0, 19)}…), ` +
          `not on this training data (${data.name}, ${fingerprint.slice(0, 19)}…)`,
      );
    }
    // Selection so far was made on one validation set; continuing on another would mix the two.
    if (resumed && (resumed.validation.kind === 'file') !== (data.validation !== undefined)) {
      const was = resumed.validation.kind === 'file' ? "its dataset's own validation file" : 'samples held out of the training file';
      const now = data.validation ? 'this data brings its own validation file' : 'this data has no validation file';
      throw new CliError(`cannot resume ${values.resume}: it selected its epoch on ${was}, but ${now}`);
    }

    const { selectBackend, describeBackend } = await import('../../services/engine/tfjs/backendSelect');
    const { train } = await import('../../services/engine/training/trainer');
    const backend = await selectBackend(backendPref);
    const { defaultWorkers } = await import('../../services/engine/run/workerPool');
    const workers = workersFor(backend.name, workersFlag, () => defaultWorkers());
    const bar = new ProgressBar(process.stderr, config.epochs);
    bar.message(describeBackend(backend));

    const fresh = makeSessionMeta({ backend: backend.name, datasetName: data.name, train: data.train, test: data.test, fingerprint });
    // A resumed session keeps its birth date; everything else describes this run.
    const meta: SessionMeta = resumed ? { ...fresh, created: resumed.meta.created } : fresh;
    let stoppedEarly = false;
    let lastActivity: ActivityReport | null = null;
    let lastSpeakers: SpeakerResult[] | null = null;
    let lastCheckpoint: TrainingCheckpoint | null = null;
    const health: HealthWarning[] = [];
    let valSamples = 0;
    const report = (c: Pick<TrainingCheckpoint, 'history' | 'selected' | 'validation'>): TrainReport => {
      const selectedEpoch = c.selected?.epoch ?? null;
      const selectedRecord = c.history.find((h) => h.epoch === selectedEpoch);
      return {
        backend,
        config,
        validation: { ...c.validation, description: describeValidationSplit(c.validation) },
        history: c.history,
        selected_epoch: selectedEpoch,
        test_acc_selected: selectedRecord ? selectedRecord.test_acc : null,
        selection: selectionReport(c.history, selectedEpoch, c.validation.validationSamples),
        final_test_acc: c.history.length ? c.history[c.history.length - 1].test_acc : null,
        stopped_early: stoppedEarly,
        test_activity: lastActivity,
        test_per_speaker: lastSpeakers,
        health,
        data: dataReport,
        session: out,
      };
    };

    const abort = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(130);
      bar.message('interrupted: stopping after this batch (Ctrl-C again to quit at once)');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    let failure: string | null = null;
    let cancelled = false;
    let final!: TrainingCheckpoint;
    try {
      const run = train({
        config,
        train: data.train,
        test: data.test,
        ...(data.validation && { validation: data.validation }),
        ...(data.bins && { bins: data.bins }),
        backend,
        resumeFrom: resumed,
        control: { signal: abort.signal },
        workers,
        onCheckpoint: async (checkpoint) => {
          await writeSession(out, { ...checkpoint, meta });
          lastCheckpoint = checkpoint;
          if (values.report) writeReport(values.report, report(checkpoint));
        },
      });
      for (;;) {
        const step = await run.next();
        if (step.done) {
          final = step.value;
          break;
        }
        const e = step.value;
        if (e.type === 'batch') bar.batch(e.epoch, e.batch, e.batches, e.loss, e.samplesPerS, e.etaS);
        else if (e.type === 'start') {
          valSamples = e.validation.validationSamples;
          bar.message(`validation: ${describeValidationSplit(e.validation)}`);
        }
        else if (e.type === 'epoch') {
          bar.epoch(e.record, e.selectedEpoch, valSamples);
          lastActivity = e.activity ?? null;
          lastSpeakers = e.speakers ?? null;
          // The checkpoint's report came just before this event; again, with this epoch's test activity.
          if (values.report && lastCheckpoint) writeReport(values.report, report(lastCheckpoint));
        }
        else if (e.type === 'health') {
          health.push(...e.warnings);
          // One line per finding; the trainer reports each kind and layer once per run.
          for (const w of e.warnings) bar.message(`${HEALTH_NOTES.includes(w.kind) ? 'note' : 'warning'}: ${w.message}`);
        }
        else if (e.type === 'error') failure = e.message;
        else if (e.type === 'done') {
          cancelled = e.reason === 'cancelled';
          stoppedEarly = e.reason === 'stopped-early';
        }
      }
    } finally {
      process.off('SIGINT', onSigint);
      bar.clear();
    }

    const result = report(final);
    if (values.report) writeReport(values.report, result);
    const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
    const kept = `${out} holds ${epochs(final.epochsDone)}`;
    if (failure) throw new CliError(`${failure}\n${kept}`);
    if (cancelled) {
      process.stderr.write(`interrupted; ${kept}\n`);
      return 130;
    }
    if (values.json) printJson(result);
    else process.stdout.write(`${summary(result, epochs(final.epochsDone), backend.name)}\n`);
    return 0;
  },
};

const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)}%`);

/**
 * The sentence after a run: with a validation set, the selected epoch's test accuracy first (the number to
 * publish) and the last epoch's after it; without one the two are the same epoch, so one number.
 */
function summary(r: TrainReport, trained: string, backend: string): string {
  const head = `trained ${trained} on ${backend}${r.stopped_early ? ' (stopped early: no validation gain for --patience epochs)' : ''}`;
  const selected = r.history.find((h) => h.epoch === r.selected_epoch);
  if (r.validation.kind === 'none' || !selected || selected.val_acc === null) {
    return `${head}: final test accuracy ${percent(r.final_test_acc)}; session ${r.session}`;
  }
  return (
    `${head}: test accuracy ${percent(r.test_acc_selected)} at the selected epoch ${r.selected_epoch} ` +
    `(validation accuracy ${percent(selected.val_acc)}; ${r.validation.description}), ${percent(r.final_test_acc)} at the last; session ${r.session}` +
    (r.selection ? `\nselection: ${r.selection.sentence}` : '')
  );
}

/**
 * The grounds of the selection, recomputed from the history by the rule the trainer applies; a session resumed from
 * a file whose selection an older rule made may disagree, and then says so.
 */
function selectionReport(history: EpochRecord[], selectedEpoch: number | null, valSamples: number): TrainReport['selection'] {
  if (history.length === 0 || selectedEpoch === null) return null;
  const n = valSamples > 0 ? valSamples : undefined;
  const s = selectEpoch(history, n);
  const sentence =
    s.epoch === selectedEpoch ? selectionSentence(s, n ?? null) : `epoch ${selectedEpoch}, kept from the resumed session (today's rule would keep epoch ${s.epoch})`;
  return { ...s, sentence };
}

/** The resumed session's options, with a new --epochs target; any other flag that disagrees is refused. */
function resumedConfig(session: Session, values: Parameters<typeof configOverrides>[0]): TrainConfig {
  const overrides = configOverrides(values, session.config);
  const show = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const conflicts = (Object.keys(overrides) as (keyof TrainConfig)[])
    .filter((k) => k !== 'epochs' && differs(overrides[k], session.config[k]))
    .flatMap((k) => {
      // Each augmentation flag changes one field: name that flag, not the whole group.
      if (k === 'augment') {
        const [given, had] = [overrides.augment!, session.config.augment];
        return (Object.keys(AUGMENT_FLAG_OF) as (keyof AugmentOptions)[])
          .filter((f) => differs(given[f], had[f]))
          .map((f) => `${AUGMENT_FLAG_OF[f]} ${f === 'stretch' ? spanText(given.stretch) : show(given[f])} (the session has ${f === 'stretch' ? spanText(had.stretch) : show(had[f])})`);
      }
      return [`${FLAG_OF[k]} ${show(overrides[k])} (the session has ${show(session.config[k])})`];
    });
  if (conflicts.length) {
    throw new CliError(`a resumed run keeps the session's options; only --epochs may change, but got ${conflicts.join(', ')}`, 2);
  }
  const config = configFromFlags(values, session.config);
  if (config.epochs <= session.epochsDone) {
    throw new CliError(
      `the session already has ${session.epochsDone} of ${config.epochs} epochs; give --epochs N with N > ${session.epochsDone} to train more`,
      2,
    );
  }
  return config;
}

/**
 * The session is rewritten after every epoch and the report at the end: either landing on a data file (or the
 * report on the session) would destroy it, so such a run is refused before anything is read.
 */
function refuseOverwritingInputs(outputs: Record<string, string | undefined>, inputs: Record<string, string | undefined>): void {
  const taken = new Map<string, string>();
  for (const [flag, path] of Object.entries(inputs)) if (path) taken.set(resolve(path), flag);
  for (const [flag, path] of Object.entries(outputs)) {
    if (!path) continue;
    const other = taken.get(resolve(path));
    if (other) throw new CliError(`${flag} ${path} is the ${other} file; it would be overwritten, so choose another name`, 2);
    taken.set(resolve(path), flag);
  }
}

function writeReport(path: string, value: unknown): void {
  try {
    writeJsonAtomic(path, value);
  } catch (err) {
    throw new CliError(`cannot write report ${path}: ${(err as Error).message}`);
  }
}
