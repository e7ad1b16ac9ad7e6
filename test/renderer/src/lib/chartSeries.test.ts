import { describe, expect, it } from 'vitest';
import { accuracySeries, lossSeries } from '../../../../src/renderer/src/lib/chartSeries';

const h = [
  { epoch: 1, train_loss: 2.5, train_acc: 0.25, test_loss: 2.6, test_acc: 0.2, train_s: 1, eval_s: 0.1 },
  { epoch: 2, train_loss: Number.NaN, train_acc: 0.5, test_loss: 2.0, test_acc: 0.45, train_s: 1, eval_s: 0.1 },
];

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
});
