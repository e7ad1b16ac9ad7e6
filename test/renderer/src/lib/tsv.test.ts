import { describe, expect, it } from 'vitest';
import { batchLossesToTsv, historyToTsv, toTsv } from '../../../../src/renderer/src/lib/tsv';

describe('TSV export', () => {
  it('writes the history with the report keys as header, full precision', () => {
    const tsv = historyToTsv([
      { epoch: 1, train_loss: 2.9957, train_acc: 0.1, val_loss: null, val_acc: null, test_loss: 2.8, test_acc: 0.125, lr: 1e-3, train_s: 1.5, eval_s: 0.25 },
      { epoch: 2, train_loss: 1.23456789, train_acc: 0.5, val_loss: 1.75, val_acc: 0.375, test_loss: 1.5, test_acc: 0.4375, lr: 5e-4, train_s: 1.25, eval_s: 0.2 },
    ]);
    const lines = tsv.trimEnd().split('\n');
    expect(lines[0]).toBe('epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc\ttest_loss\ttest_acc\tlr\ttrain_s\teval_s');
    expect(lines[2].split('\t')).toEqual(['2', '1.23456789', '0.5', '1.75', '0.375', '1.5', '0.4375', '0.0005', '1.25', '0.2']);
    // No validation set: empty cells, which pandas reads as NaN.
    expect(lines[1].split('\t').slice(3, 5)).toEqual(['', '']);
    expect(lines).toHaveLength(3);
  });
  it('keeps the grid intact when a cell holds tabs or newlines', () => {
    expect(toTsv(['a', 'b'], [['x\ty', 'p\nq']])).toBe('a\tb\nx y\tp q\n');
  });
  it('writes batch losses', () => {
    expect(batchLossesToTsv([{ epoch: 1, batch: 3, loss: 0.5 }])).toBe('epoch\tbatch\tloss\n1\t3\t0.5\n');
  });
});
