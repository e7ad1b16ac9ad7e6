/**
 * Forward-only use of trained weights: accuracy and loss over every sample of a dataset, and the probe of
 * one sample (rasters and traces for the app's plots).
 */
import type { TrainConfig } from '../../../shared/config';
import type { ActivityReport, ClassResult, LayerProbe, ProbeRecord, SpeakerResult } from '../../../shared/events';
import { activityReport, speakerResults } from './activity';
import { batchOrder } from '../../data/batches';
import { binBatch, binSpec, sameBinSpec, type BinnedBatch } from '../../data/binning';
import type { DatasetIndex, SpikeDataset } from '../../data/spikeDataset';
import { batchOf, binDataset, type BinnedDataset } from '../run/binnedDataset';
import { describeShape, networkShape, sameShape, type NetworkParams } from '../model/modelState';
import { fusedKernelsSimd, runBatch, type LoopKind } from '../run/network';
import type { BackendName } from '../../../shared/events';
import type { BatchRunner } from '../run/batchRunner';
import { startRunner } from '../run/startRunner';
import { checkWorkers } from '../run/workerPool';

export interface Evaluation {
  accuracy: number;
  /** Mean negative log-likelihood of the true class (the regulariser is a training penalty, not included). */
  loss: number;
  /** Predicted class per sample, in file order. */
  predictions: Int32Array;
  /** confusion[true][predicted]. */
  confusion: number[][];
  /** Spikes, rates and SynOps against the dense network's MACs (activity.ts). */
  activity: ActivityReport;
  /** Accuracy per speaker, when the dataset's speakers were given. */
  speakers?: SpeakerResult[];
}

/** What evaluation reports per speaker: the dataset's speaker per sample, and the training file's speakers. */
export interface SpeakerInfo {
  speakers: Int32Array;
  trainSpeakers?: Int32Array;
}

/** Binned input spikes of a whole dataset: they do not change between epochs, so each dataset is counted once. */
const inputTotals = new WeakMap<BinnedDataset, number>();

function datasetInputSpikes(ds: BinnedDataset): number {
  let n = inputTotals.get(ds);
  if (n !== undefined) return n;
  n = 0;
  if (ds.offsets.length === ds.samples + 1) {
    for (let k = 0; k < ds.offsets[ds.samples]; k++) n += ds.counts[k];
  } else {
    // Bins on disk (a bin cache): one read of every sample, once per dataset.
    for (const indices of batchOrder(ds.samples, { batchSize: 1024, shuffle: false, seed: 0, epoch: 0 })) {
      const batch = batchOf(ds, indices);
      for (let k = 0; k < batch.counts.length; k++) n += batch.counts[k];
    }
  }
  inputTotals.set(ds, n);
  return n;
}

/** The network fits the config and the dataset: the config's layers, the data's channels, a class for every label. */
export function checkCompatible(params: NetworkParams, config: TrainConfig, ds: DatasetIndex): void {
  const want = networkShape(config, ds.channels, params.shape.classes);
  if (!sameShape(want, params.shape)) {
    throw new Error(`${ds.name}: the network is ${describeShape(params.shape)}, the config and data (${ds.channels} channels) make ${describeShape(want)}`);
  }
  if (ds.classNames.length > params.shape.classes) {
    throw new Error(`${ds.name}: ${ds.classNames.length} classes, the network has ${params.shape.classes} outputs`);
  }
}

/**
 * Runs every sample of `ds` in file order, in batches of config.batchSize; `workers` > 1 splits each batch
 * over that many worker threads (workerPool.ts; the loss then agrees with one thread's to float rounding);
 * `backend` webgpu runs the batches on the GPU (default: the CPU loops).
 */
export async function evaluate(
  params: NetworkParams,
  config: TrainConfig,
  ds: SpikeDataset | DatasetIndex,
  opts: { loop?: LoopKind; workers?: number; bins?: BinnedDataset; backend?: BackendName; speakers?: SpeakerInfo } = {},
): Promise<Evaluation> {
  checkCompatible(params, config, ds);
  const workers = checkWorkers(opts.workers ?? 1, opts.loop);
  // `bins`: the data's bin cache (a file too large to hold as spikes); else the spikes are binned here.
  if (opts.bins && !sameBinSpec(opts.bins.spec, binSpec(config))) {
    throw new Error(`${opts.bins.name}: binned with ${JSON.stringify(opts.bins.spec)}, the session bins ${JSON.stringify(binSpec(config))}`);
  }
  const binned = opts.bins ?? binDataset(ds as SpikeDataset, binSpec(config), { shared: workers > 1 });
  const pool = await startRunner(opts.backend ?? 'wasm', params.shape, workers, fusedKernelsSimd());
  try {
    return await evaluateBinned(params, config, binned, { ...opts, pool });
  } finally {
    await pool?.close();
  }
}

/** {@link evaluate} on a dataset binned beforehand (the trainer bins its test set once per run). */
export async function evaluateBinned(
  params: NetworkParams,
  config: TrainConfig,
  ds: BinnedDataset,
  opts: { loop?: LoopKind; pool?: BatchRunner | null; speakers?: SpeakerInfo } = {},
): Promise<Evaluation> {
  if (ds.samples === 0) throw new Error(`${ds.name}: no samples to evaluate`);
  if (ds.channels !== params.shape.channels) throw new Error(`${ds.name}: ${ds.channels} input channels, the network expects ${params.shape.channels}`);
  const K = params.shape.classes;
  const predictions = new Int32Array(ds.samples);
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let nllSum = 0;
  let correct = 0;
  let done = 0;
  const totals = { samples: ds.samples, input: datasetInputSpikes(ds), layers: params.shape.layers.map(() => 0) };
  for (const indices of batchOrder(ds.samples, { batchSize: config.batchSize, shuffle: false, seed: 0, epoch: 0 })) {
    const r = opts.pool
      ? await opts.pool.run(params, config, ds, indices, { gradients: false })
      : runBatch(params, config, batchOf(ds, indices), { gradients: false, loop: opts.loop });
    r.spikesPerLayer.forEach((n, l) => (totals.layers[l] += n));
    nllSum += r.nll * indices.length;
    correct += r.correct;
    for (let b = 0; b < indices.length; b++) {
      predictions[indices[b]] = r.predictions[b];
      confusion[ds.labels[indices[b]]][r.predictions[b]]++;
    }
    done += indices.length;
    // Let messages (stop, pause) in between on long evaluations.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const activity = activityReport(params.shape, totals, config.nbSteps, config.dtS);
  const sp = opts.speakers;
  if (sp && sp.speakers.length !== ds.samples) throw new Error(`${ds.name}: ${sp.speakers.length} speaker ids for ${ds.samples} samples`);
  const speakers = sp ? speakerResults(sp.speakers, ds.labels, predictions, sp.trainSpeakers) : undefined;
  return { accuracy: correct / done, loss: nllSum / done, predictions, confusion, activity, ...(speakers ? { speakers } : {}) };
}

/**
 * An evaluation's confusion matrix per true class, named by the session's class names (labels are scored by
 * index, so a class the names do not reach is named by its index): what `evaluate` prints and the app shows.
 */
export function perClassResults(confusion: number[][], classNames: readonly string[]): ClassResult[] {
  return confusion.map((row, k) => {
    const samples = row.reduce((a, b) => a + b, 0);
    return { class: k, name: classNames[k] ?? String(k), samples, correct: row[k], accuracy: samples ? row[k] / samples : null };
  });
}

/** Activity of the network on one sample: input and hidden rasters, membranes, readout, scores. */
export async function probe(
  params: NetworkParams,
  config: TrainConfig,
  ds: DatasetIndex,
  sampleIndex: number,
  epoch: number,
  binned?: BinnedBatch,
  /** The run's GPU runner: the probe then shows what the GPU computes; worker pools give no records. */
  runner?: BatchRunner | null,
): Promise<ProbeRecord> {
  checkCompatible(params, config, ds);
  if (!Number.isInteger(sampleIndex) || sampleIndex < 0 || sampleIndex >= ds.samples) {
    throw new Error(`${ds.name}: probe sample ${sampleIndex} out of range 0…${ds.samples - 1}`);
  }
  // The trainer passes the sample's batch from bins it already has (a file binned on disk has no spikes here).
  const batch = binned ?? binBatch(ds as SpikeDataset, [sampleIndex], binSpec(config));
  const r = runner?.records ? await runner.runBatch(params, config, batch, { gradients: false, records: true }) : runBatch(params, config, batch, { gradients: false, records: true });
  const rec = r.records!;
  const C = ds.channels;
  const input = { t: [] as number[], c: [] as number[] };
  for (const f of batch.flat) {
    input.t.push(Math.floor(f / C));
    input.c.push(f % C);
  }
  const layers: LayerProbe[] = params.shape.layers.map((s, l) => {
    const H = s.size;
    const spikes = { t: [] as number[], n: [] as number[] };
    const sp = rec.layers[l].spikes;
    for (let i = 0; i < sp.length; i++) {
      if (sp[i] !== 0) {
        spikes.t.push(Math.floor(i / H));
        spikes.n.push(i % H);
      }
    }
    const adapt = rec.layers[l].adapt;
    return { kind: s.kind, size: H, spikes, mem: Array.from(rec.layers[l].mem), ...(adapt ? { adapt: Array.from(adapt) } : {}) };
  });
  return {
    epoch,
    sampleIndex,
    label: ds.labels[sampleIndex],
    prediction: r.predictions[0],
    nbSteps: config.nbSteps,
    channels: C,
    classes: params.shape.classes,
    threshold: config.threshold,
    inputSpikes: input,
    layers,
    readoutMem: Array.from(rec.out),
    scores: Array.from(r.scores),
  };
}
