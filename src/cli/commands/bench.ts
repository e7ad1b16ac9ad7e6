/**
 * `bench`: how fast the engine trains at SHD size on this machine. Generates SHD-like data (8156 training and
 * 2264 test samples, 700 channels, ≈ 10 k spikes per sample; see syntheticShd.ts), trains the seed network
 * (T = 100, H = 128, B = 256 unless overridden) for a few epochs through the real trainer, and reports
 * seconds per epoch, samples/s, the time to evaluate every test sample, peak RSS and the backend, plus where
 * a training batch spends its CPU time. The first epoch includes JIT warm-up; the summary uses the median.
 */
import * as tf from '@tensorflow/tfjs';
import { parseFlags, numberFlag, printJson, printUsage } from '../args';
import { backendFlag, BACKEND_COMMAND_FLAGS, BACKEND_HELP } from '../backendFlag';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { CONFIG_FLAGS, configFlagsHelp, configFromFlags } from '../configFlags';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { BackendReport, EpochRecord } from '../../shared/events';
import { describeBackend, selectBackend } from '../../services/engine/backendSelect';
import { defaultLoop, type LoopKind, type PhaseTiming } from '../../services/engine/network';
import { describeShape, networkShape } from '../../services/engine/modelState';
import { makeSyntheticShd } from '../../services/engine/syntheticShd';
import { train } from '../../services/engine/trainer';
import { defaultWorkers } from '../../services/engine/workerPool';
import { binBatch } from '../../services/data/binning';

/** The seed network, timed for a few epochs rather than a full run's. */
const BENCH_DEFAULTS = { ...DEFAULT_CONFIG, epochs: 3 };

const USAGE = `usage: npm run cli -- bench [--json] [--backend X] [--epochs N] [--train-samples N] [--test-samples N] [model options]

  --train-samples N     generated training samples (default 8156, as SHD)
  --test-samples N      generated test samples (default 2264, as SHD)
  --loop fused|tensor   engine detail: fused SIMD kernels or tfjs ops per step (default: fused on wasm/cpu)
  --workers N           worker threads each batch is split over (fused loop only; default: min(2, cores)
                        there, else 1)
  --json                the results as JSON on stdout
${BACKEND_HELP}

${configFlagsHelp(BENCH_DEFAULTS)}

The first epoch includes JIT warm-up; the summary uses the median over the epochs.`;

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
  data: { train_samples: number; test_samples: number; channels: number; spikes_per_sample: number; nonzero_bins: number; generate_s: number };
  config: { network: string; neuron: string; layers: { size: number; recurrent: boolean; dropout: number }[]; pool: number; readout: string; learnTau: boolean; nbSteps: number; batchSize: number };
  engine: { loop: LoopKind; workers: number };
  epochs: BenchEpoch[];
  median_train_s: number;
  median_samples_per_s: number;
  median_eval_s: number;
  /** CPU milliseconds per training batch by phase (all epochs after the first; main thread, so one worker only). */
  batch_cpu_ms: PhaseTiming;
  peak_rss_mb: number;
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
    const { values } = parseFlags(argv, {
      ...CONFIG_FLAGS,
      'train-samples': { type: 'string' },
      'test-samples': { type: 'string' },
      loop: { type: 'string' },
      workers: { type: 'string' },
      ...BACKEND_COMMAND_FLAGS,
    });
    if (values.help) return printUsage(USAGE);
    const config = configFromFlags(values, BENCH_DEFAULTS);
    const trainSamples = positiveInt('train-samples', values['train-samples'], 8156);
    const testSamples = positiveInt('test-samples', values['test-samples'], 2264);
    const log = (line: string) => process.stderr.write(line + '\n');
    const choice = <T extends string>(flag: string, value: string | undefined, options: readonly T[]): T | undefined => {
      if (value === undefined) return undefined;
      if (!options.includes(value as T)) throw new CliError(`--${flag} must be one of ${options.join(', ')} (got "${value}")`, 2);
      return value as T;
    };
    const loop = choice<LoopKind>('loop', values.loop, ['fused', 'tensor']);

    const backend = await selectBackend(backendFlag(values.backend));
    log(describeBackend(backend));
    const workers = positiveInt('workers', values.workers, defaultWorkers(loop));
    const wasmSimd = backend.tfBackend === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null;

    log(`generating ${trainSamples} + ${testSamples} SHD-like samples…`);
    const genStart = performance.now();
    const trainSet = makeSyntheticShd({ samples: trainSamples, seed: 1, split: 'train' });
    const testSet = makeSyntheticShd({ samples: testSamples, seed: 1, split: 'test' });
    const generateS = (performance.now() - genStart) / 1000;
    const spikesPerSample = trainSet.offsets[trainSet.samples] / trainSet.samples;
    const probe = binBatch(trainSet, Array.from({ length: Math.min(256, trainSamples) }, (_, i) => i), config);
    const nonzeroBins = probe.flat.length / (probe.size * config.nbSteps * trainSet.channels);
    log(`${spikesPerSample.toFixed(0)} spikes per sample, ${(100 * nonzeroBins).toFixed(1)} % of bins non-zero (generated in ${generateS.toFixed(1)} s)`);

    const epochs: BenchEpoch[] = [];
    const timing: PhaseTiming = {};
    let batchesTimed = 0;
    // CPU time is marked when the trainer is ready ('start') and after each epoch's evaluation and probe.
    let cpuMark = 0;
    let trainCpuS = 0;
    const run = train({ config, train: trainSet, test: testSet, backend, timing, loop, workers });
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
    const perBatch: PhaseTiming = {};
    for (const [k, v] of Object.entries(timing)) perBatch[k as keyof PhaseTiming] = Math.round((v / Math.max(1, batchesTimed)) * 10) / 10;
    const report: BenchReport = {
      backend,
      tfjs: tf.version.tfjs,
      wasmSimd,
      data: {
        train_samples: trainSamples,
        test_samples: testSamples,
        channels: trainSet.channels,
        spikes_per_sample: Math.round(spikesPerSample),
        nonzero_bins: nonzeroBins,
        generate_s: generateS,
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
      engine: { loop: loop ?? defaultLoop(), workers },
      epochs,
      median_train_s: median(epochs.map((e) => e.train_s)),
      median_samples_per_s: median(epochs.map((e) => e.samples_per_s)),
      median_eval_s: median(epochs.map((e) => e.eval_s)),
      batch_cpu_ms: perBatch,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (values.json) {
      printJson(report);
    } else {
      const lines = [
        `backend            ${backend.name} (tfjs ${report.tfjs} "${backend.tfBackend}"${wasmSimd === null ? '' : wasmSimd ? ', SIMD' : ', no SIMD'})`,
        `data               ${trainSamples} train / ${testSamples} test samples, ${trainSet.channels} channels, ${report.data.spikes_per_sample} spikes/sample`,
        `network            ${report.config.network}, T=${config.nbSteps} B=${config.batchSize}, ${config.readout} readout${config.learnTau ? ', learned τ' : ''}; ${report.engine.loop} loop, ${workers} worker${workers > 1 ? 's' : ''}`,
        `train s/epoch      ${report.median_train_s.toFixed(2)} (median of ${epochs.length}; ${epochs.map((e) => e.train_s.toFixed(2)).join(', ')})`,
        `train cpu s/epoch  ${epochs.map((e) => e.train_cpu_s.toFixed(2)).join(', ')}`,
        `samples/s          ${report.median_samples_per_s.toFixed(0)}`,
        `eval s (test set)  ${report.median_eval_s.toFixed(2)}`,
        `batch cpu ms       ${Object.entries(perBatch).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        `peak RSS           ${report.peak_rss_mb} MB`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  },
};
