/**
 * The Sweeps view's logic, apart from the DOM: the flags a sweep can vary from the form, the values a person
 * types for them, the spec built from the form's config and dataset, and the table's filter, sort and scatter
 * points.
 */
import type { TrainConfig } from '../../../shared/config';
import type { FlagValue, SweepRow, SweepSpec, SweepTable } from '../../../shared/sweep';
import type { DatasetRef } from '../../../shared/workbenchApi';

type Kind = 'number' | 'int' | 'text' | 'bool';

/** Flags the builder offers (train's names); others go into a spec file for the CLI. */
export const SWEEP_FIELDS: readonly { flag: string; label: string; kind: Kind }[] = [
  { flag: 'lr', label: 'learning rate', kind: 'number' },
  { flag: 'seed', label: 'seed', kind: 'int' },
  { flag: 'hidden', label: 'neurons per layer', kind: 'int' },
  { flag: 'tau-mem', label: 'τ_mem (s, V or LO:HI)', kind: 'text' },
  { flag: 'tau-syn', label: 'τ_syn (s, V or LO:HI)', kind: 'text' },
  { flag: 'tau-adapt', label: 'τ_adapt (s, V or LO:HI)', kind: 'text' },
  { flag: 'dropout', label: 'dropout', kind: 'number' },
  { flag: 'batch', label: 'batch size', kind: 'int' },
  { flag: 'epochs', label: 'epochs', kind: 'int' },
  { flag: 'weight-decay', label: 'weight decay', kind: 'number' },
  { flag: 'reg-l1', label: 'L1 spike regulariser', kind: 'number' },
  { flag: 'reg-l2', label: 'L2 spike regulariser', kind: 'number' },
  { flag: 'surrogate-scale', label: 'surrogate scale', kind: 'number' },
  { flag: 'weight-scale', label: 'weight scale', kind: 'number' },
  { flag: 'nb-steps', label: 'time steps T', kind: 'int' },
  { flag: 'pool', label: 'channel pooling', kind: 'int' },
  { flag: 'neuron', label: 'neuron (lif, adlif)', kind: 'text' },
  { flag: 'readout', label: 'readout (max, mean, softmax-sum)', kind: 'text' },
  { flag: 'learn-tau', label: 'learn τ (true, false)', kind: 'bool' },
];

/** "64, 128" → [64, 128]; the error names the field and the bad entry. */
export function parseValues(flag: string, text: string): { values: FlagValue[] } | { error: string } {
  const field = SWEEP_FIELDS.find((f) => f.flag === flag);
  if (!field) return { error: `${flag}: not a field the builder varies` };
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return { error: `${field.label}: give one or more values, separated by commas` };
  const values: FlagValue[] = [];
  for (const p of parts) {
    if (field.kind === 'text') values.push(p);
    else if (field.kind === 'bool') {
      if (p !== 'true' && p !== 'false') return { error: `${field.label}: "${p}" is not true or false` };
      values.push(p === 'true');
    } else {
      const x = Number(p);
      if (!Number.isFinite(x) || (field.kind === 'int' && !Number.isInteger(x))) return { error: `${field.label}: "${p}" is not ${field.kind === 'int' ? 'a whole number' : 'a number'}` };
      values.push(x);
    }
  }
  if (new Set(values.map(String)).size !== values.length) return { error: `${field.label}: a value is repeated` };
  return { values };
}

/** The sweep's data from the form's dataset: files by path, a catalog set by name; the demo set has no files. */
export function sweepData(ref: DatasetRef | null): SweepSpec['data'] | null {
  if (!ref || ref.kind === 'demo') return null;
  if (ref.kind === 'catalog') return { dataset: ref.name };
  return { train: ref.trainPath, test: ref.testPath };
}

export interface BuilderField {
  flag: string;
  text: string;
}

/** The spec of the builder: the form's whole config as the base, the fields' values as the grid. */
export function buildSpec(name: string, config: TrainConfig, ref: DatasetRef | null, fields: BuilderField[]): { spec: SweepSpec } | { error: string } {
  const data = sweepData(ref);
  if (!data) return { error: 'Sweeps train through the CLI on files: pick HDF5 files or a downloaded set (SHD, SSC) on the Data & model tab.' };
  if (!fields.length) return { error: 'Add a field to vary.' };
  const grid: Record<string, FlagValue[]> = {};
  for (const f of fields) {
    if (grid[f.flag]) return { error: `${f.flag} is listed twice` };
    const parsed = parseValues(f.flag, f.text);
    if ('error' in parsed) return { error: parsed.error };
    grid[f.flag] = parsed.values;
  }
  return { spec: { ...(name.trim() ? { name: name.trim() } : {}), config, grid, data } };
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

/** Rows matching every word of the filter: a status ("done"), "field=value", or text in the id or a value. */
export function filterRows(rows: SweepRow[], filter: string): SweepRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows;
  return rows.filter((r) =>
    words.every((w) => {
      const [k, v] = w.split('=');
      if (v !== undefined) return String(r.varied[k] ?? '').toLowerCase() === v;
      return r.status === w || r.id.includes(w) || Object.values(r.varied).some((x) => String(x).toLowerCase().includes(w));
    }),
  );
}

/** (value of `field`, metric) for every row that has a metric; text values become their index among the values. */
export function scatterPoints(table: SweepTable, field: string): { x: number; y: number; label: string }[] {
  const values = [...new Set(table.rows.map((r) => r.varied[field]))];
  const numeric = values.every((v) => typeof v === 'number');
  return table.rows
    .filter((r) => r.metric !== null && r.varied[field] !== undefined)
    .map((r) => ({ x: numeric ? (r.varied[field] as number) : values.indexOf(r.varied[field]), y: r.metric!, label: r.id }));
}
