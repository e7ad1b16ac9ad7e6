/**
 * The work the training process does, one job per process: train (with pause, resume, stop and probe-sample
 * changes arriving while it runs), summarise a dataset, preview a sample's augmentation, inspect a file, or
 * probe the backends. Written against a {@link JobPort} so it runs the same under Electron's utilityProcess,
 * Node's fork, or in a test's process.
 */
import type { ToTrainingProcess } from '../../shared/ipc/trainingProcess';
import type { BackendPreference } from '../../shared/workbenchApi';
import type { TrainEvent } from '../../shared/events';
import type { TrainingCheckpoint } from '../engine/model/modelState';
import { fingerprintDataset } from '../data/fingerprint';
import { matchSessionToData, speakerClash } from '../sessions/dataMatch';
import { makeSessionMeta } from '../sessions/sessionMeta';
import { augmentPreview } from './augmentPreview';
import { inspectFile, loadForPreview, loadTrainingData, summarizeRef } from './datasetLoader';
import { binSpec } from '../data/binning';
import type { SpikeDataset } from '../data/spikeDataset';
import type { FromTrainingProcess } from './trainingProtocol';

export interface JobPort {
  post(message: FromTrainingProcess): Promise<void>;
}

type TrainJob = Extract<ToTrainingProcess, { type: 'train' }>;
type ControlMessage = Extract<ToTrainingProcess, { type: 'pause' | 'resume' | 'stop' | 'probeSample' }>;

/** Pause, resume, stop and the probe sample of a running job, as the trainer's TrainControl reads them. */
export class RunControl {
  readonly abort = new AbortController();
  probeSample: number;
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(
    probeSample: number,
    private readonly emit: (event: TrainEvent) => Promise<void>,
  ) {
    this.probeSample = probeSample;
  }

  handle(message: ControlMessage): void {
    switch (message.type) {
      case 'pause':
        this.paused = true;
        break;
      case 'resume':
        this.paused = false;
        this.wake?.();
        break;
      case 'stop':
        this.abort.abort();
        this.wake?.();
        break;
      case 'probeSample':
        this.probeSample = message.index;
        break;
    }
  }

  /** Called by the trainer between batches: holds the run while paused (a stop ends the hold). */
  waitWhilePaused = async (): Promise<void> => {
    if (!this.paused || this.abort.signal.aborted) return;
    await this.emit({ type: 'paused' });
    while (this.paused && !this.abort.signal.aborted) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    // A stop ends the pause without resuming: the run goes straight to 'done'.
    if (!this.abort.signal.aborted) await this.emit({ type: 'resumed' });
  };
}

/**
 * tfjs and the engine load only for jobs that compute (a few seconds under tsx); summaries and file
 * checks answer without them.
 */
async function chooseBackend(preference: BackendPreference) {
  const [{ selectBackend }, tf] = await Promise.all([import('../engine/tfjs/backendSelect'), import('@tensorflow/tfjs')]);
  return { report: await selectBackend(preference), tfjsVersion: tf.version.tfjs };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs one training job to its end. The order of what it posts is part of the contract: the checkpoint comes
 * before the 'done' event, so whoever sees 'done' can already save the session.
 */
export async function runTrainJob(job: TrainJob, port: JobPort, control: RunControl): Promise<void> {
  const { report: backend, tfjsVersion } = await chooseBackend(job.backend);
  await port.post({ type: 'backend', report: backend, tfjsVersion });
  const { train } = await import('../engine/training/trainer');
  const { defaultWorkers } = await import('../engine/run/workerPool');
  let lastPosted = -1;
  const data = await loadTrainingData(job.dataset, job.context.dataDir, {
    spec: binSpec(job.config),
    // A bin cache is built once per file and binning; its progress goes to the page's progress row (every 1 %).
    onProgress: (file, done, total) => {
      const pct = Math.floor((100 * done) / total);
      if (pct === lastPosted && done < total) return;
      lastPosted = pct;
      void port.post({ type: 'event', event: { type: 'preparing', file, done, total } });
    },
  });
  if (control.probeSample >= data.test.samples) {
    throw new Error(`probe sample ${control.probeSample} is out of range: the test set has ${data.test.samples} samples`);
  }
  // What the run goes on despite, shown beside it (the start event carries them).
  const warnings: string[] = [];
  const clash = speakerClash(data.train, data.test);
  if (clash) warnings.push(clash);
  const fingerprint = data.fingerprint ?? fingerprintDataset(data.train as SpikeDataset);
  let resumeFrom: TrainingCheckpoint | undefined;
  if (job.resumePath) {
    const { readSessionGuarded } = await import('../sessions/guardedSessionRead');
    const session = await readSessionGuarded(job.resumePath);
    const sessionName = job.resumeName ? `"${job.resumeName}"` : job.resumePath;
    const match = matchSessionToData(
      { name: sessionName, classNames: session.meta.classNames, speakerNames: session.meta.speakerNames, trainedOn: session.meta.dataset.name },
      { ...data.train, name: data.name },
    );
    if (match.refusal) throw new Error(`cannot resume ${sessionName}: ${match.refusal}`);
    warnings.push(...match.warnings);
    if (session.meta.dataset.fingerprint !== fingerprint) {
      throw new Error(
        `cannot resume ${job.resumePath}: it was trained on "${session.meta.dataset.name}" (${session.meta.dataset.fingerprint.slice(0, 19)}…), ` +
          `not on this data (${data.name}, ${fingerprint.slice(0, 19)}…)`,
      );
    }
    resumeFrom = session;
  }

  const run = train({
    config: job.config,
    train: data.train,
    test: data.test,
    ...(data.validation && { validation: data.validation }),
    ...(data.bins && { bins: data.bins }),
    backend,
    resumeFrom,
    probeSample: control.probeSample,
    // Each batch split over worker threads on wasm/cpu (one per core, at most two); 1 on tensorflow, and on
    // webgpu, where the GPU takes whole batches.
    workers: backend.name === 'webgpu' ? 1 : defaultWorkers(),
    control: {
      signal: control.abort.signal,
      waitWhilePaused: control.waitWhilePaused,
      probeSample: () => Math.min(control.probeSample, data.test.samples - 1),
    },
  });
  let done: TrainEvent | null = null;
  for (;;) {
    const step = await run.next();
    if (step.done) {
      const meta = makeSessionMeta({ backend: backend.name, datasetName: data.name, train: data.train, test: data.test, fingerprint });
      await port.post({ type: 'checkpoint', session: { ...step.value, meta } });
      break;
    }
    if (step.value.type === 'done') done = step.value;
    else if (step.value.type === 'start' && warnings.length > 0) await port.post({ type: 'event', event: { ...step.value, warnings } });
    else await port.post({ type: 'event', event: step.value });
  }
  if (done) await port.post({ type: 'event', event: done });
}

/** Runs any job; every failure becomes a 'failed' message, and 'finished' is always the last message. */
export async function runJob(job: ToTrainingProcess, port: JobPort, control?: RunControl): Promise<void> {
  try {
    switch (job.type) {
      case 'train':
        await runTrainJob(job, port, control ?? new RunControl(job.probeSample, (event) => port.post({ type: 'event', event })));
        break;
      case 'summary':
        await port.post({ type: 'summary', summary: await summarizeRef(job.dataset, job.context.dataDir) });
        break;
      case 'augmentPreview': {
        const { train, test } = await loadForPreview(job.request.dataset, job.context.dataDir);
        await port.post({ type: 'augmentPreview', preview: augmentPreview(train, job.request, { test }) });
        break;
      }
      case 'inspectFile':
        await port.post({ type: 'fileSummary', summary: await inspectFile(job.path) });
        break;
      case 'probeBackend':
        await port.post({ type: 'backend', ...(await chooseBackend(job.preference)) });
        break;
      case 'encodeFolder': {
        const { encodeFolder } = await import('./listen');
        await port.post({ type: 'encodedFolder', encoded: encodeFolder(job.dir, job.outPrefix) });
        break;
      }
      case 'nirCheck': {
        const { checkExportedNir } = await import('./nirCheckJob');
        await port.post({ type: 'nirCheck', check: await checkExportedNir(job.sessionPath, job.sessionName, job.nirPath, job.dataset, job.context.dataDir) });
        break;
      }
      case 'evaluateSession': {
        const { evaluateSessionFile } = await import('./evaluateJob');
        const evaluation = await evaluateSessionFile(job.sessionPath, job.sessionName, job.dataset, job.context.dataDir, job.backend);
        await port.post({ type: 'evaluation', evaluation });
        break;
      }
      case 'listen': {
        const { analyzeRecording } = await import('./listen');
        await port.post({ type: 'listen', result: await analyzeRecording(job.wav, job.sessionPath, job.sessionName, job.windowS) });
        break;
      }
      default:
        throw new Error(`"${job.type}" is a control message; the process expected a job first`);
    }
  } catch (err) {
    await port.post({ type: 'failed', message: message(err) });
  }
  await port.post({ type: 'finished' });
}
