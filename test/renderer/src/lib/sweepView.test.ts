import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import type { CheckedSweepTask, SweepRow, SweepTable } from '../../../../src/shared/sweep';
import { buildSpec, filterRows, paddedRange, previewRows, scatterPoints, sortRows, sweepData } from '../../../../src/renderer/src/lib/sweepView';

const row = (id: string, index: number, status: SweepRow['status'], metric: number | null, varied: SweepRow['varied']): SweepRow => ({
  id, index, status, varied, metric, epochs: 3, selected_epoch: 2, val_acc_selected: metric, test_acc_selected: metric, final_test_acc: metric, final_val_acc: metric, final_train_loss: 1, wall_s: 1 + index, host: 'h', session: null,
});

describe('sweep view', () => {
  it('builds a spec from the form: its config as the base, the fields as the grid (τ in seconds), its data', () => {
    const files = { kind: 'files' as const, trainPath: '/d/a.h5', testPath: '/d/b.h5' };
    const r = buildSpec(' s1 ', DEFAULT_CONFIG, files, [{ flag: 'lr', text: '0.01, 0.001' }, { flag: 'tau-mem', text: '10, 20' }]);
    expect(r).toEqual({ spec: { name: 's1', config: DEFAULT_CONFIG, grid: { lr: [0.01, 0.001], 'tau-mem': ['0.01', '0.02'] }, data: { train: '/d/a.h5', test: '/d/b.h5' } } });
    expect(buildSpec('', DEFAULT_CONFIG, { kind: 'catalog', name: 'shd' }, [{ flag: 'seed', text: '1' }])).toMatchObject({ spec: { data: { dataset: 'shd' } } });
    expect(buildSpec('', DEFAULT_CONFIG, files, [{ flag: 'seed', text: '1' }, { flag: 'seed', text: '2' }])).toEqual({ error: 'seed is listed twice' });
    expect(buildSpec('', DEFAULT_CONFIG, files, [{ flag: 'tau-mem', text: '-5' }])).toEqual({ error: 'τ_mem: "-5" must be > 0 ms and ≤ 10000 ms' });
    expect(buildSpec('', DEFAULT_CONFIG, files, [])).toEqual({ error: 'Add a field to vary.' });
  });

  it('sweeps the demo set as the CLI does (--dataset demo), and says why another demo set cannot be', () => {
    expect(sweepData({ kind: 'demo' })).toEqual({ data: { dataset: 'demo' } });
    expect(buildSpec('', DEFAULT_CONFIG, { kind: 'demo' }, [{ flag: 'seed', text: '1' }])).toMatchObject({ spec: { data: { dataset: 'demo' } } });
    expect(sweepData({ kind: 'demo', seed: 3, trainSamples: 160 })).toEqual({
      error: 'Sweeps train through the CLI, whose demo set is the default one (seed 0, 800/200 samples); demo (seed 3, 160/default samples) is not: clear the demo\'s seed and sizes on the Data & model tab, or pick files.',
    });
    expect(sweepData(null)).toEqual({ error: 'Choose a dataset on the Data & model tab: the sweep trains on it.' });
  });

  it('lays out the checked tasks in the form\'s units, each refused value marked with train\'s reason', () => {
    const task = (index: number, tauMem: string, nbSteps: number, problems: CheckedSweepTask['problems']): CheckedSweepTask => ({
      index, id: `t00${index}`, varied: { 'tau-mem': tauMem, 'nb-steps': nbSteps }, args: [], problems,
    });
    const skip = '--readout-skip must be below the number of time steps (10), got 10';
    const table = previewRows([
      task(0, '0.01', 20, []),
      task(1, '0.02', 10, [{ flag: 'nb-steps', message: skip }]),
      task(2, '0.005:0.025', 20, [{ flag: null, message: '--backend must be one of auto (got "x")' }]),
    ]);
    expect(table.fields).toEqual(['tau-mem', 'nb-steps']);
    expect(table.badTasks).toBe(2);
    expect(table.rows.map((r) => r.cells.map((c) => c.text))).toEqual([['10', '20'], ['20', '10'], ['5:25', '20']]);
    expect(table.rows[1].cells.map((c) => c.problem)).toEqual([null, skip]);
    expect(table.rows[1].problems).toEqual([]);
    expect(table.rows[2].cells.every((c) => c.problem === null)).toBe(true);
    expect(table.rows[2].problems).toEqual(['--backend must be one of auto (got "x")']);
    expect(previewRows([])).toEqual({ fields: [], rows: [], badTasks: 0 });
  });

  it('sorts, filters and plots the collected rows', () => {
    const rows = [row('t000', 0, 'done', 0.5, { hidden: 8, neuron: 'lif' }), row('t001', 1, 'failed', null, { hidden: 16, neuron: 'lif' }), row('t002', 2, 'done', 0.9, { hidden: 16, neuron: 'adlif' })];
    expect(sortRows(rows, 'metric', true).map((r) => r.id)).toEqual(['t002', 't000', 't001']);
    expect(sortRows(rows, 'metric', false).map((r) => r.id)).toEqual(['t000', 't002', 't001']);
    expect(sortRows(rows, 'field:hidden', true).map((r) => r.id)).toEqual(['t001', 't002', 't000']);
    expect(filterRows(rows, 'done').map((r) => r.id)).toEqual(['t000', 't002']);
    expect(filterRows(rows, 'hidden=16 adlif').map((r) => r.id)).toEqual(['t002']);
    const table: SweepTable = { name: 's', dir: '/s', metric: 'val_acc_selected', fields: ['hidden', 'neuron'], rows, counts: { done: 2, failed: 1, running: 0, stopped: 0, missing: 0 } };
    expect(scatterPoints(table, 'hidden')).toEqual({ points: [{ x: 8, y: 0.5, label: 't000' }, { x: 16, y: 0.9, label: 't002' }], categories: null });
    // Text values are placed by their index among the values, which label the axis.
    expect(scatterPoints(table, 'neuron')).toEqual({ points: [{ x: 0, y: 0.5, label: 't000' }, { x: 1, y: 0.9, label: 't002' }], categories: ['lif', 'adlif'] });
  });

  it('filters and plots τ as the table shows it, in ms', () => {
    const rows = [row('t000', 0, 'done', 0.5, { 'tau-mem': '0.01' }), row('t001', 1, 'done', 0.7, { 'tau-mem': '0.02' }), row('t002', 2, 'done', 0.6, { 'tau-mem': '0.005:0.025' })];
    expect(filterRows(rows, 'tau-mem=20').map((r) => r.id)).toEqual(['t001']);
    // The value as train took it matches too (a filter typed from the sweep folder's files).
    expect(filterRows(rows, 'tau-mem=0.02').map((r) => r.id)).toEqual(['t001']);
    const table: SweepTable = { name: 's', dir: '/s', metric: 'val_acc_selected', fields: ['tau-mem'], rows: rows.slice(0, 2), counts: { done: 2, failed: 0, running: 0, stopped: 0, missing: 0 } };
    expect(scatterPoints(table, 'tau-mem').points.map((p) => p.x)).toEqual([10, 20]);
    // A span among the values: every value becomes a category, as shown.
    expect(scatterPoints({ ...table, rows }, 'tau-mem').categories).toEqual(['10', '20', '5:25']);
  });

  it('pads an axis so no point sits on the frame, a single value too', () => {
    expect(paddedRange([0.5, 0.9])).toEqual({ min: 0.5 - 0.032, max: 0.9 + 0.032 });
    expect(paddedRange([0.6, 0.6])).toEqual({ min: 0.6 - 0.06, max: 0.6 + 0.06 });
    expect(paddedRange([0])).toEqual({ min: -0.05, max: 0.05 });
    expect(paddedRange([])).toEqual({ min: 0, max: 1 });
  });
});
