/**
 * A report card: N seeds of one config, trained through a sweep (seedsSweep.ts), summarised for a paper — the
 * selected epoch's test accuracy per seed with its binomial interval, their mean ± standard deviation with the t
 * interval of the mean, and what a reader needs to reproduce it (config, protocol, data fingerprints, backend,
 * time). services/reportCard builds it from the sweep folder and writes it as Markdown and CSV beside it; the
 * app shows it from this shape. Plain data, JSON-safe.
 */
import type { TrainConfig } from './config';
import type { RowState } from './sweep';

export interface CardInterval {
  low: number;
  high: number;
}

/** One seed's run. Accuracies are fractions 0…1; null where the run has none (failed, missing, no validation). */
export interface SeedRow {
  task: string;
  seed: number;
  status: RowState;
  epochsRun: number;
  selectedEpoch: number | null;
  stoppedEarly: boolean;
  /** Validation accuracy at the selected epoch. */
  valAcc: number | null;
  /** Test accuracy at the selected epoch: the number the card pools. */
  testAcc: number | null;
  /** Correct test samples (testAcc × testSamples, rounded) and the test set's size. */
  testCorrect: number | null;
  testSamples: number | null;
  /** Wilson 95 % interval of testAcc as a binomial proportion over the test samples. */
  testInterval: CardInterval | null;
  wallS: number | null;
  /** The run's session file, where it wrote one. */
  session: string | null;
  error?: string;
}

/** The seeds that finished, pooled. */
export interface PooledRow {
  /** Seeds pooled (those done). */
  n: number;
  meanTestAcc: number | null;
  /** Sample standard deviation over seeds (n − 1); null below 2 seeds. */
  stdTestAcc: number | null;
  /** Student's t 95 % interval of the mean over seeds; null below 2 seeds. */
  meanInterval: CardInterval | null;
  /** t(0.975, n − 1), the quantile the interval used. */
  tQuantile: number | null;
  minTestAcc: number | null;
  maxTestAcc: number | null;
  meanValAcc: number | null;
  /** Sum of the seeds' wall times, and first start to last end (shorter when seeds ran side by side). */
  totalWallS: number | null;
  elapsedS: number | null;
}

export interface CardData {
  /** What the user called the data (a dataset name or the training file's path). */
  name: string;
  trainFingerprint: string | null;
  testFingerprint: string | null;
  trainSamples: number | null;
  testSamples: number | null;
}

export interface CardProtocol {
  /** The validation split in one line, its kind and size. */
  validation: string;
  validationKind: string;
  validationSamples: number;
  /** How the epoch is selected and when a run stops, in one sentence. */
  selection: string;
  patience: number;
  /** Epochs asked for, and run per seed (row order). */
  epochs: number;
  epochsRun: number[];
}

export interface ReportCard {
  name: string;
  /** The sweep folder. */
  dir: string;
  /** ISO 8601, when the card was made. */
  created: string;
  appVersion: string;
  /** The seeds the sweep asked for, and how many finished. */
  seeds: number[];
  done: number;
  config: TrainConfig | null;
  /** The preset the config is closest to, and the options that differ from it (seed aside). */
  closestPreset: { id: string; differences: { key: string; value: string; preset: string }[] } | null;
  protocol: CardProtocol | null;
  data: CardData | null;
  /** The backend in one line (name and what it runs on). */
  backend: string | null;
  rows: SeedRow[];
  pooled: PooledRow;
  /** What each interval is, for the reader. */
  notes: string[];
  /** What a reader should know before quoting it: unfinished seeds, seeds whose data or config differ. */
  warnings: string[];
}

/** What `sweeps.reportCard` answers: the card, its two texts, and where they were written. */
export interface ReportCardResult {
  card: ReportCard;
  markdown: string;
  csv: string;
  files: { markdown: string; csv: string };
}
