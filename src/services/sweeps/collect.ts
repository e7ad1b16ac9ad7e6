/**
 * A sweep directory as a table: one row per task with the flags that vary, its metrics (from its train report,
 * so a running task shows its epochs so far), wall time and state — done, failed (with its last error line),
 * running, stopped, missing (never started) — sorted by the sweep's metric, finished runs first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { EpochRecord } from '../../shared/events';
import { LOWER_IS_BETTER, type RowState, type SweepMetric, type SweepRow, type SweepTable } from '../../shared/sweep';

export type { RowState, SweepRow, SweepTable };
import { readStatus, readSweepFile, taskFiles } from './sweepDir';

interface ReportLike {
  history?: EpochRecord[];
  selected_epoch?: number | null;
  test_acc_selected?: number | null;
  final_test_acc?: number | null;
}

function readReport(file: string): ReportLike | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReportLike;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function collectSweep(dir: string): SweepTable {
  const sweep = readSweepFile(dir);
  const metric = sweep.spec.metric ?? 'val_acc_selected';
  const fields = [...Object.keys(sweep.spec.grid ?? {}), ...Object.keys(sweep.spec.random ?? {})];
  const rows: SweepRow[] = sweep.tasks.map((task) => {
    const f = taskFiles(dir, task.id);
    const st = readStatus(dir, task.id);
    const rep = readReport(f.report);
    const history = rep?.history ?? [];
    const last = history[history.length - 1];
    const sel = rep?.selected_epoch ?? null;
    const selRec = sel ? history.find((r) => r.epoch === sel) : undefined;
    let status: RowState = st ? st.state : 'missing';
    let error = st?.error;
    // A run on this host whose process is gone without writing its end was killed (power, OOM, kill -9).
    if (status === 'running' && st && st.host === hostname() && !st.slurm && !alive(st.pid)) {
      status = 'failed';
      error = 'the run ended without recording its end (killed?)';
    }
    const values: Record<SweepMetric, number | null> = {
      val_acc_selected: selRec?.val_acc ?? null,
      test_acc_selected: rep?.test_acc_selected ?? null,
      final_test_acc: rep?.final_test_acc ?? null,
      final_val_acc: last?.val_acc ?? null,
      final_train_loss: last?.train_loss ?? null,
    };
    return {
      id: task.id,
      index: task.index,
      status,
      varied: task.varied,
      metric: values[metric],
      epochs: history.length,
      selected_epoch: sel,
      ...values,
      wall_s: st?.wall_s ?? (st ? (Date.now() - Date.parse(st.started)) / 1000 : null),
      host: st?.host ?? null,
      ...(status === 'failed' && error ? { error } : {}),
      session: existsSync(f.session) ? f.session : null,
    };
  });
  const lower = LOWER_IS_BETTER.includes(metric);
  const rank = (r: SweepRow) => (r.status === 'done' && r.metric !== null ? 0 : 1);
  rows.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? (lower ? a.metric! - b.metric! : b.metric! - a.metric!) : 0) || a.index - b.index);
  const counts: Record<RowState, number> = { done: 0, failed: 0, running: 0, stopped: 0, missing: 0 };
  for (const r of rows) counts[r.status]++;
  return { name: sweep.spec.name ?? dir, dir, metric, fields, rows, counts };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function sweepCsv(t: SweepTable): string {
  const head = ['id', 'status', ...t.fields, t.metric, 'selected_epoch', 'test_acc_selected', 'final_test_acc', 'epochs', 'wall_s', 'error'];
  const lines = t.rows.map((r) => [r.id, r.status, ...t.fields.map((f) => r.varied[f]), r.metric, r.selected_epoch, r.test_acc_selected, r.final_test_acc, r.epochs, r.wall_s?.toFixed(1), r.error].map(csvCell).join(','));
  return [head.map(csvCell).join(','), ...lines].join('\n') + '\n';
}

/** The table as aligned text for a terminal. */
export function sweepText(t: SweepTable): string {
  const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(4));
  const head = ['task', 'status', ...t.fields, t.metric, 'test@sel', 'wall s'];
  const body = t.rows.map((r) => [r.id, r.status, ...t.fields.map((f) => String(r.varied[f])), fmt(r.metric), fmt(r.test_acc_selected), r.wall_s === null ? '—' : r.wall_s.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const failures = t.rows.filter((r) => r.error).map((r) => `${r.id} failed: ${r.error}`);
  const summary = Object.entries(t.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  return [`${t.name}: ${t.rows.length} tasks (${summary}), sorted by ${t.metric}`, line(head), ...body.map(line), ...failures].join('\n') + '\n';
}
