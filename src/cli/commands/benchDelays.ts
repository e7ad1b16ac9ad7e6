/**
 * `bench --delays-ratio`: what learnable recurrent delays cost on this machine (issue 26's speed bound: a 2 × 128
 * recurrent LIF with recurrent delays, D_max 25, costs ≤ 1.3× the same network without them per SHD-size epoch).
 * The same network is trained without delays and with them at each kernel spread σ (0, 1 and 10 unless
 * --delay-sigma names one), one epoch of each in turn, so that a drift in the machine's speed (other users of
 * the cores) reaches every side alike. σ is held for the whole run (σ decay 1 unless --delay-sigma-decay says
 * otherwise): at σ = 0 each delayed spike reaches two steps (the fractional delay's two taps), at σ = S about
 * 2(1 + S) steps. Epoch 1 (JIT warm-up) is left out of the medians when there are later ones. Next to each ratio
 * go the hidden layers' spike rates on the test set after the last epoch: the delays' cost grows with the spikes.
 */
import type { TrainConfig } from '../../shared/config';
import type { BackendReport, EpochRecord, LayerActivity, TrainEvent } from '../../shared/events';
import type { DatasetIndex, SpikeDataset } from '../../services/data/spikeDataset';
import type { PhaseTiming } from '../../services/engine/run/network';
import type { FileBins } from '../../services/engine/training/trainingSet';
import type { TrainingCheckpoint } from '../../services/engine/model/modelState';
import { train } from '../../services/engine/training/trainer';
import { CliError } from '../cliError';

/** The spreads timed when --delay-sigma is not given. */
export const RATIO_SIGMAS = [0, 1, 10] as const;
/** D_max when --rec-delay-max is not given. */
export const RATIO_DELAY_MAX = 25;

export interface DelaysRatioSide {
  /** 'without', or 'σ=S'. */
  label: string;
  /** The kernel spread during training; null without delays. */
  sigma: number | null;
  rec_delay_max: number;
  /** Training seconds of every epoch (evaluation not included). */
  epochs_train_s: number[];
  /** CPU seconds the process (worker threads included) spent training each epoch: less moved by other users' load. */
  epochs_train_cpu_s: number[];
  /** Median over the epochs after the first (over all of them when there is one). */
  median_train_s: number;
  median_train_cpu_s: number;
  /** CPU milliseconds per training batch by phase, after epoch 1 (--workers 1 only; empty otherwise). */
  batch_cpu_ms: PhaseTiming;
  /** The hidden layers' activity on the test set after the last epoch (delays rounded to whole steps there). */
  layers: { layer: number; spikes_per_sample: number; spikes_per_neuron_step: number; rate_hz: number }[];
  test_acc: number;
  /** median_train_s / the side without delays' (absent on that side). */
  ratio?: number;
  /** The same for CPU seconds. */
  cpu_ratio?: number;
}

export interface DelaysRatioReport {
  backend: BackendReport;
  data: { source: 'generated' | 'files'; train_samples: number; test_samples: number; channels: number; spikes_per_sample: number };
  config: { network: string; nbSteps: number; batchSize: number; recDelayInit: { lo: number; hi: number }; delaySigmaDecay: number; epochs: number; workers: number };
  without: DelaysRatioSide;
  with: DelaysRatioSide[];
}

export interface DelaysRatioInputs {
  /** The network as the flags give it; its recurrent delays are switched off for the side without. */
  config: TrainConfig;
  /** --delay-sigma when given (then the only spread timed). */
  sigma?: number;
  /** --delay-sigma-decay when given; otherwise 1 (σ held). */
  sigmaDecay?: number;
  train: SpikeDataset | DatasetIndex;
  test: SpikeDataset | DatasetIndex;
  bins?: FileBins;
  backend: BackendReport;
  workers: number;
  log: (line: string) => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The configs of every side: [without, σ₀, σ₁, …]. */
export function ratioConfigs(inputs: Pick<DelaysRatioInputs, 'config' | 'sigma' | 'sigmaDecay'>): { label: string; sigma: number | null; config: TrainConfig }[] {
  const { config } = inputs;
  if (!config.layers.some((l) => l.recurrent)) throw new CliError('--delays-ratio: recurrent delays need a recurrent layer (the network has none)', 2);
  const recDelayMax = config.recDelayMax > 0 ? config.recDelayMax : RATIO_DELAY_MAX;
  const sigmas = inputs.sigma === undefined ? [...RATIO_SIGMAS] : [inputs.sigma];
  const delaySigmaDecay = inputs.sigmaDecay ?? 1;
  return [
    { label: 'without', sigma: null, config: { ...config, recDelayMax: 0 } },
    ...sigmas.map((s) => ({ label: `σ=${s}`, sigma: s, config: { ...config, recDelayMax, delaySigma: s, delaySigmaDecay } })),
  ];
}

type Run = AsyncGenerator<TrainEvent, TrainingCheckpoint>;

function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/**
 * Pulls a run's events up to its next 'epoch' event (null when it ended), with the CPU seconds of its training
 * batches (from the trainer's 'start', or the last epoch's probe, to the epoch's last batch: only this run works
 * meanwhile); clears `timing` after epoch 1's last batch.
 */
async function nextEpoch(run: Run, timing: PhaseTiming, epochs: number): Promise<{ ev: Extract<TrainEvent, { type: 'epoch' }>; cpuS: number } | null> {
  let mark = cpuSeconds();
  let cpuS = 0;
  for (;;) {
    const { value, done } = await run.next();
    if (done) return null;
    if (value.type === 'error') throw new Error(value.message);
    if (value.type === 'start' || value.type === 'probe') mark = cpuSeconds();
    if (value.type === 'batch' && value.batch === value.batches) {
      cpuS = cpuSeconds() - mark;
      if (value.epoch === 1 && epochs > 1) for (const k of Object.keys(timing)) delete timing[k as keyof PhaseTiming];
    }
    if (value.type === 'epoch') return { ev: value, cpuS };
  }
}

function sideReport(label: string, sigma: number | null, config: TrainConfig, records: EpochRecord[], cpuS: number[], layers: LayerActivity[], timing: PhaseTiming, batches: number): DelaysRatioSide {
  const times = records.map((r) => r.train_s);
  const after = (xs: number[]) => (xs.length > 1 ? xs.slice(1) : xs);
  const perBatch: PhaseTiming = {};
  for (const [k, v] of Object.entries(timing)) perBatch[k as keyof PhaseTiming] = Math.round((v / Math.max(1, batches)) * 10) / 10;
  return {
    label,
    sigma,
    rec_delay_max: config.recDelayMax,
    epochs_train_s: times,
    epochs_train_cpu_s: cpuS,
    median_train_s: median(after(times)),
    median_train_cpu_s: median(after(cpuS)),
    batch_cpu_ms: perBatch,
    layers: layers.map((l) => ({
      layer: l.layer,
      spikes_per_sample: l.spikesPerSample,
      spikes_per_neuron_step: l.spikesPerSample / (l.neurons * config.nbSteps),
      rate_hz: l.rateHz,
    })),
    test_acc: records[records.length - 1]?.test_acc ?? NaN,
  };
}

/** Trains every side one epoch at a time, in turn, and reports the medians and ratios. */
export async function delaysRatio(inputs: DelaysRatioInputs, network: string, spikesPerSample: number, source: 'generated' | 'files'): Promise<DelaysRatioReport> {
  const sides = ratioConfigs(inputs);
  const epochs = sides[0].config.epochs;
  const runs = sides.map((s) => {
    const timing: PhaseTiming = {};
    const run = train({
      config: s.config,
      train: inputs.train,
      test: inputs.test,
      ...(inputs.bins && { bins: inputs.bins }),
      backend: inputs.backend,
      workers: inputs.workers,
      ...(inputs.workers === 1 && { timing }),
    });
    return { ...s, run, timing, records: [] as EpochRecord[], cpuS: [] as number[], layers: [] as LayerActivity[] };
  });
  try {
    for (let e = 1; e <= epochs; e++) {
      for (const r of runs) {
        const next = await nextEpoch(r.run, r.timing, epochs);
        if (!next) throw new Error(`${r.label}: the run ended before epoch ${e}`);
        const { ev } = next;
        r.records.push(ev.record);
        r.cpuS.push(next.cpuS);
        r.layers = ev.activity?.layers ?? [];
        const rates = r.layers.map((l) => (l.spikesPerSample / (l.neurons * r.config.nbSteps)).toFixed(4)).join('/');
        inputs.log(`epoch ${e} ${r.label.padEnd(7)} train ${ev.record.train_s.toFixed(2)} s (cpu ${next.cpuS.toFixed(2)} s), spikes per neuron and step ${rates}`);
      }
    }
    // Let every run finish (its worker pool closes).
    for (const r of runs) while (!(await r.run.next()).done);
  } finally {
    await Promise.all(runs.map((r) => r.run.return(undefined as never)));
  }
  const batchesPerEpoch = Math.ceil(inputs.train.samples / inputs.config.batchSize);
  const timedBatches = batchesPerEpoch * (epochs > 1 ? epochs - 1 : 1);
  const [without, ...rest] = runs.map((r) => sideReport(r.label, r.sigma, r.config, r.records, r.cpuS, r.layers, r.timing, timedBatches));
  const withDelays = rest.map((s) => ({ ...s, ratio: s.median_train_s / without.median_train_s, cpu_ratio: s.median_train_cpu_s / without.median_train_cpu_s }));
  const c = runs[1].config;
  return {
    backend: inputs.backend,
    data: { source, train_samples: inputs.train.samples, test_samples: inputs.test.samples, channels: inputs.train.channels, spikes_per_sample: Math.round(spikesPerSample) },
    config: { network, nbSteps: c.nbSteps, batchSize: c.batchSize, recDelayInit: { ...c.recDelayInit }, delaySigmaDecay: c.delaySigmaDecay, epochs, workers: inputs.workers },
    without,
    with: withDelays,
  };
}

/** The report as a table. */
export function delaysRatioTable(r: DelaysRatioReport): string {
  const rates = (s: DelaysRatioSide) => s.layers.map((l) => l.spikes_per_neuron_step.toFixed(4)).join(' / ');
  const timed = r.config.epochs > 1 ? `epochs 2–${r.config.epochs}` : 'epoch 1';
  const lines = [
    `backend            ${r.backend.name}`,
    `data               ${r.data.train_samples} train / ${r.data.test_samples} test samples, ${r.data.channels} channels, ${r.data.spikes_per_sample} spikes/sample`,
    `network            ${r.config.network}, T=${r.config.nbSteps} B=${r.config.batchSize}; recurrent delays initially ${r.config.recDelayInit.lo}–${r.config.recDelayInit.hi} steps, σ decay ${r.config.delaySigmaDecay}; ${r.config.workers} worker${r.config.workers > 1 ? 's' : ''}`,
    '',
    `medians over ${timed}; spike rates: spikes per neuron and step on the test set, per layer`,
    `side      D_max  s/epoch  ratio  cpu s/epoch  cpu ratio  spike rates      epochs s (cpu s)`,
  ];
  for (const s of [r.without, ...r.with]) {
    const ratio = (x: number | undefined) => (x === undefined ? '1' : x.toFixed(3)).padStart(5);
    const epochs = s.epochs_train_s.map((x, i) => `${x.toFixed(2)} (${s.epochs_train_cpu_s[i].toFixed(2)})`).join(', ');
    lines.push(
      `${s.label.padEnd(9)} ${String(s.rec_delay_max).padStart(5)}  ${s.median_train_s.toFixed(2).padStart(7)}  ${ratio(s.ratio)}  ${s.median_train_cpu_s.toFixed(2).padStart(11)}  ${ratio(s.cpu_ratio).padStart(9)}  ${rates(s).padEnd(15)}  ${epochs}`,
    );
  }
  const phases = [r.without, ...r.with].filter((s) => Object.keys(s.batch_cpu_ms).length);
  if (phases.length) lines.push('', 'batch cpu ms (after epoch 1)');
  for (const s of phases) lines.push(`${s.label.padEnd(9)} ${Object.entries(s.batch_cpu_ms).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}
