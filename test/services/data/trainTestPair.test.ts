import { describe, expect, it } from 'vitest';
import { makeDemoDataset } from '../../../src/services/data/demoData';
import { pairTrainTest } from '../../../src/services/data/trainTestPair';

const train = makeDemoDataset({ seed: 1, samples: 40, split: 'train' });
const test = makeDemoDataset({ seed: 1, samples: 20, split: 'test' });

describe('pairTrainTest', () => {
  it('gives both sets the wider channel count, or the network inputs when larger', () => {
    const narrow = { ...test, channels: 500 };
    const paired = pairTrainTest(train, narrow);
    expect([paired.train.channels, paired.test.channels]).toEqual([700, 700]);
    expect(paired.test.samples).toBe(20);
    const continued = pairTrainTest(train, narrow, 800);
    expect([continued.train.channels, continued.test.channels]).toEqual([800, 800]);
  });

  it('refuses sets with different classes, naming both', () => {
    const other = { ...test, name: 'b.h5', classNames: test.classNames.slice(0, 10) };
    expect(() => pairTrainTest({ ...train, name: 'a.h5' }, other)).toThrow(
      'a.h5 and b.h5 have different classes (20 vs 10: demo-0, demo-1, demo-2, demo-3… vs demo-0, demo-1, demo-2, demo-3…)',
    );
  });
});
