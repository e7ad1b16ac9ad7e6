/**
 * Tab-separated export of the numbers tables: pastes as columns into spreadsheets and parses with
 * `pandas.read_csv(sep='\t')`. Column names are the session/report keys so they match the CLI's JSON.
 */
import type { EpochRecord } from '../../../shared/events';

export const HISTORY_COLUMNS: readonly (keyof EpochRecord)[] = [
  'epoch',
  'train_loss',
  'train_acc',
  'val_loss',
  'val_acc',
  'test_loss',
  'test_acc',
  'lr',
  'train_s',
  'eval_s',
];

function cell(v: unknown): string {
  // Tabs and newlines inside a cell would break the grid; numbers are written at full precision. A missing
  // value (no validation set) is an empty cell, which spreadsheets and pandas read as empty / NaN.
  if (v === null || v === undefined) return '';
  return String(v).replace(/[\t\r\n]+/g, ' ');
}

export function toTsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join('\t')).join('\n') + '\n';
}

export function historyToTsv(history: readonly EpochRecord[]): string {
  return toTsv(
    HISTORY_COLUMNS,
    history.map((r) => HISTORY_COLUMNS.map((k) => r[k])),
  );
}

/** Per-batch losses as (epoch, batch, loss) rows. */
export function batchLossesToTsv(points: readonly { epoch: number; batch: number; loss: number }[]): string {
  return toTsv(
    ['epoch', 'batch', 'loss'],
    points.map((p) => [p.epoch, p.batch, p.loss]),
  );
}
