/**
 * Forward-only use of trained weights: accuracy and loss over every sample of a dataset, and the probe of
 * one sample (rasters and traces for the app's plots).
 */
import type { TrainConfig } from '../../shared/config';
import type { ProbeRecord } from '../../shared/events';
import { batchOrder } from '../data/batches';
import { binBatch, type BinSpec } from '../data/binning';
import type { SpikeDataset } from '../data/spikeDataset';
import { batchOf, binDataset, type BinnedDataset } from './binnedDataset';
import { checkWeightShapes, type NetworkWeights } from './modelState';
import { fusedKernelsSimd, runBatch, type InputPath, type LoopKind } from './network';
import { BatchPool, checkWorkers } from './workerPool';

export interface Evaluation {
  accuracy: number;
  /** Mean negative log-likelihood of the true class (the regulariser is a training penalty, not included). */
  loss: number;
  /** Predicted class per sample, in file order. */
  predictions: Int32Array;
  /** confusion[true][predicted]. */
  confusion: number[][];
}

export function binSpec(config: TrainConfig): BinSpec {
  return { nbSteps: config.nbSteps, maxTimeS: config.maxTimeS, binning: config.binning };
}

/** The weights fit the dataset: same input channels, enough classes for every label. */
export function checkCompatible(weights: NetworkWeights, config: TrainConfig, ds: SpikeDataset): void {
  checkWeightShapes(weights);
  if (weights.hidden !== config.hidden) throw new Error(`weights have ${weights.hidden} hidden neurons, the config ${config.hidden}`);
  if (ds.channels !== weights.inputs) throw new Error(`${ds.name}: ${ds.channels} input channels, the network expects ${weights.inputs}`);
  if (ds.classNames.length > weights.classes) {
    throw new Error(`${ds.name}: ${ds.classNames.length} classes, the network has ${weights.classes} outputs`);
  }
}

/**
 * Runs every sample of `ds` in file order, in batches of config.batchSize; `workers` > 1 splits each batch
 * over that many worker threads (workerPool.ts; the loss then agrees with one thread's to float rounding).
 */
export async function evaluate(
  weights: NetworkWeights,
  config: TrainConfig,
  ds: SpikeDataset,
  opts: { inputPath?: InputPath; workers?: number } = {},
): Promise<Evaluation> {
  checkCompatible(weights, config, ds);
  const workers = checkWorkers(opts.workers ?? 1, undefined, opts.inputPath);
  const binned = binDataset(ds, binSpec(config), { shared: workers > 1 });
  if (workers === 1) return evaluateBinned(weights, config, binned, opts);
  const pool = await BatchPool.start(workers, weights, fusedKernelsSimd());
  try {
    return await evaluateBinned(weights, config, binned, { ...opts, pool });
  } finally {
    await pool.close();
  }
}

/** {@link evaluate} on a dataset binned beforehand (the trainer bins its test set once per run). */
export async function evaluateBinned(
  weights: NetworkWeights,
  config: TrainConfig,
  ds: BinnedDataset,
  opts: { inputPath?: InputPath; loop?: LoopKind; pool?: BatchPool | null } = {},
): Promise<Evaluation> {
  if (ds.samples === 0) throw new Error(`${ds.name}: no samples to evaluate`);
  if (ds.channels !== weights.inputs) throw new Error(`${ds.name}: ${ds.channels} input channels, the network expects ${weights.inputs}`);
  const K = weights.classes;
  const predictions = new Int32Array(ds.samples);
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let nllSum = 0;
  let correct = 0;
  let done = 0;
  for (const indices of batchOrder(ds.samples, { batchSize: config.batchSize, shuffle: false, seed: 0, epoch: 0 })) {
    const r = opts.pool
      ? await opts.pool.run(weights, config, ds, indices, false)
      : runBatch(weights, config, batchOf(ds, indices), { gradients: false, inputPath: opts.inputPath, loop: opts.loop });
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
  return { accuracy: correct / done, loss: nllSum / done, predictions, confusion };
}

/** Activity of the network on one sample: input and hidden rasters, membranes, readout, scores. */
export function probe(weights: NetworkWeights, config: TrainConfig, ds: SpikeDataset, sampleIndex: number, epoch: number): ProbeRecord {
  checkCompatible(weights, config, ds);
  if (!Number.isInteger(sampleIndex) || sampleIndex < 0 || sampleIndex >= ds.samples) {
    throw new Error(`${ds.name}: probe sample ${sampleIndex} out of range 0…${ds.samples - 1}`);
  }
  const batch = binBatch(ds, [sampleIndex], binSpec(config));
  const r = runBatch(weights, config, batch, { gradients: false, records: true });
  const rec = r.records!;
  const T = config.nbSteps;
  const C = ds.channels;
  const H = weights.hidden;
  const input = { t: [] as number[], c: [] as number[] };
  for (const f of batch.flat) {
    input.t.push(Math.floor(f / C));
    input.c.push(f % C);
  }
  const hiddenSpikes = { t: [] as number[], n: [] as number[] };
  for (let i = 0; i < rec.spikes.length; i++) {
    if (rec.spikes[i] !== 0) {
      hiddenSpikes.t.push(Math.floor(i / H));
      hiddenSpikes.n.push(i % H);
    }
  }
  return {
    epoch,
    sampleIndex,
    label: ds.labels[sampleIndex],
    prediction: r.predictions[0],
    nbSteps: T,
    channels: C,
    hidden: H,
    classes: weights.classes,
    threshold: config.threshold,
    inputSpikes: input,
    hiddenSpikes,
    hiddenMem: Array.from(rec.mem),
    readoutMem: Array.from(rec.out),
    scores: Array.from(r.scores),
  };
}
