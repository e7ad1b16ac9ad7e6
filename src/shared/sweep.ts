/**
 * A hyperparameter sweep, in the CLI's own vocabulary: every key of `base`, `grid` and `random` is a `train` flag
 * without its dashes ("tau-mem", "hidden", "seed", "learn-tau"), every value what that flag takes. The CLI, the
 * SLURM array tasks and the app all read this one shape.
 *
 *   {"config": TrainConfig?, "preset": NAME?, "base": {flag: value}, "grid": {flag: [values]},
 *    "random": {flag: {"uniform" | "log-uniform" | "int-uniform": [lo, hi]} | {"choice": [values]}},
 *    "draws": N, "seed": S, "data": {"train": FILE, "test": FILE} | {"dataset": NAME},
 *    "metric": NAME, "backend": NAME}
 *
 * Tasks are the grid's cartesian product (in key order, the last key fastest) times `draws` random draws per
 * grid point (default 1), each draw a hash of (seed, task, flag): the same spec always gives the same table.
 * A boolean flag value `true` passes `--flag`, `false` passes `--no-flag` (the flags that have one). `config`
 * (a whole TrainConfig, what the app's form holds) is passed as train's `--config` and is the base the flags
 * override.
 */
import { configErrors, type TrainConfig } from './config';
import type { FlagProblem } from './configFlags';

export type FlagValue = string | number | boolean;

export type RandomDraw =
  | { uniform: [number, number] }
  | { 'log-uniform': [number, number] }
  | { 'int-uniform': [number, number] }
  | { choice: FlagValue[] };

export type SweepData = { train: string; test: string; validation?: string } | { dataset: string };

/** What a run is ranked by: a field of its `train --report` (validation accuracy at the selected epoch by default). */
export const SWEEP_METRICS = ['val_acc_selected', 'test_acc_selected', 'final_test_acc', 'final_val_acc', 'final_train_loss'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];
/** Metrics where lower is better. */
export const LOWER_IS_BETTER: readonly SweepMetric[] = ['final_train_loss'];

export interface SweepSpec {
  name?: string;
  /** The base config (train --config), before the preset and the flags. */
  config?: TrainConfig;
  preset?: string;
  base?: Record<string, FlagValue>;
  grid?: Record<string, FlagValue[]>;
  random?: Record<string, RandomDraw>;
  draws?: number;
  seed?: number;
  data: SweepData;
  metric?: SweepMetric;
  /** train's --backend (default auto). */
  backend?: string;
}

/** One row of the task table. */
export interface SweepTask {
  index: number;
  /** "t000", "t001", …: the task's directory under the sweep directory. */
  id: string;
  /** The values of the flags that vary across the sweep (grid and random), by flag. */
  varied: Record<string, FlagValue>;
  /** The whole `train` command line after `train`, without --out/--report (added per run). */
  args: string[];
}

/**
 * A task as `train` would read it (services/sweeps/taskConfig.ts): each problem belongs to the varied flag whose
 * value causes it (`flag`: a cell of the task table), or to the task as a whole (`flag` null: the base config or a
 * combination of values).
 */
export interface CheckedSweepTask extends SweepTask {
  problems: FlagProblem[];
}

/** Flags a sweep does not set per task: the run's own files, and what the spec has keys for. */
export const RESERVED_FLAGS: readonly string[] = ['out', 'resume', 'report', 'json', 'help', 'config', 'preset', 'train', 'test', 'validation', 'dataset', 'backend'];

const KEYS = ['name', 'config', 'preset', 'base', 'grid', 'random', 'draws', 'seed', 'data', 'metric', 'backend'];
export const MAX_SWEEP_TASKS = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFlagValue = (v: unknown): v is FlagValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function flagNameErrors(where: string, name: string): string[] {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return [`${where}: "${name}" is not a flag name (write it as on the command line without the dashes, e.g. "tau-mem")`];
  if (RESERVED_FLAGS.includes(name)) return [`${where}: "${name}" is not set per task (${['config', 'preset', 'train', 'test', 'validation', 'dataset', 'backend'].includes(name) ? 'use the spec\'s own key' : 'the sweep sets it'})`];
  return [];
}

/** Every problem with a parsed spec, one line each (empty when it is valid). */
export function sweepSpecErrors(value: unknown): string[] {
  if (!isObject(value)) return ['the sweep spec must be a JSON object'];
  const errors: string[] = [];
  for (const k of Object.keys(value)) if (!KEYS.includes(k)) errors.push(`unknown key "${k}" (keys: ${KEYS.join(', ')})`);
  if (value.name !== undefined && typeof value.name !== 'string') errors.push('name must be a string');
  if (value.preset !== undefined && typeof value.preset !== 'string') errors.push('preset must be a preset name');
  if (value.config !== undefined) errors.push(...configErrors(value.config).map((e) => `config: ${e.message}`));
  if (value.backend !== undefined && typeof value.backend !== 'string') errors.push('backend must be a backend name');
  if (value.base !== undefined) {
    if (!isObject(value.base)) errors.push('base must be an object {flag: value}');
    else for (const [f, v] of Object.entries(value.base)) errors.push(...flagNameErrors('base', f), ...(isFlagValue(v) ? [] : [`base.${f} must be a string, number or boolean`]));
  }
  const varied = new Set<string>();
  if (value.grid !== undefined) {
    if (!isObject(value.grid)) errors.push('grid must be an object {flag: [values]}');
    else {
      for (const [f, v] of Object.entries(value.grid)) {
        errors.push(...flagNameErrors('grid', f));
        if (!Array.isArray(v) || v.length === 0 || !v.every(isFlagValue)) errors.push(`grid.${f} must be a non-empty list of strings, numbers or booleans`);
        varied.add(f);
      }
    }
  }
  if (value.random !== undefined) {
    if (!isObject(value.random)) errors.push('random must be an object {flag: {"uniform": [lo, hi]}}');
    else {
      for (const [f, d] of Object.entries(value.random)) {
        errors.push(...flagNameErrors('random', f));
        if (varied.has(f)) errors.push(`random.${f}: "${f}" is in the grid too`);
        varied.add(f);
        errors.push(...drawErrors(f, d));
      }
    }
  }
  if (isObject(value.base)) for (const f of Object.keys(value.base)) if (varied.has(f)) errors.push(`base.${f}: "${f}" also varies (grid or random); drop it from base`);
  if (value.draws !== undefined && !(Number.isInteger(value.draws) && (value.draws as number) >= 1)) errors.push('draws must be an integer ≥ 1');
  if (value.draws !== undefined && value.random === undefined) errors.push('draws needs random: flags to draw');
  if (value.seed !== undefined && !(Number.isInteger(value.seed) && (value.seed as number) >= 0 && (value.seed as number) <= 0xffffffff)) errors.push('seed must be an integer 0…4294967295');
  if (value.metric !== undefined && !SWEEP_METRICS.includes(value.metric as SweepMetric)) errors.push(`metric must be one of ${SWEEP_METRICS.join(', ')}`);
  const d = value.data;
  if (!isObject(d)) errors.push('data must be {"train": FILE, "test": FILE} or {"dataset": NAME}');
  else if ('dataset' in d) {
    if (typeof d.dataset !== 'string' || Object.keys(d).length !== 1) errors.push('data: {"dataset": NAME} takes only the dataset name');
  } else if (typeof d.train !== 'string' || typeof d.test !== 'string' || (d.validation !== undefined && typeof d.validation !== 'string') || Object.keys(d).some((k) => !['train', 'test', 'validation'].includes(k))) {
    errors.push('data must be {"train": FILE, "test": FILE, "validation"?: FILE} or {"dataset": NAME}');
  }
  if (errors.length === 0) {
    const n = taskCount(value as unknown as SweepSpec);
    if (n > MAX_SWEEP_TASKS) errors.push(`the sweep has ${n} tasks, more than ${MAX_SWEEP_TASKS}`);
  }
  return errors;
}

function drawErrors(f: string, d: unknown): string[] {
  if (!isObject(d) || Object.keys(d).length !== 1) return [`random.${f} must be one of {"uniform": [lo, hi]}, {"log-uniform": [lo, hi]}, {"int-uniform": [lo, hi]}, {"choice": [values]}`];
  const [kind, range] = Object.entries(d)[0];
  if (kind === 'choice') return Array.isArray(range) && range.length > 0 && range.every(isFlagValue) ? [] : [`random.${f}.choice must be a non-empty list of values`];
  if (!['uniform', 'log-uniform', 'int-uniform'].includes(kind)) return [`random.${f}: unknown distribution "${kind}" (uniform, log-uniform, int-uniform, choice)`];
  if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => typeof x === 'number' && Number.isFinite(x)) || range[0] > range[1]) {
    return [`random.${f}.${kind} must be [lo, hi] with lo ≤ hi`];
  }
  if (kind === 'log-uniform' && range[0] <= 0) return [`random.${f}.log-uniform needs lo > 0`];
  if (kind === 'int-uniform' && !range.every(Number.isInteger)) return [`random.${f}.int-uniform needs integer bounds`];
  return [];
}

export function taskCount(spec: SweepSpec): number {
  const grid = Object.values(spec.grid ?? {}).reduce((n, v) => n * v.length, 1);
  return grid * (spec.random ? (spec.draws ?? 1) : 1);
}

/** `value` as the flag's command-line arguments. */
export function flagArgs(flag: string, value: FlagValue): string[] {
  if (value === true) return [`--${flag}`];
  if (value === false) return [`--no-${flag}`];
  return [`--${flag}`, String(value)];
}

/* ------------------------------------------------------------ collected */

/** A task's state in a collected sweep. */
export type RowState = 'done' | 'failed' | 'running' | 'stopped' | 'missing';

export interface SweepRow {
  id: string;
  index: number;
  status: RowState;
  varied: Record<string, FlagValue>;
  /** The sweep's metric, or null where the run has none (yet). */
  metric: number | null;
  epochs: number;
  selected_epoch: number | null;
  val_acc_selected: number | null;
  test_acc_selected: number | null;
  final_test_acc: number | null;
  final_val_acc: number | null;
  final_train_loss: number | null;
  wall_s: number | null;
  host: string | null;
  error?: string;
  /** The run's session file, where one was written. */
  session: string | null;
}

export interface SweepTable {
  name: string;
  dir: string;
  metric: SweepMetric;
  /** The flags that vary, in the spec's order (the table's columns). */
  fields: string[];
  rows: SweepRow[];
  counts: Record<RowState, number>;
}

