/**
 * A sweep's directory, the one thing a local run, a SLURM array and the app share (and what is copied back from
 * a cluster):
 *
 *   DIR/sweep.json              the spec, its folder, the task table, and the CLI that runs the tasks
 *   DIR/tasks/<id>/status.json  {state: running|done|failed|stopped, started, ended, wall_s, exit_code, host, error}
 *   DIR/tasks/<id>/session.h5   the run's session (written after every epoch)
 *   DIR/tasks/<id>/report.json  train --report (history, selected epoch, accuracies)
 *   DIR/tasks/<id>/log.txt      the run's stdout and stderr
 *
 * Every JSON file is written to a temp name and renamed, so a reader never sees half a file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepSpec, SweepTask } from '../../shared/sweep';
import { writeJsonAtomic } from '../jsonFile';

export interface SweepFile {
  version: 1;
  spec: SweepSpec;
  /** The folder relative data paths were resolved against. */
  specDir: string;
  created: string;
  tasks: SweepTask[];
}

export type TaskState = 'running' | 'done' | 'failed' | 'stopped';

export interface TaskStatus {
  state: TaskState;
  started: string;
  ended?: string;
  wall_s?: number;
  exit_code?: number | null;
  host: string;
  pid: number;
  /** The last error line of the log, for failed runs. */
  error?: string;
  /** SLURM's job and array task id, when run by an array. */
  slurm?: string;
}

export const sweepFile = (dir: string) => join(dir, 'sweep.json');
export const taskDir = (dir: string, id: string) => join(dir, 'tasks', id);
export const taskFiles = (dir: string, id: string) => {
  const d = taskDir(dir, id);
  return { dir: d, status: join(d, 'status.json'), session: join(d, 'session.h5'), report: join(d, 'report.json'), log: join(d, 'log.txt') };
};

export function readSweepFile(dir: string): SweepFile {
  const file = sweepFile(dir);
  if (!existsSync(file)) throw new Error(`${dir}: not a sweep directory (no sweep.json)`);
  let parsed: SweepFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as SweepFile;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (parsed.version !== 1 || !Array.isArray(parsed.tasks)) throw new Error(`${file}: not a sweep file of this version`);
  return parsed;
}

/**
 * Creates the directory for a sweep, or checks that an existing one holds the same task table (a resumed
 * sweep); a directory of a different sweep is refused rather than mixed.
 */
export function prepareSweepDir(dir: string, spec: SweepSpec, specDir: string, tasks: SweepTask[]): SweepFile {
  if (existsSync(sweepFile(dir))) {
    const have = readSweepFile(dir);
    if (JSON.stringify(have.tasks) !== JSON.stringify(tasks)) {
      throw new Error(`${dir} holds a different sweep (its task table differs); use another --out or delete it`);
    }
    for (const t of tasks) mkdirSync(taskDir(dir, t.id), { recursive: true });
    return have;
  }
  mkdirSync(dir, { recursive: true });
  for (const t of tasks) mkdirSync(taskDir(dir, t.id), { recursive: true });
  const file: SweepFile = { version: 1, spec, specDir, created: new Date().toISOString(), tasks };
  writeJsonAtomic(sweepFile(dir), file);
  return file;
}

export function readStatus(dir: string, id: string): TaskStatus | null {
  const f = taskFiles(dir, id).status;
  if (!existsSync(f)) return null;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as TaskStatus;
  } catch {
    return null;
  }
}

export function writeStatus(dir: string, id: string, status: TaskStatus): void {
  writeJsonAtomic(taskFiles(dir, id).status, status);
}

/** The last line of a log that reads like an error ("error: …"), else its last non-empty line. */
export function lastErrorLine(log: string): string {
  const lines = log.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /^error\b|Error:/.test(l));
  return (err ?? lines[lines.length - 1] ?? '').slice(0, 500);
}
