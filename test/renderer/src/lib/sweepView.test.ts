import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import type { SweepRow, SweepTable } from '../../../../src/shared/sweep';
import { buildSpec, filterRows, parseValues, scatterPoints, sortRows } from '../../../../src/renderer/src/lib/sweepView';

const row = (id: string, index: number, status: SweepRow['status'], metric: number | null, varied: SweepRow['varied']): SweepRow => ({
  id, index, status, varied, metric, epochs: 3, selected_epoch: 2, val_acc_selected: metric, test_acc_selected: metric, final_test_acc: metric, final_val_acc: metric, final_train_loss: 1, wall_s: 1 + index, host: 'h', session: null,
});

describe('sweep view', () => {
  it('parses typed values per kind and names what is wrong', () => {
    expect(parseValues('hidden', '64, 128')).toEqual({ values: [64, 128] });
    expect(parseValues('tau-mem', '0.01:0.02, 0.02')).toEqual({ values: ['0.01:0.02', '0.02'] });
    expect(parseValues('learn-tau', 'true,false')).toEqual({ values: [true, false] });
    expect(parseValues('hidden', '64, 12.5')).toEqual({ error: 'neurons per layer: "12.5" is not a whole number' });
    expect(parseValues('lr', '0.1, 0.1')).toEqual({ error: 'learning rate: a value is repeated' });
    expect(parseValues('lr', ' ')).toEqual({ error: 'learning rate: give one or more values, separated by commas' });
  });

  it('builds a spec from the form: its config as the base, the fields as the grid, its files as the data', () => {
    const files = { kind: 'files' as const, trainPath: '/d/a.h5', testPath: '/d/b.h5' };
    const r = buildSpec(' s1 ', DEFAULT_CONFIG, files, [{ flag: 'lr', text: '0.01, 0.001' }, { flag: 'seed', text: '1' }]);
    expect(r).toEqual({ spec: { name: 's1', config: DEFAULT_CONFIG, grid: { lr: [0.01, 0.001], seed: [1] }, data: { train: '/d/a.h5', test: '/d/b.h5' } } });
    expect(buildSpec('', DEFAULT_CONFIG, { kind: 'catalog', name: 'shd' }, [{ flag: 'seed', text: '1' }])).toMatchObject({ spec: { data: { dataset: 'shd' } } });
    expect(buildSpec('', DEFAULT_CONFIG, { kind: 'demo' }, [{ flag: 'seed', text: '1' }])).toMatchObject({ error: expect.stringMatching(/pick HDF5 files or a downloaded set/) });
    expect(buildSpec('', DEFAULT_CONFIG, files, [{ flag: 'seed', text: '1' }, { flag: 'seed', text: '2' }])).toEqual({ error: 'seed is listed twice' });
  });

  it('sorts, filters and plots the collected rows', () => {
    const rows = [row('t000', 0, 'done', 0.5, { hidden: 8, neuron: 'lif' }), row('t001', 1, 'failed', null, { hidden: 16, neuron: 'lif' }), row('t002', 2, 'done', 0.9, { hidden: 16, neuron: 'adlif' })];
    expect(sortRows(rows, 'metric', true).map((r) => r.id)).toEqual(['t002', 't000', 't001']);
    expect(sortRows(rows, 'metric', false).map((r) => r.id)).toEqual(['t000', 't002', 't001']);
    expect(sortRows(rows, 'field:hidden', true).map((r) => r.id)).toEqual(['t001', 't002', 't000']);
    expect(filterRows(rows, 'done').map((r) => r.id)).toEqual(['t000', 't002']);
    expect(filterRows(rows, 'hidden=16 adlif').map((r) => r.id)).toEqual(['t002']);
    const table: SweepTable = { name: 's', dir: '/s', metric: 'val_acc_selected', fields: ['hidden', 'neuron'], rows, counts: { done: 2, failed: 1, running: 0, stopped: 0, missing: 0 } };
    expect(scatterPoints(table, 'hidden')).toEqual([{ x: 8, y: 0.5, label: 't000' }, { x: 16, y: 0.9, label: 't002' }]);
    // Text values are placed by their index among the values.
    expect(scatterPoints(table, 'neuron').map((p) => p.x)).toEqual([0, 1]);
  });
});
