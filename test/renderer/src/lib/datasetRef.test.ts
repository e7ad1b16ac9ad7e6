import { describe, expect, it } from 'vitest';
import { baseName, demoRef, describeRef, optionalInt, sameRef } from '../../../../src/renderer/src/lib/datasetRef';

describe('dataset references from the panel', () => {
  it('reads optional whole numbers', () => {
    expect(optionalInt('  ', 'x', 1, 10)).toEqual({});
    expect(optionalInt('7', 'x', 1, 10)).toEqual({ value: 7 });
    expect(optionalInt('2.5', 'Train samples', 1, 10).error).toBe('Train samples must be a whole number from 1 to 10 (got "2.5")');
    expect(optionalInt('0', 'x', 1, 10).error).toMatch(/from 1 to 10/);
  });
  it('builds demo refs with only the fields given', () => {
    expect(demoRef('', '', '')).toEqual({ ref: { kind: 'demo' }, errors: [] });
    expect(demoRef('3', '200', '40')).toEqual({ ref: { kind: 'demo', seed: 3, trainSamples: 200, testSamples: 40 }, errors: [] });
    const bad = demoRef('x', '0', '');
    expect(bad.ref).toBeNull();
    expect(bad.errors).toHaveLength(2);
  });
  it('describes and compares refs', () => {
    expect(describeRef({ kind: 'demo' })).toBe('demo');
    expect(describeRef({ kind: 'demo', seed: 1, trainSamples: 200 })).toBe('demo (seed 1, 200/default samples)');
    expect(describeRef({ kind: 'catalog', name: 'shd' })).toBe('SHD');
    expect(describeRef({ kind: 'files', trainPath: '/d/a_train.h5', testPath: 'C:\\d\\a_test.h5' })).toBe('a_train.h5 + a_test.h5');
    expect(baseName('/x/')).toBe('/x/');
    expect(sameRef({ kind: 'demo', seed: 1 }, { seed: 1, kind: 'demo' } as never)).toBe(true);
    expect(sameRef({ kind: 'demo' }, { kind: 'demo', seed: 1 })).toBe(false);
    expect(sameRef(null, null)).toBe(true);
  });
});
