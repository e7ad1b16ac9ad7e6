import { describe, expect, it } from 'vitest';
import { delayHistograms, layerDelayMax } from '../../../../src/renderer/src/lib/delayHistogram';
import { cloneConfig, DEFAULT_CONFIG } from '../../../../src/shared/config';

describe('delay histograms', () => {
  it('bins initial and learned delays over [0, max] in steps, recurrent then feed-forward, with their means', () => {
    const initial = { delays: { rec: [0, 1, 2.5, 5], ff: [1, 3] } };
    const learned = { delays: { rec: [0.2, 5.9, 6, 6], ff: [2, 2] } };
    const [rec, ff, ...rest] = delayHistograms(initial, learned, { rec: 6, ff: 4 }, 3);
    expect(rest).toEqual([]);
    expect(rec.key).toBe('rec');
    expect(rec.unit).toBe('steps');
    expect(rec.edges).toEqual([0, 2, 4, 6]);
    expect(rec.initial).toEqual([2, 1, 1]);
    expect(rec.learned).toEqual([1, 0, 3]);
    expect(rec.meanInitial).toBeCloseTo(2.125, 10);
    expect(rec.meanLearned).toBeCloseTo(4.525, 10);
    expect(ff.label).toBe('feed-forward delay');
    expect(ff.edges).toEqual([0, 4 / 3, 8 / 3, 4]);
    expect(ff.initial).toEqual([1, 0, 1]);
    expect(ff.learned).toEqual([0, 2, 0]);
  });

  it('uses the values’ range when the maximum is unknown, the initial alone before the first epoch', () => {
    const [rec] = delayHistograms({ delays: { rec: [1, 3] } }, null, {}, 2);
    expect(rec.edges).toEqual([1, 2, 3]);
    expect(rec.initial).toEqual([1, 1]);
    expect(rec.learned).toBeNull();
    expect(rec.meanLearned).toBeNull();
  });

  it('draws nothing for a layer without delays', () => {
    expect(delayHistograms({}, {}, { rec: 6 })).toEqual([]);
    expect(delayHistograms(null, null)).toEqual([]);
    expect(delayHistograms({ delays: { ff: [2] } }, { delays: { ff: [2] } }).map((h) => h.key)).toEqual(['ff']);
  });

  it('takes each layer’s own maximum as its range, else the config’s', () => {
    const config = {
      ...cloneConfig(DEFAULT_CONFIG), recDelayMax: 6, ffDelayMax: 4,
      layers: [{ size: 4, recurrent: true, dropout: 0, recDelayMax: 25 }, { size: 4, recurrent: false, dropout: 0, ffDelayMax: 0 }],
    };
    expect(layerDelayMax(config)).toEqual([{ rec: 25, ff: 4 }, { rec: 0, ff: 0 }]);
    expect(layerDelayMax(null)).toEqual([]);
    const [rec] = delayHistograms({ delays: { rec: [1, 3] } }, null, layerDelayMax(config)[0], 5);
    expect(rec.edges).toEqual([0, 5, 10, 15, 20, 25]);
  });
});
