/**
 * Sweeps (issue 13): the spec's checks and its task table (deterministic; grid × draws), then real runs through
 * the CLI: a 4-task sweep run locally (2 at a time), resumed (every task skipped), a failing task's error in the
 * table, Ctrl-C; and the same sweep as a SLURM job array on the one-node cluster `.ci/run` starts
 * (scripts/slurmLocal.sh), collected into the same table. Without SLURM that part skips, saying why. A sweep over
 * the delay options, one value for every layer and one per layer, runs and shows its delay columns.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepSpecErrors, type SweepSpec } from '../../src/shared/sweep';
import { expandSweep } from '../../src/services/sweeps/sweepTable';
import type { SweepTable } from '../../src/services/sweeps/collect';
import { readSession } from '../../src/services/sessions/sessionRead';
import { runCli, startCli } from './cliProcess';
import { missing } from '../systemPackages';
import { scaled } from '../slowdown';

const FIX = resolve('test/fixtures/sessions');
const dir = mkdtempSync(join(tmpdir(), 'sw-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small model that trains in a few seconds per task on the 160-sample fixture. */
const SPEC: SweepSpec = {
  name: 'tiny',
  base: { epochs: 3, 'nb-steps': 20, 'max-time': 1, batch: 40, lr: 0.01, 'validation-fraction': 0.2, workers: 1 },
  grid: { hidden: [8, 16], seed: [1, 2] },
  data: { train: 'agreement_train.h5', test: 'agreement_test.h5' },
};

function writeSpec(name: string, spec: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

describe('sweep spec and task table', () => {
  it('names every problem of a bad spec', () => {
    expect(sweepSpecErrors({ data: { train: 'a', test: 'b' }, grid: { hidden: [] }, random: { lr: { normal: [0, 1] } }, extra: 1 })).toEqual([
      'unknown key "extra" (keys: name, config, preset, base, grid, random, draws, seed, data, metric, backend)',
      'grid.hidden must be a non-empty list of strings, numbers or booleans',
      'random.lr: unknown distribution "normal" (uniform, log-uniform, int-uniform, choice)',
    ]);
    expect(sweepSpecErrors({ data: { dataset: 'shd' }, base: { out: 'x.h5', '--lr': 1, hidden: 64 }, grid: { hidden: [1, 2] }, metric: 'best' })).toEqual([
      'base: "out" is not set per task (the sweep sets it)',
      'base: "--lr" is not a flag name (write it as on the command line without the dashes, e.g. "tau-mem")',
      'base.hidden: "hidden" also varies (grid or random); drop it from base',
      'metric must be one of val_acc_selected, test_acc_selected, final_test_acc, final_val_acc, final_train_loss',
    ]);
    expect(sweepSpecErrors({ data: { train: 'a' } })).toEqual(['data must be {"train": FILE, "test": FILE, "validation"?: FILE} or {"dataset": NAME}']);
    expect(sweepSpecErrors({ data: { dataset: 'shd' }, random: { lr: { 'log-uniform': [0, 1] } }, draws: 0 })).toEqual(['random.lr.log-uniform needs lo > 0', 'draws must be an integer ≥ 1']);
    expect(sweepSpecErrors(SPEC)).toEqual([]);
  });

  it('expands the grid (last key fastest) times the draws, the same table every time', () => {
    const spec: SweepSpec = {
      ...SPEC,
      random: { lr: { 'log-uniform': [1e-3, 1e-2] }, 'tau-mem': { uniform: [0.01, 0.03] }, batch: { 'int-uniform': [16, 64] }, neuron: { choice: ['lif', 'adlif'] } },
      draws: 3,
      seed: 7,
      base: { epochs: 2 },
    };
    const tasks = expandSweep(spec, FIX);
    expect(tasks).toHaveLength(12);
    expect(tasks.map((t) => [t.varied.hidden, t.varied.seed])).toEqual([8, 8, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16].map((h, i) => [h, [1, 1, 1, 2, 2, 2][i % 6]]));
    expect(tasks[0].id).toBe('t000');
    expect(tasks[0].args.slice(0, 6)).toEqual(['--epochs', '2', '--train', join(FIX, 'agreement_train.h5'), '--test', join(FIX, 'agreement_test.h5')]);
    for (const t of tasks) {
      const lr = t.varied.lr as number;
      expect(lr).toBeGreaterThanOrEqual(1e-3);
      expect(lr).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(t.varied.batch)).toBe(true);
      expect(['lif', 'adlif']).toContain(t.varied.neuron);
    }
    // Draws differ from task to task, and the whole table is the same for the same spec.
    expect(new Set(tasks.map((t) => t.varied.lr)).size).toBe(12);
    expect(expandSweep(spec, FIX)).toEqual(tasks);
    expect(expandSweep({ ...spec, seed: 8 }, FIX).map((t) => t.varied.lr)).not.toEqual(tasks.map((t) => t.varied.lr));
  });

  it('`sweep expand` checks every task with train\'s own flags before anything runs', async () => {
    const bad = writeSpec('bad.json', { ...SPEC, grid: { hidden: [8, 0] } });
    const r = await runCli(['sweep', 'expand', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: task t001 \(.*--hidden 0\): --hidden: layer 1 size must be an integer ≥ 1/);
    const ok = await runCli(['sweep', 'expand', writeSpec('tiny-expand.json', SPEC), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as unknown[]).length).toBe(4);
  });
});

/** The rows of a collected table that do not depend on where or when the runs ran. */
const comparable = (t: SweepTable) => t.rows.map((r) => ({ id: r.id, status: r.status, varied: r.varied, metric: r.metric, test: r.test_acc_selected, epochs: r.epochs }));

let localTable: SweepTable | null = null;

describe('a sweep over delays', () => {
  it('runs one value for every layer and one per layer; the table shows the delay column and each session has its delays', async () => {
    const spec = writeSpec('delays.json', {
      name: 'delays',
      base: { hidden: '8,8', epochs: 1, 'nb-steps': 20, 'max-time': 1, batch: 40, lr: 0.01, 'validation-fraction': 0.2, workers: 1, 'delay-sigma': 2 },
      grid: { 'rec-delay-max': [0, '6,0', 6], 'ff-delay-max': ['0,3'] },
      data: { train: join(FIX, 'agreement_train.h5'), test: join(FIX, 'agreement_test.h5') },
    });
    const out = join(dir, 'delays');
    const r = await runCli(['sweep', 'run', spec, '--out', out, '--parallel', '1']);
    expect(r.code, r.stderr).toBe(0);
    const table = JSON.parse((await runCli(['sweep', 'collect', out, '--json'])).stdout) as SweepTable;
    expect(table.counts.done).toBe(3);
    expect(table.fields).toEqual(['rec-delay-max', 'ff-delay-max']);
    expect(table.rows.map((row) => String(row.varied['rec-delay-max'])).sort()).toEqual(['0', '6', '6,0']);
    const text = (await runCli(['sweep', 'collect', out])).stdout;
    expect(text).toMatch(/rec-delay-max/);
    expect(text).toMatch(/6,0/);
    const delaysOf = async (id: string) => (await readSession(join(out, 'tasks', id, 'session.h5'))).params.layout.map((e) => e.name).filter((n) => n.endsWith('_delay'));
    // t000: none recurrent; t001: layer 1 only; t002: both layers; layer 2 sends up through its own ff delays in each.
    expect(await delaysOf('t000')).toEqual(['layer1/ff_delay']);
    expect(await delaysOf('t001')).toEqual(['layer0/rec_delay', 'layer1/ff_delay']);
    expect(await delaysOf('t002')).toEqual(['layer0/rec_delay', 'layer1/rec_delay', 'layer1/ff_delay']);
  }, scaled(240_000));
});

describe('sweep run (local queue)', () => {
  const spec = writeSpec('tiny.json', { ...SPEC, data: { train: join(FIX, 'agreement_train.h5'), test: join(FIX, 'agreement_test.h5') } });
  const out = join(dir, 'local');

  it('runs 4 tasks 2 at a time, each with its session, report, log and status, and collects them best first', async () => {
    const r = await runCli(['sweep', 'run', spec, '--out', out, '--parallel', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/^\[\d\/4\] t00\d done in [\d.]+ s \(hidden=\d+ seed=\d\)$/gm)).toHaveLength(4);
    for (const id of ['t000', 't001', 't002', 't003']) {
      for (const f of ['session.h5', 'report.json', 'log.txt', 'status.json']) expect(existsSync(join(out, 'tasks', id, f)), `${id}/${f}`).toBe(true);
    }
    const c = await runCli(['sweep', 'collect', out, '--json']);
    const table = JSON.parse(c.stdout) as SweepTable;
    expect(table.counts.done).toBe(4);
    expect(table.fields).toEqual(['hidden', 'seed']);
    const metrics = table.rows.map((row) => row.metric!);
    expect(metrics.every((m) => m > 0.25 && m <= 1)).toBe(true);
    expect([...metrics].sort((a, b) => b - a)).toEqual(metrics);
    // The metric is the validation accuracy of the run's selected epoch, read from its own report.
    const best = table.rows[0];
    const report = JSON.parse(readFileSync(join(out, 'tasks', best.id, 'report.json'), 'utf8'));
    expect(best.metric).toBe(report.history[report.selected_epoch - 1].val_acc);
    const csv = (await runCli(['sweep', 'collect', out, '--csv'])).stdout.split('\n');
    expect(csv[0]).toBe('id,status,hidden,seed,val_acc_selected,selected_epoch,test_acc_selected,final_test_acc,epochs,wall_s,error');
    expect(csv.filter(Boolean)).toHaveLength(5);
    localTable = table;
  }, scaled(240_000));

  it('resumes: run again and every finished task is skipped', async () => {
    const r = await runCli(['sweep', 'run', spec, '--out', out, '--parallel', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/4 tasks already done, skipped/);
    expect(r.stderr).not.toMatch(/started/);
  });

  it('refuses to mix another sweep into the same directory', async () => {
    const other = writeSpec('other.json', { ...SPEC, grid: { hidden: [8, 24] } });
    const r = await runCli(['sweep', 'run', other, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds a different sweep/);
  });

  it('shows a failing task with its last error line', async () => {
    const broken = writeSpec('broken.json', { ...SPEC, grid: { hidden: [8] }, data: { train: 'missing_train.h5', test: join(FIX, 'agreement_test.h5') } });
    const failedDir = join(dir, 'failed');
    const r = await runCli(['sweep', 'run', broken, '--out', failedDir]);
    expect(r.code).toBe(1);
    const table = JSON.parse((await runCli(['sweep', 'collect', failedDir, '--json'])).stdout) as SweepTable;
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].status).toBe('failed');
    expect(table.rows[0].error).toMatch(/missing_train\.h5/);
    expect((await runCli(['sweep', 'collect', failedDir])).stdout).toMatch(/t000 failed: .*missing_train\.h5/);
  });

  it('stops on Ctrl-C: the running task is marked stopped, nothing more starts, and a rerun finishes it', async () => {
    const slow = writeSpec('slow.json', { ...SPEC, base: { ...SPEC.base, epochs: 40 }, grid: { seed: [5, 6] }, data: { train: join(FIX, 'agreement_train.h5'), test: join(FIX, 'agreement_test.h5') } });
    const stopDir = join(dir, 'stopped');
    const { child, done } = startCli(['sweep', 'run', slow, '--out', stopDir]);
    let err = '';
    child.stderr!.on('data', (s: string) => (err += s));
    await expect.poll(() => existsSync(join(stopDir, 'tasks', 't000', 'report.json')), { timeout: scaled(60_000), interval: 200 }).toBe(true);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    const table = JSON.parse((await runCli(['sweep', 'collect', stopDir, '--json'])).stdout) as SweepTable;
    expect(table.rows.map((row) => row.status).sort()).toEqual(['missing', 'stopped']);
    expect(err).not.toMatch(/t001 started/);
    // Run again: the stopped task starts over, the other runs, both finish.
    const again = await runCli(['sweep', 'run', slow, '--out', stopDir, '--parallel', '2']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse((await runCli(['sweep', 'collect', stopDir, '--json'])).stdout).counts.done).toBe(2);
  }, scaled(180_000));
});

const slurmMissing = missing('slurm');

describe.skipIf(slurmMissing !== null)(`sweep slurm (a real one-node cluster)${slurmMissing ? ` (skipped: ${slurmMissing})` : ''}`, () => {
  it('submits the sweep as a job array whose 4 finished rows are the local run\'s table', async () => {
    const spec = writeSpec('tiny-slurm.json', { ...SPEC, data: { train: join(FIX, 'agreement_train.h5'), test: join(FIX, 'agreement_test.h5') } });
    const out = join(dir, 'slurm');
    const r = await runCli(['sweep', 'slurm', spec, '--out', out, '--cpus', '1', '--max-running', '2', '--time', '00:10:00', '--submit']);
    expect(r.code, r.stderr).toBe(0);
    const jobId = r.stdout.trim();
    expect(jobId).toMatch(/^\d+$/);
    const script = readFileSync(join(out, 'sweep.sbatch'), 'utf8');
    expect(script).toMatch(/^#SBATCH --array=0-3%2$/m);
    expect(script).toMatch(/^#SBATCH --time=00:10:00$/m);
    let table: SweepTable | null = null;
    await expect
      .poll(
        async () => {
          table = JSON.parse((await runCli(['sweep', 'collect', out, '--json'])).stdout) as SweepTable;
          return table.counts.done + table.counts.failed;
        },
        { timeout: scaled(300_000), interval: 2000 },
      )
      .toBe(4);
    expect(table!.counts.done, JSON.stringify(table!.rows.map((row) => row.error))).toBe(4);
    for (const id of ['t000', 't001', 't002', 't003']) {
      expect(existsSync(join(out, 'tasks', id, 'slurm.out')), `${id}/slurm.out`).toBe(true);
      expect(JSON.parse(readFileSync(join(out, 'tasks', id, 'status.json'), 'utf8')).slurm).toMatch(new RegExp(`^${jobId}_\\d$`));
    }
    // Deterministic training: the cluster's table is the local one, row for row.
    if (localTable) expect(comparable(table!)).toEqual(comparable(localTable));
  }, scaled(360_000));
});
