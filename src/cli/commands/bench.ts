/**
 * `bench`: how fast the engine trains at SHD size on this machine. Generates SHD-like data (8156 training and
 * 2264 test samples, 700 channels, ≈ 10 k spikes per sample; see syntheticShd.ts), trains the seed network
 * (T = 100, H = 128, B = 256 unless overridden) for a few epochs through the real trainer, and reports
 * seconds per epoch, samples/s, the time to evaluate every test sample, peak RSS and the backend, plus where
 * a training batch spends its CPU time. The first epoch includes JIT warm-up; the summary uses the median.
 *
 * `--train A.h5 --test B.h5` times SHD-layout files instead. `--reference [PATH]` also times the PyTorch
 * reference (`snn_reference.py --format 2` with referenceArgs(config), the same model) on the same files and
 * reports its median epoch and the ratio ours / reference; without files, the generated sets are first written
 * to SHD-layout files in a temporary folder (scripts/writeShdFile.py, float16 times as in SHD) and both sides
 * read those, so the comparison is always on one file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { parseFlags, numberFlag, printJson, printUsage } from '../args';
import { backendFlag, BACKEND_COMMAND_FLAGS, BACKEND_HELP, workersFor } from '../backendFlag';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { CONFIG_FLAGS, configFlagsHelp, configFromFlags } from '../configFlags';
import { referenceArgs } from '../referenceArgs';
import { CountProgress } from '../progressBar';
import { binCacheFlag, channelsFlag } from '../trainingData';
import type { DatasetIndex, SpikeDataset } from '../../services/data/spikeDataset';
import { batchOf } from '../../services/engine/run/binnedDataset';
import { openTrainingFiles, usesBinCache, type TrainingInputs } from '../../services/engine/training/trainingInputs';
import type { FileBins } from '../../services/engine/training/trainingSet';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { BackendReport, EpochRecord } from '../../shared/events';
import { describeBackend, selectBackend } from '../../services/engine/tfjs/backendSelect';
import { describeAdapter, describeLimits } from '../../shared/adapterText';
import { defaultLoop, type LoopKind, type PhaseTiming } from '../../services/engine/run/network';
import { describeShape, networkShape } from '../../services/engine/model/modelState';
import { makeSyntheticShd } from '../../services/data/syntheticShd';
import { train } from '../../services/engine/training/trainer';
import { defaultWorkers } from '../../services/engine/run/workerPool';
import { binBatch, binSpec } from '../../services/data/binning';
import { delaysRatio, delaysRatioTable, RATIO_DELAY_MAX, RATIO_SIGMAS } from './benchDelays';

/**
 * The seed network, timed for a few epochs rather than a full run's, on the whole training file: the reference
 * has no validation split, so both sides train on the same samples and samples/s counts all of them.
 */
const BENCH_DEFAULTS = { ...DEFAULT_CONFIG, epochs: 3, validationFraction: 0 };

const USAGE = `usage: npm run cli -- bench [--json] [--backend X] [--epochs N] [--train-samples N] [--test-samples N] [model options]
       npm run cli -- bench [--train A.h5 --test B.h5] --reference [PATH] [--reference-epochs N] [model options]

  --train-samples N     generated training samples (default 8156, as SHD)
  --test-samples N      generated test samples (default 2264, as SHD)
  --train FILE, --test FILE   time on these SHD-layout files instead of generated data
  --channels N          input channels when the files' units do not reach the top one (SHD: 700)
  --bin-cache MODE      files: auto (default; files over 1 GB train from a binned cache on disk, built once and
                        timed as cache_s), on, off — as for train; the report gives load time and peak RSS
  --reference [PATH]    also time the PyTorch reference on the same files and config (snn_reference.py
                        --format 2; PATH defaults to ../shared/reference/snn_reference.py from the repository
                        root; python: $SNN_REFERENCE_PYTHON or /usr/bin/python3). Without --train/--test the
                        generated sets are written to SHD-layout files in a temporary folder first
  --reference-epochs N  the reference's epochs (default 1; ~50 s each at SHD size for adLIF on 2 cores)
  --reference-threads N torch threads for the reference (default: the cores, ${availableParallelism()})
  --limit-batches N     the reference trains on the first N batches of each epoch only; its epoch time is
                        then scaled to a full epoch for the ratio
  --loop fused|tensor   engine detail: fused SIMD kernels or tfjs ops per step (default: fused on wasm/cpu)
  --workers N           worker threads each batch is split over (fused loop only; default: min(2, cores)
                        there, else 1)
  --delays-ratio        the cost of recurrent delays: trains the network without them and with them (D_max
                        --rec-delay-max, default ${RATIO_DELAY_MAX}) at σ = ${RATIO_SIGMAS.join(', ')} (or --delay-sigma S alone), held for
                        the run (σ decay 1 unless --delay-sigma-decay), one epoch of each in turn; reports
                        each side's median s/epoch after epoch 1, the ratio to the side without, and the
                        hidden layers' spike rates (default --epochs 4)
  --json                the results as JSON on stdout
${BACKEND_HELP}

${configFlagsHelp(BENCH_DEFAULTS)}

Training uses the whole training file (no validation split), as the reference does.
The first epoch includes JIT warm-up; the summary uses the median over the epochs.
The two rows of the side-by-side table in docs/benchmarks.md:
  npm run bench -- --reference                       (the seed network)
  npm run bench -- --reference --preset adlif-shd-small --layers 2 --epochs 3
                                                     (2 × 128 recurrent adLIF, learned τ, pool 5, softmax-sum)
The learnable delays' bound (docs/benchmarks.md, "Learnable delays"): 2 × 128 recurrent LIF, D_max 25,
  npm run bench -- --delays-ratio --preset shd-delays --hidden 128 --rec-delay-max 25 --rec-delay-init 0:5 --epochs 7
  npm run bench -- --delays-ratio --layers 2 --epochs 5   (the seed LIF; silent on the generated data)`;

export interface BenchEpoch {
  epoch: number;
  train_s: number;
  /** CPU seconds this process used while training the epoch; well below train_s means others took the cores. */
  train_cpu_s: number;
  samples_per_s: number;
  eval_s: number;
  test_acc: number;
}

export interface BenchReport {
  backend: BackendReport;
  tfjs: string;
  wasmSimd: boolean | null;
  data: {
    /** 'generated' (syntheticShd.ts, in memory), or 'files': read from SHD-layout files (given, or written for --reference). */
    source: 'generated' | 'files';
    /** The files both sides read (absent for in-memory generated data; temporary ones are deleted afterwards). */
    files?: { train: string; test: string; temporary: boolean };
    train_samples: number;
    test_samples: number;
    channels: number;
    spikes_per_sample: number;
    nonzero_bins: number;
    /** Seconds to generate (and, for --reference, write and read back) or to read the data. */
    generate_s: number;
    /** Files trained from bin caches: whether each was built in this run and the seconds opening it took. */
    bin_caches?: { file: string; built: boolean; seconds: number; spikes: number }[];
  };
  config: { network: string; neuron: string; layers: { size: number; recurrent: boolean; dropout: number }[]; pool: number; readout: string; learnTau: boolean; nbSteps: number; batchSize: number };
  /** The layer loop: fused kernels, tfjs ops, or the webgpu backend's WGSL kernels. */
  engine: { loop: LoopKind | 'wgsl'; workers: number };
  epochs: BenchEpoch[];
  median_train_s: number;
  median_samples_per_s: number;
  median_eval_s: number;
  /** CPU milliseconds per training batch by phase (all epochs after the first; main thread, so one worker only). */
  batch_cpu_ms: PhaseTiming;
  peak_rss_mb: number;
  /** --reference: the PyTorch reference on the same files and config. */
  reference?: ReferenceReport;
  /** median_train_s / reference.median_train_s (below 1: ours is faster). */
  ratio_to_reference?: number;
}

export interface ReferenceEpoch {
  epoch: number;
  train_s: number;
  eval_s: number;
  test_acc: number;
  loss: number;
  /** Batches it trained on (it drops a last partial batch; --limit-batches cuts the epoch short). */
  batches: number;
}

export interface ReferenceReport {
  script: string;
  python: string;
  /** The full command line after the interpreter. */
  args: string[];
  threads: number;
  epochs: ReferenceEpoch[];
  /** Median train_s, scaled to a full epoch (floor(samples / batch) batches) when --limit-batches cut it short. */
  median_train_s: number;
  load_s: number | null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  const x = numberFlag(name, value) ?? fallback;
  if (!Number.isInteger(x) || x < 1) throw new CliError(`--${name} must be a positive integer (got ${x})`, 2);
  return x;
}

export const benchCommand: CliCommand = {
  async run(argv) {
    const { values } = parseFlags(referenceValue(argv), {
      ...CONFIG_FLAGS,
      'train-samples': { type: 'string' },
      'test-samples': { type: 'string' },
      loop: { type: 'string' },
      workers: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      channels: { type: 'string' },
      'bin-cache': { type: 'string' },
      reference: { type: 'string' },
      'reference-epochs': { type: 'string' },
      'reference-threads': { type: 'string' },
      'limit-batches': { type: 'string' },
      'delays-ratio': { type: 'boolean' },
      ...BACKEND_COMMAND_FLAGS,
    });
    if (values.help) return printUsage(USAGE);
    if (Boolean(values.train) !== Boolean(values.test)) throw new CliError('give --train and --test together', 2);
    const fromFiles = Boolean(values.train);
    if (fromFiles && (values['train-samples'] !== undefined || values['test-samples'] !== undefined)) {
      throw new CliError('--train-samples and --test-samples are for generated data; they cannot go with --train/--test', 2);
    }
    const channels = channelsFlag(values.channels);
    const referenceWanted = values.reference !== undefined;
    for (const f of ['reference-epochs', 'reference-threads', 'limit-batches'] as const) {
      if (values[f] !== undefined && !referenceWanted) throw new CliError(`--${f} goes with --reference`, 2);
    }
    const referenceEpochs = positiveInt('reference-epochs', values['reference-epochs'], 1);
    const referenceThreads = positiveInt('reference-threads', values['reference-threads'], availableParallelism());
    const limitBatches = values['limit-batches'] === undefined ? 0 : positiveInt('limit-batches', values['limit-batches'], 1);
    const ratioWanted = values['delays-ratio'] === true;
    if (ratioWanted && referenceWanted) throw new CliError('--delays-ratio times this engine alone; it cannot go with --reference', 2);
    const reference = referenceWanted ? referenceSetup(values.reference!) : undefined;
    if ((numberFlag('validation-fraction', values['validation-fraction']) ?? 0) !== 0) {
      throw new CliError('--validation-fraction: bench trains on the whole training file, as the reference does (give 0 or leave it out)', 2);
    }
    // A preset's validation split is dropped for the same reason.
    // --delays-ratio times 4 epochs (3 after warm-up) unless --epochs says, a preset's run length included.
    const flagged = configFromFlags(values, BENCH_DEFAULTS);
    const config = { ...flagged, validationFraction: 0, ...(ratioWanted && values.epochs === undefined && { epochs: 4 }) };
    const generatedTrain = positiveInt('train-samples', values['train-samples'], 8156);
    const generatedTest = positiveInt('test-samples', values['test-samples'], 2264);
    // Fails before any work when the reference cannot express this config (layers differing in recurrence).
    const modelArgs = reference ? referenceArgs(config) : [];
    const log = (line: string) => process.stderr.write(line + '\n');
    const choice = <T extends string>(flag: string, value: string | undefined, options: readonly T[]): T | undefined => {
      if (value === undefined) return undefined;
      if (!options.includes(value as T)) throw new CliError(`--${flag} must be one of ${options.join(', ')} (got "${value}")`, 2);
      return value as T;
    };
    const loop = choice<LoopKind>('loop', values.loop, ['fused', 'tensor']);

    const backend = await selectBackend(backendFlag(values.backend));
    log(describeBackend(backend));
    if (backend.name === 'webgpu' && loop) throw new CliError('--loop picks a CPU loop; the webgpu backend runs its own kernels', 2);
    const workers = workersFor(backend.name, values.workers === undefined ? undefined : positiveInt('workers', values.workers, 1), () => defaultWorkers(loop));
    const wasmSimd = backend.tfBackend === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null;

    const genStart = performance.now();
    let trainSet!: SpikeDataset | DatasetIndex;
    let testSet!: SpikeDataset | DatasetIndex;
    let bins: FileBins | undefined;
    let caches: TrainingInputs['caches'];
    let files: { train: string; test: string; temporary: boolean } | undefined;
    let tempDir: string | undefined;
    try {
    if (fromFiles) {
      files = { train: resolve(values.train!), test: resolve(values.test!), temporary: false };
    } else {
      log(`generating ${generatedTrain} + ${generatedTest} SHD-like samples…`);
      trainSet = makeSyntheticShd({ samples: generatedTrain, seed: 1, split: 'train' });
      testSet = makeSyntheticShd({ samples: generatedTest, seed: 1, split: 'test' });
      if (reference) {
        tempDir = mkdtempSync(join(tmpdir(), 'sw-bench-'));
        files = { train: join(tempDir, 'train.h5'), test: join(tempDir, 'test.h5'), temporary: true };
        log(`writing them as SHD-layout files in ${tempDir} (both sides read those)…`);
        await writeShdFile(reference.python, trainSet as SpikeDataset, files.train);
        await writeShdFile(reference.python, testSet as SpikeDataset, files.test);
      }
    }
    if (files) {
      log(`reading ${files.train} and ${files.test}…`);
      const mode = binCacheFlag(values['bin-cache']);
      if (reference && usesBinCache(files, mode)) throw new CliError('--reference reads the files in memory on both sides: use --bin-cache off', 2);
      const progress = new CountProgress(process.stderr, 'binning');
      const inputs = await openTrainingFiles(files, { mode, spec: binSpec(config), channels, onProgress: (f, d, t) => progress.update(d, t, f) });
      progress.clear();
      ({ train: trainSet, test: testSet, bins, caches } = inputs);
      for (const c of caches ?? []) log(`${c.file}: bin cache ${c.built ? 'built' : 'reused'} in ${c.seconds.toFixed(1)} s`);
    }
    const generateS = (performance.now() - genStart) / 1000;
    const trainSamples = trainSet.samples;
    const testSamples = testSet.samples;
    const spikesPerSample = (bins ? caches![0].spikes : (trainSet as SpikeDataset).offsets[trainSet.samples]) / trainSet.samples;
    const first = Array.from({ length: Math.min(256, trainSamples) }, (_, i) => i);
    const probe = bins ? batchOf(bins.train, first) : binBatch(trainSet as SpikeDataset, first, config);
    const nonzeroBins = probe.flat.length / (probe.size * config.nbSteps * trainSet.channels);
    log(`${spikesPerSample.toFixed(0)} spikes per sample, ${(100 * nonzeroBins).toFixed(1)} % of bins non-zero (generated in ${generateS.toFixed(1)} s)`);

    if (ratioWanted) {
      const network = describeShape(networkShape(config, trainSet.channels, trainSet.classNames.length));
      const ratio = await delaysRatio(
        {
          config,
          // The flags as configFromFlags checked them; absent ones leave the mode's own choices.
          ...(values['delay-sigma'] !== undefined && { sigma: config.delaySigma }),
          ...(values['delay-sigma-decay'] !== undefined && { sigmaDecay: config.delaySigmaDecay }),
          train: trainSet,
          test: testSet,
          ...(bins && { bins }),
          backend,
          workers,
          log,
        },
        network,
        spikesPerSample,
        files ? 'files' : 'generated',
      );
      if (values.json) printJson(ratio);
      else process.stdout.write(delaysRatioTable(ratio) + '\n');
      return 0;
    }

    const epochs: BenchEpoch[] = [];
    const timing: PhaseTiming = {};
    let batchesTimed = 0;
    // CPU time is marked when the trainer is ready ('start') and after each epoch's evaluation and probe.
    let cpuMark = 0;
    let trainCpuS = 0;
    const run = train({ config, train: trainSet, test: testSet, ...(bins && { bins }), backend, timing, loop, workers });
    let history: EpochRecord[] = [];
    for await (const ev of run) {
      if (ev.type === 'start' || ev.type === 'probe') {
        cpuMark = cpuSeconds();
      } else if (ev.type === 'batch') {
        if (ev.batch === ev.batches) trainCpuS = cpuSeconds() - cpuMark;
        if (ev.epoch > 1) batchesTimed++;
        // Phase times leave out the first epoch (JIT warm-up) when there are later ones.
        if (ev.epoch === 1 && ev.batch === ev.batches && config.epochs > 1) for (const k of Object.keys(timing)) delete timing[k as keyof PhaseTiming];
        if (config.epochs === 1) batchesTimed++;
      } else if (ev.type === 'epoch') {
        const r = ev.record;
        cpuMark = cpuSeconds();
        const e: BenchEpoch = {
          epoch: r.epoch,
          train_s: r.train_s,
          train_cpu_s: trainCpuS,
          samples_per_s: trainSamples / r.train_s,
          eval_s: r.eval_s,
          test_acc: r.test_acc,
        };
        epochs.push(e);
        log(`epoch ${r.epoch}: train ${r.train_s.toFixed(2)} s (${e.samples_per_s.toFixed(0)} samples/s), eval ${r.eval_s.toFixed(2)} s, test acc ${r.test_acc.toFixed(3)}`);
      } else if (ev.type === 'error') {
        throw new Error(ev.message);
      } else if (ev.type === 'done') {
        history = ev.history;
      }
    }
    if (!history.length) throw new Error('no epoch completed');
    const medianTrainS = median(epochs.map((e) => e.train_s));
    let referenceReport: ReferenceReport | undefined;
    if (reference && files) {
      // referenceArgs' --epochs is ours; the reference runs its own count.
      const epochsAt = modelArgs.indexOf('--epochs');
      const args = [
        reference.script,
        ...modelArgs.filter((_, i) => i !== epochsAt && i !== epochsAt + 1),
        '--train', files.train,
        '--test', files.test,
        '--channels', String(trainSet.channels),
        '--epochs', String(referenceEpochs),
        '--threads', String(referenceThreads),
        ...(limitBatches ? ['--limit-batches', String(limitBatches)] : []),
      ];
      log(`reference: ${reference.python} ${args.join(' ')}`);
      referenceReport = await runReference(reference, args, referenceThreads, Math.floor(trainSamples / config.batchSize), log);
    }
    const perBatch: PhaseTiming = {};
    for (const [k, v] of Object.entries(timing)) perBatch[k as keyof PhaseTiming] = Math.round((v / Math.max(1, batchesTimed)) * 10) / 10;
    const report: BenchReport = {
      backend,
      tfjs: tf.version.tfjs,
      wasmSimd,
      data: {
        source: files ? 'files' : 'generated',
        ...(files && { files }),
        train_samples: trainSamples,
        test_samples: testSamples,
        channels: trainSet.channels,
        spikes_per_sample: Math.round(spikesPerSample),
        nonzero_bins: nonzeroBins,
        generate_s: generateS,
        ...(caches && { bin_caches: caches }),
      },
      config: {
        network: describeShape(networkShape(config, trainSet.channels, trainSet.classNames.length)),
        neuron: config.neuron,
        layers: config.layers,
        pool: config.pool,
        readout: config.readout,
        learnTau: config.learnTau,
        nbSteps: config.nbSteps,
        batchSize: config.batchSize,
      },
      engine: { loop: backend.name === 'webgpu' ? 'wgsl' : (loop ?? defaultLoop()), workers },
      epochs,
      median_train_s: medianTrainS,
      median_samples_per_s: median(epochs.map((e) => e.samples_per_s)),
      median_eval_s: median(epochs.map((e) => e.eval_s)),
      batch_cpu_ms: perBatch,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      ...(referenceReport && { reference: referenceReport, ratio_to_reference: medianTrainS / referenceReport.median_train_s }),
    };
    if (values.json) {
      printJson(report);
    } else {
      const lines = [
        backend.adapter
          ? `backend            webgpu on ${describeAdapter(backend.adapter)}; ${describeLimits(backend.adapter)}`
          : `backend            ${backend.name} (tfjs ${report.tfjs} "${backend.tfBackend}"${wasmSimd === null ? '' : wasmSimd ? ', SIMD' : ', no SIMD'})`,
        `data               ${trainSamples} train / ${testSamples} test samples, ${trainSet.channels} channels, ${report.data.spikes_per_sample} spikes/sample${files ? (files.temporary ? ' (generated, via SHD-layout files)' : ` (${files.train}, ${files.test})`) : ''}`,
        `network            ${report.config.network}, T=${config.nbSteps} B=${config.batchSize}, ${config.readout} readout${config.learnTau ? ', learned τ' : ''}; ${report.engine.loop} loop, ${workers} worker${workers > 1 ? 's' : ''}`,
        `train s/epoch      ${report.median_train_s.toFixed(2)} (median of ${epochs.length}; ${epochs.map((e) => e.train_s.toFixed(2)).join(', ')})`,
        `train cpu s/epoch  ${epochs.map((e) => e.train_cpu_s.toFixed(2)).join(', ')}`,
        `samples/s          ${report.median_samples_per_s.toFixed(0)}`,
        `eval s (test set)  ${report.median_eval_s.toFixed(2)}`,
        `batch cpu ms       ${backend.name === 'webgpu' ? '— (webgpu: a batch is one GPU submission, not split into CPU phases)' : Object.entries(perBatch).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        `peak RSS           ${report.peak_rss_mb} MB`,
      ];
      if (referenceReport) {
        const r = referenceReport;
        const limited = limitBatches ? ` (${r.epochs[0]?.batches} batches each, scaled to ${Math.floor(trainSamples / config.batchSize)})` : '';
        lines.push(
          `reference s/epoch  ${r.median_train_s.toFixed(2)} (median of ${r.epochs.length}; ${r.epochs.map((e) => e.train_s.toFixed(2)).join(', ')}${limited}; PyTorch, ${r.threads} threads)`,
          `reference eval s   ${median(r.epochs.map((e) => e.eval_s)).toFixed(2)}, test acc ${r.epochs.map((e) => e.test_acc.toFixed(3)).join(', ')}`,
          `ours / reference   ${report.ratio_to_reference!.toFixed(3)}`,
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
    } finally {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  },
};

/** `--reference` may come without its PATH (last, or before another option): it is then `--reference=`. */
function referenceValue(argv: string[]): string[] {
  return argv.map((a, i) => (a === '--reference' && (i === argv.length - 1 || argv[i + 1].startsWith('-')) ? '--reference=' : a));
}

interface ReferenceSetup {
  script: string;
  python: string;
}

/** The repository root: the first folder above this module with the project's package.json (src/ or out/node/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"spiking-workbench"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** The reference script and interpreter, checked before anything is timed. `--reference` alone gives ''. */
function referenceSetup(path: string): ReferenceSetup {
  const root = repoRoot();
  const script = path === '' ? join(root, '..', 'shared', 'reference', 'snn_reference.py') : resolve(path);
  if (!existsSync(script)) throw new CliError(`--reference: ${script} not found`, 2);
  const python = process.env.SNN_REFERENCE_PYTHON || '/usr/bin/python3';
  if (!existsSync(python)) throw new CliError(`--reference: the interpreter ${python} is not there (set $SNN_REFERENCE_PYTHON)`, 2);
  return { script, python };
}

/** Runs a process to the end; stdout is kept, stderr lines go to `onErr`. Rejects with its stderr tail on failure. */
function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, onStdoutLine?: (line: string) => void): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      partial += s;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) onStdoutLine?.(l);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', (e) => fail(new CliError(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) done(out);
      else fail(new CliError(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${err.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}

/** The generated set as an SHD-layout file: raw arrays from here, HDF5 (vlen, float16 times) by scripts/writeShdFile.py. */
async function writeShdFile(python: string, ds: SpikeDataset, out: string): Promise<void> {
  const prefix = out.replace(/\.h5$/, '') + '.raw';
  const raw = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(`${prefix}.json`, JSON.stringify({ samples: ds.samples, channels: ds.channels, class_names: ds.classNames }));
  writeFileSync(`${prefix}.labels`, raw(ds.labels));
  writeFileSync(`${prefix}.offsets`, raw(ds.offsets));
  writeFileSync(`${prefix}.times`, raw(ds.times));
  writeFileSync(`${prefix}.units`, raw(ds.units));
  try {
    await runProcess(python, [join(repoRoot(), 'scripts', 'writeShdFile.py'), prefix, out], process.env);
  } finally {
    for (const ext of ['json', 'labels', 'offsets', 'times', 'units']) rmSync(`${prefix}.${ext}`, { force: true });
  }
}

/** Runs the reference, logging each epoch, and reads its JSON lines (one per epoch, then a summary). */
async function runReference(ref: ReferenceSetup, args: string[], threads: number, fullBatches: number, log: (line: string) => void): Promise<ReferenceReport> {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
  const epochs: ReferenceEpoch[] = [];
  let loadS: number | null = null;
  // Python's json writes NaN (the mean loss of an epoch without batches); JSON has no such token.
  const parse = (line: string): Record<string, unknown> | null => {
    if (!line.startsWith('{')) return null;
    try {
      return JSON.parse(line.replace(/\bNaN\b/g, 'null')) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  const num = (x: unknown) => (typeof x === 'number' ? x : NaN);
  const stdout = await runProcess(ref.python, args, env, (line) => {
    const r = parse(line);
    if (r && !r.summary) log(`reference epoch ${r.epoch}: train ${num(r.train_s).toFixed(2)} s (${r.batches} batches), eval ${num(r.eval_s).toFixed(2)} s, test acc ${num(r.test_acc).toFixed(3)}`);
  });
  for (const line of stdout.split('\n')) {
    const r = parse(line);
    if (!r) continue;
    if (r.summary) loadS = typeof r.load_s === 'number' ? r.load_s : null;
    else epochs.push({ epoch: num(r.epoch), train_s: num(r.train_s), eval_s: num(r.eval_s), test_acc: num(r.test_acc), loss: num(r.loss), batches: num(r.batches) });
  }
  if (!epochs.length) throw new CliError(`the reference printed no epoch:\n${stdout.slice(-2000)}`);
  if (epochs.some((e) => !(e.batches > 0))) {
    throw new CliError(`the reference trained no batch: it drops a partial batch, so it needs at least --batch samples (give a smaller --batch)`);
  }
  const scaled = epochs.map((e) => (e.batches > 0 && e.batches < fullBatches ? (e.train_s * fullBatches) / e.batches : e.train_s));
  return { script: ref.script, python: ref.python, args, threads, epochs, median_train_s: median(scaled), load_s: loadS };
}
