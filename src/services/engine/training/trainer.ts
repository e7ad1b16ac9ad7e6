/**
 * The training loop as an async generator of TrainEvents, ending with the training checkpoint (weights,
 * optimizer moments, history) as its return value.
 *
 * Per epoch e (1-based): the training samples in the order batchOrder(seed, e) gives, one optimizer step
 * per batch (the last partial batch included); then every test sample is evaluated; then the probe sample.
 * Because the order depends only on (seed, epoch) and the checkpoint holds the optimizer state, a run resumed
 * from the checkpoint of epoch k continues exactly as the uninterrupted run would have.
 *
 * Numbers reported per epoch: train_loss is the mean training objective over the epoch's batches (NLL +
 * spike regularisers, what the reference prints as "loss"); train_acc counts the predictions made on each
 * batch as it was trained; test_loss is the mean NLL over the test set and test_acc its accuracy.
 *
 * Control: between batches the run honours pause (waitWhilePaused) and cancel (signal). A cancelled or failed
 * run returns the checkpoint of its last completed epoch, never half-updated weights. A loss or gradient
 * that is NaN or infinite stops the run with an 'error' event naming the epoch and batch.
 */
import { configDifferences, validateTrainConfig, type TrainConfig } from '../../../shared/config';
import type { BackendReport, EpochRecord, TrainEvent } from '../../../shared/events';
import { augmentEnabled } from '../../../shared/augment';
import { customNeuronChecks } from './customNeuronCheck';
import { delaySigmaAt } from '../model/delaySchedule';
import { batchOrder } from '../../data/batches';
import type { BinnedBatch } from '../../data/binning';
import type { DatasetIndex, SpikeDataset } from '../../data/spikeDataset';
import { clipGradNorm } from './gradClip';
import { afterEpoch, initialScheduleState, lrForEpoch, type ScheduleState } from './lrSchedule';
import { selectEpoch, shouldStop } from '../../../shared/modelSelection';
import { batchOf } from '../run/binnedDataset';
import { checkCompatible, evaluateBinned, probe } from './evaluate';
import { layerTaus } from '../model/layerTaus';
import { augmentedTrainingBatch, prepareTrainingData, type FileBins } from './trainingSet';
import { initNetwork } from '../model/init';
import { checkInitialisation } from './initCalibration';
import { divergenceCause, HealthMonitor } from './trainingHealth';
import { allFinite, copyParams, networkShape, type NetworkParams, type OptimizerState, type TrainingCheckpoint } from '../model/modelState';
import { fusedKernelsSimd, runBatch, type LoopKind, type PhaseTiming } from '../run/network';
import { checkOptimizerState, constrain, createOptimizerState, learnedEntries, optimizerStep } from './optimizer';
import { startRunner } from '../run/startRunner';
import { checkWorkers } from '../run/workerPool';

export interface TrainControl {
  signal?: AbortSignal;
  waitWhilePaused?: () => Promise<void>;
  /** The test sample to probe after each epoch; read at every epoch end so the app can change it. */
  probeSample?: () => number;
}

export interface TrainOptions {
  config: TrainConfig;
  /** The training file; unless `validation` is given, config.validationFraction of it is held out for validation. */
  train: SpikeDataset | DatasetIndex;
  test: SpikeDataset | DatasetIndex;
  /** A dataset's own validation file (SSC's `valid`): used instead of a held-out part. */
  validation?: SpikeDataset | DatasetIndex;
  /**
   * The files' bins made beforehand (binCache.ts), for files too large to hold as spikes: then train, test and
   * validation need only be indexes (labels, classes, speakers) and batches are read from the caches.
   */
  bins?: FileBins;
  backend: BackendReport;
  resumeFrom?: TrainingCheckpoint;
  /** Test sample probed after each epoch when control.probeSample is not given (default 0). */
  probeSample?: number;
  control?: TrainControl;
  /** Engine detail for tests and the benchmark; by default chosen from the backend (see network.ts). */
  loop?: LoopKind;
  /**
   * Called with (a copy of) the checkpoint after every completed epoch, before its 'epoch' event; awaited, so
   * the CLI's session file is on disk before the run goes on (a killed run still leaves its last epoch).
   */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  /** CPU milliseconds per phase of the training batches are added here (the benchmark; one worker only). */
  timing?: PhaseTiming;
  /**
   * Worker threads each batch (and the test set's evaluation) is split over (workerPool.ts); fused loop only
   * (wasm, cpu). Default 1: the main thread alone. With N > 1 the loss and gradients are
   * sums of the shares' and agree with N = 1 to float rounding, not bit for bit; a given N is deterministic.
   */
  workers?: number;
}

function copyOptimizer(o: OptimizerState): OptimizerState {
  return { name: o.name, step: o.step, m: o.m.slice(), v: o.v.slice() };
}

/** A resumed run must train the same model the same way; only the epoch target may grow. */
function checkResume(config: TrainConfig, from: TrainingCheckpoint): void {
  const differ = configDifferences(from.config, config).filter((k) => k !== 'epochs');
  if (differ.length) {
    const show = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
    throw new Error(`cannot resume: the checkpoint was trained with different ${differ.map((k) => `${k} (${show(from.config[k])} there, ${show(config[k])} now)`).join(', ')}`);
  }
  if (from.optimizer.name !== config.optimizer) throw new Error(`cannot resume: the checkpoint's optimizer state is ${from.optimizer.name}, the config says ${config.optimizer}`);
  checkOptimizerState(from.optimizer, from.params);
  if (from.history.length !== from.epochsDone) throw new Error(`cannot resume: checkpoint has ${from.history.length} history rows for ${from.epochsDone} epochs`);
}

function checkDatasets(train: DatasetIndex, test: DatasetIndex): void {
  if (train.samples === 0) throw new Error(`${train.name}: the training set has no samples`);
  if (test.samples === 0) throw new Error(`${test.name}: the test set has no samples`);
  if (train.channels !== test.channels) throw new Error(`training data has ${train.channels} channels, test data ${test.channels}`);
  if (train.classNames.length !== test.classNames.length) {
    throw new Error(`training data has ${train.classNames.length} classes, test data ${test.classNames.length}`);
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function* train(opts: TrainOptions): AsyncGenerator<TrainEvent, TrainingCheckpoint> {
  const config = validateTrainConfig(opts.config);
  const { train: trainSet, test: testSet, control = {} } = opts;
  checkDatasets(trainSet, testSet);
  const classes = trainSet.classNames.length;

  const shape = networkShape(config, trainSet.channels, classes);
  // The same seed gives the same initial network: the τ histograms' "initial" side, also on resume.
  const initial = initNetwork(shape, config);
  let params: NetworkParams;
  let optimizer: OptimizerState;
  let history: EpochRecord[];
  if (opts.resumeFrom) {
    checkResume(config, opts.resumeFrom);
    params = copyParams(opts.resumeFrom.params);
    optimizer = copyOptimizer(opts.resumeFrom.optimizer);
    history = opts.resumeFrom.history.map((r) => ({ ...r }));
  } else {
    params = copyParams(initial);
    optimizer = createOptimizerState(config.optimizer, params);
    history = [];
  }
  checkCompatible(params, config, trainSet);
  checkCompatible(params, config, testSet);
  const learned = learnedEntries(params, config.learnTau);

  // The split depends on the seed only, so a resumed run holds out the same samples.
  const workers = checkWorkers(opts.workers ?? 1, opts.loop);
  // Binned once for the whole run (seconds for SHD), like the reference's loading step; not part of train_s.
  const { info: splitInfo, trainBins, valBins, testBins, trainPart } = prepareTrainingData(
    config,
    { train: trainSet, test: testSet, validation: opts.validation, bins: opts.bins },
    { shared: workers > 1 },
  );
  // Selection and early stopping weigh validation accuracy by this set's size (its standard error).
  const valSize = valBins && splitInfo.validationSamples > 0 ? splitInfo.validationSamples : undefined;
  if (valBins && valBins.channels !== params.shape.channels) throw new Error(`${valBins.name}: ${valBins.channels} input channels, the network expects ${params.shape.channels}`);
  let schedule: ScheduleState = opts.resumeFrom ? { ...opts.resumeFrom.schedule } : initialScheduleState(config, config.learningRate);
  // Init calibration and the regularisers' balance, on epoch 1's first batch (initCalibration.ts); a resumed run's weights descend from it.
  const initHealth = opts.resumeFrom ? [] : checkInitialisation(params, config, batchOf(trainBins, batchOrder(trainBins.samples, { batchSize: config.batchSize, shuffle: true, seed: config.seed, epoch: 1 })[0]), { loop: opts.loop });
  // A user-defined neuron's derived backward, against finite differences, before anything trains on it.
  if (!opts.resumeFrom) initHealth.push(...customNeuronChecks(params, config));
  const health = new HealthMonitor(params.shape, params.layout, config);
  health.seen(initHealth);
  let selected = opts.resumeFrom?.selected ? { epoch: opts.resumeFrom.selected.epoch, params: copyParams(opts.resumeFrom.selected.params) } : null;

  const firstEpoch = history.length + 1;
  const checkpoint = (): TrainingCheckpoint => ({
    config,
    params: copyParams(params),
    optimizer: copyOptimizer(optimizer),
    history: history.map((r) => ({ ...r })),
    epochsDone: history.length,
    selected: selected ? { epoch: selected.epoch, params: copyParams(selected.params) } : null,
    schedule: { ...schedule },
    validation: { ...splitInfo, ...(splitInfo.speakers ? { speakers: [...splitInfo.speakers] } : {}) },
  });
  let saved = checkpoint();
  // The speakers training learns from: the training file's, less those held out whole for validation.
  const heldOut = new Set(splitInfo.kind === 'by-speaker' ? (splitInfo.speakers ?? []) : []);
  const trainedSpeakers = trainSet.speakers ? trainSet.speakers.filter((s) => !heldOut.has(s)) : undefined;
  const augment = augmentEnabled(config.augment) && trainPart !== null;
  const makeAugmented = (indices: Int32Array, epoch: number) => augmentedTrainingBatch(trainPart!, indices, config, epoch);
  // Worker threads (workers > 1) or the GPU (webgpu) take the batches; otherwise this thread runs them.
  const pool = await startRunner(opts.backend.name, params.shape, workers, fusedKernelsSimd());
  try {
    const batchesPerEpoch = Math.ceil(trainBins.samples / config.batchSize);
    yield {
      type: 'start',
      backend: opts.backend,
      config,
      dataset: {
        name: trainSet.name,
        trainSamples: trainBins.samples,
        testSamples: testSet.samples,
        channels: trainSet.channels,
        classNames: trainSet.classNames,
      },
      firstEpoch,
      batchesPerEpoch,
      initialTaus: layerTaus(initial, config.dtS),
      validation: splitInfo,
    };
    if (initHealth.length) yield { type: 'health', warnings: initHealth };

    const epochsLeft = () => config.epochs - history.length;
    let secondsPerBatch = 0;
    let evalSeconds = 0;
    const cancelled = () => control.signal?.aborted === true;

    for (let epoch = firstEpoch; epoch <= config.epochs; epoch++) {
      const order = batchOrder(trainBins.samples, { batchSize: config.batchSize, shuffle: true, seed: config.seed, epoch });
      const lr = lrForEpoch(schedule, config, epoch, config.epochs);
      let ahead: BinnedBatch | null = null;
      const start = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < order.length; b++) {
        await yieldToEventLoop();
        if (!cancelled() && control.waitWhilePaused) await control.waitWhilePaused();
        if (cancelled()) {
          yield { type: 'done', reason: 'cancelled', history: saved.history, selectedEpoch: saved.selected?.epoch ?? 0 };
          return saved;
        }
        const dropout = { seed: config.seed, epoch };
        const delaySigma = delaySigmaAt(config, epoch);
        // Augmented batches are made from the spike times (before binning), fresh every epoch; with worker
        // threads the next one is made here while they compute this one (it does not depend on the weights).
        const batch = augment ? (ahead ?? makeAugmented(order[b], epoch)) : null;
        ahead = null;
        const pending = pool
          ? batch
            ? pool.runBatch(params, config, batch, { gradients: true, dropout, delaySigma })
            : pool.run(params, config, trainBins, order[b], { gradients: true, dropout, delaySigma })
          : null;
        if (pool && augment && b + 1 < order.length) ahead = makeAugmented(order[b + 1], epoch);
        const r = pending ? await pending : runBatch(params, config, batch ?? batchOf(trainBins, order[b]), { gradients: true, dropout, delaySigma, loop: opts.loop, timing: opts.timing });
        const g = r.grads!;
        const bad = Number.isFinite(r.loss) && allFinite(g) ? null : divergenceCause(r.loss, g, params.layout);
        if (bad) {
          yield {
            type: 'error',
            message: `training diverged at epoch ${epoch}, batch ${b + 1} of ${order.length}: ${bad}; the run stops with the weights of epoch ${history.length}`,
          };
          return saved;
        }
        const fellSilent = health.batch(params, r.spikesPerLayer, order[b].length, g, epoch, b + 1);
        if (fellSilent.length) yield { type: 'health', warnings: fellSilent };
        if (config.clipGrad > 0) clipGradNorm(g, learned, config.clipGrad);
        optimizerStep(optimizer, params, g, lr, learned, { weightDecay: config.weightDecay, delayLrScale: config.delayLearningRate > 0 ? config.delayLearningRate / config.learningRate : 1 });
        constrain(params, config);
        lossSum += r.loss;
        correct += r.correct;
        seen += order[b].length;
        const elapsedS = (performance.now() - start) / 1000;
        secondsPerBatch = elapsedS / (b + 1);
        const batchesLeft = order.length - (b + 1) + (epochsLeft() - 1) * batchesPerEpoch;
        yield {
          type: 'batch',
          epoch,
          batch: b + 1,
          batches: order.length,
          loss: r.loss,
          samplesPerS: seen / elapsedS,
          etaS: batchesLeft * secondsPerBatch + epochsLeft() * evalSeconds,
        };
      }
      const trainS = (performance.now() - start) / 1000;

      const evalStart = performance.now();
      // Validation first: selection, early stopping and the plateau schedule read it, never the test set.
      const val = valBins ? await evaluateBinned(params, config, valBins, { loop: opts.loop, pool }) : null;
      const testSpeakers = testSet.speakers ? { speakers: testSet.speakers, ...(trainedSpeakers ? { trainSpeakers: trainedSpeakers } : {}) } : undefined;
      const ev = await evaluateBinned(params, config, testBins, { loop: opts.loop, pool, ...(testSpeakers ? { speakers: testSpeakers } : {}) });
      evalSeconds = (performance.now() - evalStart) / 1000;
      const record: EpochRecord = {
        epoch,
        train_loss: lossSum / order.length,
        train_acc: correct / seen,
        val_loss: val ? val.loss : null,
        val_acc: val ? val.accuracy : null,
        test_loss: ev.loss,
        test_acc: ev.accuracy,
        lr,
        train_s: trainS,
        eval_s: evalSeconds,
      };
      history.push(record);
      // The plateau schedule monitors validation accuracy, or training accuracy without a validation set.
      schedule = afterEpoch(schedule, config, val ? val.accuracy : record.train_acc);
      const choice = selectEpoch(history, valSize);
      // The rule keeps either this epoch or the one it kept before (a new best moves to this epoch; anything else
      // leaves the best and its standard error, hence the earlier choice, as they were). Only a session resumed
      // from a file whose choice an older rule made can disagree: its kept weights stay the ones reported.
      if (choice.epoch === epoch) selected = { epoch, params: copyParams(params) };
      const keptEpoch = selected?.epoch ?? choice.epoch;
      saved = checkpoint();
      if (opts.onCheckpoint) await opts.onCheckpoint(checkpoint());
      yield {
        type: 'epoch',
        record: { ...record },
        confusion: ev.confusion,
        activity: ev.activity,
        ...(ev.speakers ? { speakers: ev.speakers } : {}),
        taus: layerTaus(params, config.dtS),
        selectedEpoch: keptEpoch,
        ...(keptEpoch === choice.epoch ? { selection: choice } : {}),
      };
      const findings = health.endEpoch(epoch);
      if (findings.length) yield { type: 'health', warnings: findings };
      const sample = control.probeSample ? control.probeSample() : (opts.probeSample ?? 0);
      if (Number.isInteger(sample) && sample >= 0 && sample < testSet.samples) {
        yield { type: 'probe', probe: await probe(params, config, testSet, sample, epoch, batchOf(testBins, [sample]), pool) };
      }
      if (epoch < config.epochs && shouldStop(history, config.patience, valSize)) {
        yield { type: 'done', reason: 'stopped-early', history: saved.history, selectedEpoch: keptEpoch };
        return saved;
      }
    }
    yield { type: 'done', reason: 'completed', history: saved.history, selectedEpoch: saved.selected?.epoch ?? 0 };
    return saved;
  } finally {
    // Terminates the worker threads whichever way the run ends: completed, cancelled, failed,
    // or stopped by its consumer (return/throw on the generator).
    await pool?.close();
  }
}
