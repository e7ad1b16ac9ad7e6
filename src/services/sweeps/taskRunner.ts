/**
 * Runs sweep tasks through the headless CLI, as a user would: `node cli.js train <the task's flags> --out
 * DIR/tasks/<id>/session.h5 --report …/report.json --json`, its output in log.txt and its state in status.json.
 * The same function runs a task for the local queue and for a SLURM array task (`sweep task DIR N`).
 *
 * The local queue keeps N tasks running, skips the ones already done (a sweep resumes where it stopped), and
 * on abort (Ctrl-C) starts nothing more and passes SIGINT to its runs, which stop after their batch, keep the
 * session of their last epoch and are marked "stopped" (rerun from the start next time).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import type { SweepTask } from '../../shared/sweep';
import { lastErrorLine, readStatus, taskFiles, writeStatus, type TaskStatus } from './sweepDir';

export interface CliCommandLine {
  /** The Node executable and the CLI bundle (out/node/cli.js). */
  node: string;
  entry: string;
  /** Added to the environment (Electron: ELECTRON_RUN_AS_NODE=1, so its binary runs the CLI as Node). */
  env?: Record<string, string>;
}

export interface TaskOutcome {
  task: SweepTask;
  status: TaskStatus;
}

export async function runTask(dir: string, task: SweepTask, cli: CliCommandLine, opts: { signal?: AbortSignal; slurm?: string } = {}): Promise<TaskOutcome> {
  const f = taskFiles(dir, task.id);
  // A run restarts from scratch: what an earlier, unfinished run left is removed first.
  for (const stale of [f.session, f.report]) rmSync(stale, { force: true });
  const started = new Date();
  const log = openSync(f.log, 'w');
  const child = spawn(cli.node, [cli.entry, 'train', ...task.args, '--out', f.session, '--report', f.report, '--json'], { stdio: ['ignore', log, log], env: { ...process.env, ...cli.env } });
  const base = { started: started.toISOString(), host: hostname(), pid: child.pid ?? -1, ...(opts.slurm ? { slurm: opts.slurm } : {}) };
  writeStatus(dir, task.id, { state: 'running', ...base });
  const onAbort = () => child.kill('SIGINT');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (c) => resolve(c));
  });
  opts.signal?.removeEventListener('abort', onAbort);
  closeSync(log);
  const ended = new Date();
  const stopped = opts.signal?.aborted === true && code !== 0;
  const ok = code === 0 && existsSync(f.report);
  const status: TaskStatus = {
    state: ok ? 'done' : stopped ? 'stopped' : 'failed',
    ...base,
    ended: ended.toISOString(),
    wall_s: (ended.getTime() - started.getTime()) / 1000,
    exit_code: code,
    ...(!ok && !stopped ? { error: lastErrorLine(readFileSync(f.log, 'utf8')) || `train exited with code ${code}` } : {}),
  };
  writeStatus(dir, task.id, status);
  return { task, status };
}

export interface QueueOptions {
  parallel: number;
  signal?: AbortSignal;
  /** Called as each task starts and ends (the CLI's progress lines, the app's live table). */
  onStart?: (task: SweepTask) => void;
  onEnd?: (outcome: TaskOutcome, finished: number, total: number) => void;
}

/** Runs every task not yet done, `parallel` at a time; resolves with this call's outcomes when all have ended. */
export async function runQueue(dir: string, tasks: SweepTask[], cli: CliCommandLine, opts: QueueOptions): Promise<{ outcomes: TaskOutcome[]; skipped: number }> {
  if (!(Number.isInteger(opts.parallel) && opts.parallel >= 1)) throw new Error(`parallel must be an integer ≥ 1 (got ${opts.parallel})`);
  const todo = tasks.filter((t) => readStatus(dir, t.id)?.state !== 'done');
  const skipped = tasks.length - todo.length;
  const outcomes: TaskOutcome[] = [];
  let next = 0;
  let finished = skipped;
  const worker = async () => {
    while (next < todo.length && !opts.signal?.aborted) {
      const task = todo[next++];
      opts.onStart?.(task);
      const outcome = await runTask(dir, task, cli, { signal: opts.signal });
      outcomes.push(outcome);
      opts.onEnd?.(outcome, ++finished, tasks.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.parallel, Math.max(1, todo.length)) }, worker));
  return { outcomes, skipped };
}
