/**
 * The Sweeps view's logic, apart from the DOM: the spec built from the form's config and dataset and the values
 * typed for the varied fields (sweepFields.ts), and the table's filter, sort and scatter points.
 */
import type { TrainConfig } from '../../../shared/config';
import type { CheckedSweepTask, FlagValue, SweepRow, SweepSpec, SweepTable } from '../../../shared/sweep';
import type { DatasetRef } from '../../../shared/workbenchApi';
import { describeRef } from './datasetRef';
import { displayNumber, displayValue, parseValues } from './sweepFields';

export { parseValues } from './sweepFields';

/**
 * The sweep's data from the form's dataset, as `sweep` on the CLI takes it: files by path, a catalog set by name,
 * and the demo set by name when it is the CLI's (`--dataset demo`: seed 0, the default sizes), which is all the
 * CLI can generate. The error says why another demo set cannot be swept.
 */
export function sweepData(ref: DatasetRef | null): { data: SweepSpec['data'] } | { error: string } {
  if (!ref) return { error: 'Choose a dataset on the Data & model tab: the sweep trains on it.' };
  if (ref.kind === 'catalog') return { data: { dataset: ref.name } };
  if (ref.kind === 'files') return { data: { train: ref.trainPath, test: ref.testPath } };
  if (ref.seed === undefined && ref.trainSamples === undefined && ref.testSamples === undefined) return { data: { dataset: 'demo' } };
  return {
    error: `Sweeps train through the CLI, whose demo set is the default one (seed 0, 800/200 samples); ${describeRef(ref)} is not: clear the demo's seed and sizes on the Data & model tab, or pick files.`,
  };
}

export interface BuilderField {
  flag: string;
  text: string;
}

/** The spec of the builder: the form's whole config as the base, the fields' values as the grid. */
export function buildSpec(name: string, config: TrainConfig, ref: DatasetRef | null, fields: BuilderField[]): { spec: SweepSpec } | { error: string } {
  const data = sweepData(ref);
  if ('error' in data) return data;
  if (!fields.length) return { error: 'Add a field to vary.' };
  const grid: Record<string, FlagValue[]> = {};
  for (const f of fields) {
    if (grid[f.flag]) return { error: `${f.flag} is listed twice` };
    const parsed = parseValues(f.flag, f.text);
    if ('error' in parsed) return { error: parsed.error };
    grid[f.flag] = parsed.values;
  }
  return { spec: { ...(name.trim() ? { name: name.trim() } : {}), config, grid, data: data.data } };
}

export type SortKey = 'metric' | 'status' | 'id' | 'wall' | `field:${string}`;

const cmp = (a: FlagValue | number | null | undefined, b: FlagValue | number | null | undefined) => {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
};

/** Rows sorted by a column; `desc` for the larger first (missing values always last). */
export function sortRows(rows: SweepRow[], key: SortKey, desc: boolean): SweepRow[] {
  const pick = (r: SweepRow) => (key === 'metric' ? r.metric : key === 'status' ? r.status : key === 'id' ? r.index : key === 'wall' ? r.wall_s : r.varied[key.slice(6)]);
  return [...rows].sort((a, b) => {
    const [x, y] = [pick(a), pick(b)];
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return desc ? cmp(y, x) : cmp(x, y);
  });
}

/**
 * Rows matching every word of the filter: a status ("done"), "field=value" (the value as the table shows it, τ in
 * ms, or as train takes it), or text in the id or a value.
 */
export function filterRows(rows: SweepRow[], filter: string): SweepRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows;
  const forms = (k: string, x: FlagValue | undefined) => (x === undefined ? [] : [String(x), displayValue(k, x)].map((t) => t.toLowerCase()));
  return rows.filter((r) =>
    words.every((w) => {
      const [k, v] = w.split('=');
      if (v !== undefined) return forms(k, r.varied[k]).includes(v);
      return r.status === w || r.id.includes(w) || Object.entries(r.varied).some(([k, x]) => forms(k, x).some((t) => t.includes(w)));
    }),
  );
}

/**
 * (value of `field` in the form's units, metric) for every row that has a metric; text values become their index
 * among the values (the categories, returned for the axis).
 */
export function scatterPoints(table: SweepTable, field: string): { points: { x: number; y: number; label: string }[]; categories: string[] | null } {
  const shown = table.rows.map((r) => displayNumber(field, r.varied[field]));
  const numeric = table.rows.every((r, i) => r.varied[field] === undefined || shown[i] !== null);
  const categories = numeric ? null : [...new Set(table.rows.filter((r) => r.varied[field] !== undefined).map((r) => displayValue(field, r.varied[field])))];
  const points = table.rows
    .map((r, i) => ({ r, x: numeric ? shown[i] : categories!.indexOf(displayValue(field, r.varied[field])) }))
    .filter(({ r, x }) => r.metric !== null && r.varied[field] !== undefined && x !== null)
    .map(({ r, x }) => ({ x: x as number, y: r.metric!, label: r.id }));
  return { points, categories };
}

export interface PreviewCell {
  flag: string;
  /** The value as the form shows it (τ in ms). */
  text: string;
  /** Why train refuses this value in this task; null when it takes it. */
  problem: string | null;
}

export interface PreviewRow {
  id: string;
  cells: PreviewCell[];
  /** Problems that are no single value's: the base config's, or a combination's. */
  problems: string[];
}

/** The preview table of checked tasks: their varied values in the form's units, each bad cell with train's reason. */
export function previewRows(tasks: CheckedSweepTask[]): { fields: string[]; rows: PreviewRow[]; badTasks: number } {
  const fields = tasks.length ? Object.keys(tasks[0].varied) : [];
  const rows = tasks.map((t) => ({
    id: t.id,
    cells: fields.map((flag) => {
      const reasons = t.problems.filter((p) => p.flag === flag).map((p) => p.message);
      return { flag, text: displayValue(flag, t.varied[flag]), problem: reasons.length ? reasons.join('; ') : null };
    }),
    problems: t.problems.filter((p) => p.flag === null || !fields.includes(p.flag)).map((p) => p.message),
  }));
  return { fields, rows, badTasks: tasks.filter((t) => t.problems.length).length };
}

/**
 * Where an axis should at least reach so that no point sits on the frame: the values' span widened by 8 % each
 * side, or ±10 % (at least ±0.05) around a single value, for which an axis would otherwise have no extent.
 */
export function paddedRange(values: number[]): { min: number; max: number } {
  if (!values.length) return { min: 0, max: 1 };
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(lo) * 0.1, 0.05);
  return { min: lo - pad, max: hi + pad };
}
