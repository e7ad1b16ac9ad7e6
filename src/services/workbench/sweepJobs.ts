/**
 * The app's side of sweeps (the Sweeps view): the same task table, directory, local queue, SLURM script and
 * collected table as the CLI's `sweep` (services/sweeps/), run from the service. One local sweep at a time;
 * each task is the headless CLI's `train` in its own process (never the UI's), and every task start and end
 * pushes the freshly collected table to the renderer as a `sweep` event.
 */
import { writeFileSync, chmodSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { sweepSpecErrors, type CheckedSweepTask, type SweepSpec, type SweepTable, type SweepTask } from '../../shared/sweep';
import { isCatalogName } from '../../shared/datasets';
import { WorkbenchError, type DatasetRef, type SessionSummary, type SlurmFilesRequest, type SweepRunRequest, type WorkbenchEvent } from '../../shared/workbenchApi';
import { readSession } from '../sessions/sessionRead';
import { collectSweep } from '../sweeps/collect';
import { prepareSweepDir, readSweepFile, taskFiles } from '../sweeps/sweepDir';
import { slurmScript } from '../sweeps/slurmScript';
import { expandSweep } from '../sweeps/sweepTable';
import { runQueue, type CliCommandLine } from '../sweeps/taskRunner';
import { checkTasks } from '../sweeps/taskConfig';
import type { SessionStore } from './sessionStore';
import type { ReportCardResult } from '../../shared/reportCard';
import { sweepSeeds } from '../../shared/seedsSweep';
import { writeReportCard } from '../reportCard/writeCard';

export class SweepJobs {
  private running: { dir: string; abort: AbortController; done: Promise<void> } | null = null;

  constructor(
    private readonly cli: CliCommandLine | undefined,
    private readonly sessions: SessionStore,
    private readonly emit: (e: WorkbenchEvent) => void,
  ) {}

  private check(spec: SweepSpec): void {
    const errors = sweepSpecErrors(spec);
    if (errors.length) throw new WorkbenchError(`invalid sweep: ${errors.join('; ')}`);
  }

  private needCli(): CliCommandLine {
    if (!this.cli) throw new WorkbenchError('sweeps run through the CLI bundle, which this build does not have (run `node scripts/buildNode.mjs`)');
    return this.cli;
  }

  /**
   * The task table, each task read by train's parser (its problems on the cells that cause them). Data paths from
   * the app are absolute (file pickers, catalog sets); relative ones mean the service's folder.
   */
  expand(spec: SweepSpec): CheckedSweepTask[] {
    this.check(spec);
    return checkTasks(expandSweep(spec, process.cwd()));
  }

  /** The tasks to run or write: refused, as the CLI's `sweep` refuses them, when train would refuse any. */
  private runnable(spec: SweepSpec): SweepTask[] {
    const tasks = this.expand(spec);
    const bad = tasks.find((t) => t.problems.length);
    if (bad) {
      const values = Object.entries(bad.varied).map(([k, v]) => `${k}=${v}`).join(' ');
      throw new WorkbenchError(`task ${bad.id}${values ? ` (${values})` : ''}: ${bad.problems.map((p) => p.message).join('; ')}`);
    }
    return tasks.map(({ problems: _, ...task }) => task);
  }

  run(req: SweepRunRequest): { dir: string; tasks: number } {
    if (this.running) throw new WorkbenchError(`a sweep is already running in ${this.running.dir}; stop it first`);
    const cli = this.needCli();
    const tasks = this.runnable(req.spec);
    const dir = req.dir;
    try {
      prepareSweepDir(dir, req.spec, process.cwd(), tasks);
    } catch (err) {
      throw new WorkbenchError(err instanceof Error ? err.message : String(err));
    }
    const abort = new AbortController();
    const push = (running: boolean) => {
      try {
        this.emit({ kind: 'sweep', table: collectSweep(dir), running });
      } catch (err) {
        this.emit({ kind: 'error', source: 'app', message: `sweep ${dir}: ${err instanceof Error ? err.message : String(err)}` });
      }
    };
    const done = runQueue(dir, tasks, cli, { parallel: req.parallel, signal: abort.signal, onStart: () => push(true), onEnd: () => push(true) })
      .catch((err: unknown) => this.emit({ kind: 'error', source: 'app', message: `sweep ${dir}: ${err instanceof Error ? err.message : String(err)}` }))
      .then(() => {
        this.running = null;
        // A seeds sweep leaves its card beside the runs, as `train --seeds` does.
        if (sweepSeeds(req.spec)) {
          try {
            writeReportCard(dir);
          } catch (err) {
            this.emit({ kind: 'error', source: 'app', message: `report card of ${dir}: ${err instanceof Error ? err.message : String(err)}` });
          }
        }
        push(false);
      });
    this.running = { dir, abort, done };
    push(true);
    return { dir, tasks: tasks.length };
  }

  async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.abort.abort();
    await r.done;
  }

  writeSlurm(req: SlurmFilesRequest): { script: string; command: string } {
    const cli = this.needCli();
    const tasks = this.runnable(req.spec);
    try {
      prepareSweepDir(req.dir, req.spec, process.cwd(), tasks);
    } catch (err) {
      throw new WorkbenchError(err instanceof Error ? err.message : String(err));
    }
    const script = join(req.dir, 'sweep.sbatch');
    writeFileSync(script, slurmScript(req.dir, tasks.length, cli.node, cli.entry, { partition: req.partition, time: req.time, cpus: req.cpus, maxRunning: req.maxRunning }));
    chmodSync(script, 0o755);
    return { script, command: `sbatch ${script}` };
  }

  collect(dir: string): SweepTable & { running: boolean } {
    try {
      return { ...collectSweep(dir), running: this.running?.dir === dir };
    } catch (err) {
      throw new WorkbenchError(err instanceof Error ? err.message : String(err));
    }
  }

  /** A seeds sweep's report card, written beside it (report-card.md, .csv). */
  reportCard(dir: string): ReportCardResult {
    try {
      return writeReportCard(dir);
    } catch (err) {
      throw new WorkbenchError(err instanceof Error ? err.message : String(err));
    }
  }

  /** A task's session into the app's session list, named after the sweep and its varied values. */
  async importRun(dir: string, taskId: string): Promise<SessionSummary> {
    if (!isAbsolute(dir)) throw new WorkbenchError(`sweep folder must be an absolute path (got ${dir})`);
    const sweep = readSweepFile(dir);
    const task = sweep.tasks.find((t) => t.id === taskId);
    if (!task) throw new WorkbenchError(`${dir}: no task ${taskId}`);
    let session;
    try {
      session = await readSession(taskFiles(dir, task.id).session);
    } catch (err) {
      throw new WorkbenchError(`${dir}: task ${taskId} has no readable session yet (${err instanceof Error ? err.message : String(err)})`);
    }
    const varied = Object.entries(task.varied).map(([k, v]) => `${k}=${v}`).join(' ');
    const name = `${sweep.spec.name ?? 'sweep'} ${task.id}${varied ? ` (${varied})` : ''}`;
    const d = sweep.spec.data;
    const datasetRef: DatasetRef | null = 'dataset' in d ? (isCatalogName(d.dataset) ? { kind: 'catalog', name: d.dataset } : null) : { kind: 'files', trainPath: d.train, testPath: d.test };
    return this.sessions.save(session, { name: name.slice(0, 200), datasetRef, probe: null, confusion: null });
  }

  /** Ends a running sweep with the service (its tasks stop after their batch). */
  async shutdown(): Promise<void> {
    await this.stop();
  }
}
