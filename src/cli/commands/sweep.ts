/**
 * `sweep`: many training runs from one spec (shared/sweep.ts), locally or as a SLURM job array, collected into
 * one table. Every task is a `train` command line, checked with train's own flag parser before anything runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sweepSpecErrors, type SweepSpec, type SweepTask } from '../../shared/sweep';
import { collectSweep, sweepCsv, sweepText } from '../../services/sweeps/collect';
import { writeJsonAtomic } from '../../services/jsonFile';
import { prepareSweepDir, readSweepFile } from '../../services/sweeps/sweepDir';
import { slurmScript } from '../../services/sweeps/slurmScript';
import { expandSweep } from '../../services/sweeps/sweepTable';
import { runQueue, runTask, type CliCommandLine } from '../../services/sweeps/taskRunner';
import { printJson, printUsage } from '../args';
import type { CliCommand } from '../cliCommand';
import { CliError } from '../cliError';
import { taskConfig } from '../../services/sweeps/taskConfig';
import { writeReportCard } from '../../services/reportCard/writeCard';

const USAGE = `usage: npm run cli -- sweep expand SPEC.json [--json]
       npm run cli -- sweep run SPEC.json --out DIR [--parallel N]
       npm run cli -- sweep slurm SPEC.json --out DIR [--partition P] [--time T] [--cpus C] [--max-running K] [--submit]
       npm run cli -- sweep collect DIR [--json | --csv]
       npm run cli -- sweep card DIR [--json]

A sweep spec is JSON in train's vocabulary (flags without their dashes):
  {"preset": "fast", "base": {"epochs": 20}, "grid": {"hidden": [64, 128], "seed": [0, 1]},
   "random": {"lr": {"log-uniform": [0.001, 0.01]}}, "draws": 2, "seed": 0,
   "data": {"train": "train.h5", "test": "test.h5"} | {"dataset": "shd"}, "metric": "val_acc_selected"}
Tasks: the grid's product times "draws" random draws (uniform, log-uniform, int-uniform [lo, hi], or
choice [values]); the same spec always gives the same table. Data paths are relative to the spec file.

  expand    print the task table (every task's train flags)
  run       run the tasks here, N at a time (default 1), each writing DIR/tasks/<id>/{session.h5,
            report.json, log.txt, status.json}; tasks already done are skipped, so run again to resume;
            Ctrl-C stops the running tasks after their batch and starts no more
  slurm     write DIR/sweep.sbatch (an array job: task i runs \`sweep task DIR i\` on its node) and the task
            table; --submit runs sbatch and prints the job id. The cluster needs the repository (npm ci,
            node scripts/buildNode.mjs), the data and DIR on a filesystem every node sees
  collect   one row per task: the varied flags, the metric, test accuracy at the selected epoch, wall time and
            status (done, failed with its last error line, running, stopped, missing), best first
  card      for a sweep that varies the seed alone (as \`train --seeds N\` makes): write the report card,
            DIR/report-card.md and .csv (mean ± std of the selected epoch's test accuracy over the finished
            seeds, the t interval of the mean, each seed's Wilson interval, config, protocol, data, backend,
            time), and print it (--json: as JSON)
  metrics   val_acc_selected (default: validation accuracy at the selected epoch), test_acc_selected,
            final_test_acc, final_val_acc, final_train_loss`;

/** The spec from a file, or a one-line error naming the file. */
export function readSpec(file: string): { spec: SweepSpec; specDir: string } {
  if (!existsSync(file)) throw new CliError(`${file}: no such sweep spec`, 2);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, 2);
  }
  const errors = sweepSpecErrors(parsed);
  if (errors.length) throw new CliError(`${file}: ${errors.join('; ')}`, 2);
  return { spec: parsed as SweepSpec, specDir: dirname(resolve(file)) };
}

/** Every task's flags through train's own parser and config checks: a bad value fails before any run starts. */
export function checkTasks(file: string, tasks: SweepTask[]): void {
  for (const t of tasks) {
    try {
      taskConfig(t.args);
    } catch (err) {
      throw new CliError(`${file}: task ${t.id} (${t.args.join(' ')}): ${err instanceof Error ? err.message : String(err)}`, 2);
    }
  }
}

function load(file: string | undefined): { spec: SweepSpec; specDir: string; tasks: SweepTask[]; file: string } {
  if (!file) throw new CliError(`a sweep spec file is required\n\n${USAGE}`, 2);
  const { spec, specDir } = readSpec(file);
  const tasks = expandSweep(spec, specDir);
  checkTasks(file, tasks);
  return { spec, specDir, tasks, file };
}

/** The CLI that runs the tasks: this very bundle, by absolute path (a cluster node starts it the same way). */
export function thisCli(): CliCommandLine {
  return { node: process.execPath, entry: resolve(process.argv[1]) };
}

export function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--${flag} must be a positive integer (got "${v}")`, 2);
  return n;
}

const describe = (t: SweepTask) => Object.entries(t.varied).map(([k, v]) => `${k}=${v}`).join(' ') || '(no varied flags)';

/**
 * Runs a sweep's tasks here, `parallel` at a time, a line on stderr as each starts and ends (tasks already done
 * are skipped). Ctrl-C stops the running tasks after their batch and starts no more.
 */
export async function runSweepHere(dir: string, spec: SweepSpec, specDir: string, tasks: SweepTask[], parallel: number): Promise<{ aborted: boolean; failed: boolean }> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  prepareSweepDir(dir, spec, specDir, tasks);
  const abort = new AbortController();
  const onSigint = () => {
    log('interrupted: the running tasks stop after their batch; no more start (run again to resume)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const { outcomes, skipped } = await runQueue(dir, tasks, thisCli(), {
      parallel,
      signal: abort.signal,
      onStart: (t) => log(`${t.id} started: ${describe(t)}`),
      onEnd: ({ task, status }, finished, total) => {
        const how = status.state === 'done' ? 'done' : status.state === 'stopped' ? 'stopped' : `failed: ${status.error}`;
        log(`[${finished}/${total}] ${task.id} ${how} in ${status.wall_s!.toFixed(1)} s (${describe(task)})`);
      },
    });
    if (skipped) log(`${skipped} task${skipped === 1 ? '' : 's'} already done, skipped`);
    return { aborted: abort.signal.aborted, failed: outcomes.some((o) => o.status.state === 'failed') };
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export interface SlurmFlags {
  partition?: string;
  time?: string;
  cpus?: number;
  maxRunning?: number;
  submit?: boolean;
}

/** The SLURM options among parsed flags (`--partition`, `--time`, `--cpus`, `--max-running`, `--submit`), checked. */
export function slurmFlags(values: { partition?: string; time?: string; cpus?: string; 'max-running'?: string; submit?: boolean }): SlurmFlags {
  for (const [flag, v] of [['partition', values.partition], ['time', values.time]] as const) {
    if (v !== undefined && !/^[A-Za-z0-9_:.,-]+$/.test(v)) throw new CliError(`--${flag} "${v}" has characters sbatch does not take`, 2);
  }
  return { partition: values.partition, time: values.time, cpus: positive('cpus', values.cpus), maxRunning: positive('max-running', values['max-running']), submit: values.submit };
}

/** Writes DIR/sweep.sbatch (an array job over the task table) and, with `submit`, runs sbatch; prints what to do next. */
export function writeSlurmFiles(dir: string, spec: SweepSpec, specDir: string, tasks: SweepTask[], flags: SlurmFlags): number {
  prepareSweepDir(dir, spec, specDir, tasks);
  const cli = thisCli();
  const script = slurmScript(dir, tasks.length, cli.node, cli.entry, {
    partition: flags.partition,
    time: flags.time,
    cpus: flags.cpus,
    maxRunning: flags.maxRunning,
    jobName: spec.name ? spec.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) : undefined,
  });
  const scriptFile = resolve(dir, 'sweep.sbatch');
  writeFileSync(scriptFile, script);
  chmodSync(scriptFile, 0o755);
  process.stderr.write(`wrote ${scriptFile} (${tasks.length} array tasks) and ${resolve(dir, 'sweep.json')}\n`);
  if (!flags.submit) {
    process.stdout.write(`sbatch ${scriptFile}\n`);
    return 0;
  }
  const r = spawnSync('sbatch', ['--parsable', scriptFile], { encoding: 'utf8' });
  if (r.error) throw new CliError(`sbatch could not be run: ${r.error.message} (is SLURM installed here?)`);
  if (r.status !== 0) throw new CliError(`sbatch failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  const jobId = r.stdout.trim().split(';')[0];
  writeJsonAtomic(resolve(dir, 'slurm.json'), { job_id: jobId, submitted: new Date().toISOString(), script: scriptFile });
  process.stdout.write(`${jobId}\n`);
  return 0;
}

export const sweepCommand: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        parallel: { type: 'string' },
        partition: { type: 'string' },
        time: { type: 'string' },
        cpus: { type: 'string' },
        'max-running': { type: 'string' },
        submit: { type: 'boolean' },
        slurm: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [sub, target, extra] = positionals;
    if (values.help || !sub) return printUsage(USAGE);
    const log = (line: string) => process.stderr.write(`${line}\n`);

    if (sub === 'expand') {
      const { tasks } = load(target);
      if (values.json) printJson(tasks);
      else process.stdout.write(tasks.map((t) => `${t.id}  ${describe(t)}\n    train ${t.args.join(' ')}`).join('\n') + '\n');
      return 0;
    }

    if (sub === 'run') {
      const { spec, specDir, tasks } = load(target);
      if (!values.out) throw new CliError('--out DIR is required', 2);
      const dir = resolve(values.out);
      const { aborted, failed } = await runSweepHere(dir, spec, specDir, tasks, positive('parallel', values.parallel) ?? 1);
      const table = collectSweep(dir);
      process.stdout.write(values.json ? `${JSON.stringify(table, null, 2)}\n` : sweepText(table));
      return aborted ? 130 : failed ? 1 : 0;
    }

    if (sub === 'slurm') {
      const { spec, specDir, tasks } = load(target);
      if (!values.out) throw new CliError('--out DIR is required', 2);
      return writeSlurmFiles(resolve(values.out), spec, specDir, tasks, slurmFlags(values));
    }

    if (sub === 'task') {
      // One array task (what sweep.sbatch runs): row N of DIR's table.
      if (!target || extra === undefined) throw new CliError('usage: sweep task DIR N', 2);
      const dir = resolve(target);
      const sweep = readSweepFile(dir);
      const n = Number(extra);
      const task = sweep.tasks.find((t) => t.index === n);
      if (!task) throw new CliError(`${dir}: no task ${extra} (0…${sweep.tasks.length - 1})`, 2);
      const abort = new AbortController();
      // SLURM sends SIGTERM at the time limit or on scancel; the run keeps its last epoch's session.
      const stop = () => abort.abort();
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      try {
        const { status } = await runTask(dir, task, thisCli(), { signal: abort.signal, ...(values.slurm ? { slurm: values.slurm } : {}) });
        log(`${task.id} ${status.state} in ${status.wall_s!.toFixed(1)} s${status.error ? `: ${status.error}` : ''}`);
        return status.state === 'done' ? 0 : 1;
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
      }
    }

    if (sub === 'collect') {
      if (!target) throw new CliError('usage: sweep collect DIR [--json | --csv]', 2);
      let table;
      try {
        table = collectSweep(resolve(target));
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err), 2);
      }
      if (values.json) printJson(table);
      else if (values.csv) process.stdout.write(sweepCsv(table));
      else process.stdout.write(sweepText(table));
      return 0;
    }
    if (sub === 'card') {
      if (!target) throw new CliError('usage: sweep card DIR [--json]', 2);
      let result;
      try {
        result = writeReportCard(resolve(target));
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err), 2);
      }
      if (values.json) printJson(result.card);
      else process.stdout.write(result.markdown);
      log(`report card: ${result.files.markdown}, ${result.files.csv}`);
      return 0;
    }
    throw new CliError(`unknown sweep command "${sub}" (expand, run, slurm, collect, card)\n\n${USAGE}`, 2);
  },
};
