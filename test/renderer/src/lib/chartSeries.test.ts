import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../../../src/shared/events';
import { accuracySeries, COLORS, hasValidation, lossSeries, paddedXRange, RUN_B, selectedEpochMarker } from '../../../../src/renderer/src/lib/chartSeries';

const none = { val_loss: null, val_acc: null, lr: 1e-3 };
const h: EpochRecord[] = [
  { epoch: 1, train_loss: 2.5, train_acc: 0.25, test_loss: 2.6, test_acc: 0.2, train_s: 1, eval_s: 0.1, ...none },
  { epoch: 2, train_loss: Number.NaN, train_acc: 0.5, test_loss: 2.0, test_acc: 0.45, train_s: 1, eval_s: 0.1, ...none },
];
const withVal: EpochRecord[] = h.map((r, i) => ({ ...r, val_loss: 2.4 - i, val_acc: 0.3 + 0.1 * i }));

describe('chart series', () => {
  it('loss: batch line first, epoch points, non-finite losses left out', () => {
    const s = lossSeries([{ epoch: 1, batch: 1, x: 0.5, loss: 3 }], h);
    expect(s.map((x) => x.label)).toEqual(['batch loss', 'train loss', 'test loss']);
    expect(s[0].points).toEqual([{ x: 0.5, y: 3 }]);
    expect(s[1].points).toEqual([{ x: 1, y: 2.5 }]);
    expect(s[2].points).toEqual([{ x: 1, y: 2.6 }, { x: 2, y: 2.0 }]);
    expect(lossSeries([], h).map((x) => x.label)).toEqual(['train loss', 'test loss']);
  });
  it('accuracy in percent', () => {
    const s = accuracySeries(h, 'A ');
    expect(s[0].label).toBe('A train accuracy');
    expect(s[1].points).toEqual([{ x: 1, y: 20 }, { x: 2, y: 45 }]);
  });
  it('adds validation between train and test when the run measured it', () => {
    expect(hasValidation(h)).toBe(false);
    expect(hasValidation(withVal)).toBe(true);
    // Records from before the protocol lack the keys altogether.
    expect(hasValidation([{ epoch: 1, train_loss: 1, train_acc: 0.5, test_loss: 1, test_acc: 0.5, train_s: 1, eval_s: 1 } as EpochRecord])).toBe(false);
    const acc = accuracySeries(withVal, 'B ', RUN_B, true);
    expect(acc.map((x) => [x.label, x.color, x.dashed])).toEqual([
      ['B train accuracy', COLORS.trainB, true],
      ['B validation accuracy', COLORS.valB, true],
      ['B test accuracy', COLORS.testB, true],
    ]);
    expect(acc[1].points).toEqual([{ x: 1, y: 30 }, { x: 2, y: 40 }]);
    expect(lossSeries([], withVal).map((x) => x.label)).toEqual(['train loss', 'validation loss', 'test loss']);
    expect(lossSeries([], withVal)[1].points).toEqual([{ x: 1, y: 2.4 }, { x: 2, y: 1.4 }]);
  });
  it('marks the selected epoch with a vertical line over the whole axis, only for an epoch of the history', () => {
    expect(selectedEpochMarker(withVal, 2, 'selected (best validation)')).toEqual({
      label: 'selected (best validation)',
      points: [{ x: 2, y: 0 }, { x: 2, y: 100 }],
      color: COLORS.selected,
      lineWidth: 1.5,
      dashed: false,
    });
    expect(selectedEpochMarker(withVal, 3, 'x')).toBeNull();
    expect(selectedEpochMarker(withVal, null, 'x')).toBeNull();
    expect(selectedEpochMarker(withVal, 1, 'sel', 'A ', true)).toMatchObject({ label: 'A sel', dashed: true });
  });
});

describe('paddedXRange', () => {
  it('widens the span of every series\' points at both ends, so epoch 1 and the last epoch sit inside the plot', () => {
    const epochs = [{ label: 'train', color: '#000', points: [{ x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: 1 }] }];
    expect(paddedXRange(epochs, 0.25)).toEqual({ min: 0.75, max: 3.25 });
    // Batch points start inside epoch 1; a non-finite x is ignored.
    const batches = { label: 'batch', color: '#000', points: [{ x: 0.25, y: 3.4 }, { x: Number.NaN, y: 1 }] };
    expect(paddedXRange([...epochs, batches], 0.25)).toEqual({ min: 0, max: 3.25 });
    expect(paddedXRange([{ label: 'none', color: '#000', points: [] }], 0.25)).toBeNull();
  });
});
