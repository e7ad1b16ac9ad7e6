import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { compareConfigs, keyConfig } from '../../../../src/renderer/src/lib/configCompare';

describe('config comparison', () => {
  it('summarises the key options in form units', () => {
    expect(keyConfig({ ...DEFAULT_CONFIG })).toBe('H 128 · τsyn 5 ms · τmem 10 ms · T 100 · lr 0.001 adam · B 256');
    expect(keyConfig({ ...DEFAULT_CONFIG, recurrent: false, learningRate: 2e-4 })).toMatch(/^H 128 \(no rec\.\) .* lr 2e-4 adam/);
  });
  it('lists every option and marks the differences', () => {
    const rows = compareConfigs({ ...DEFAULT_CONFIG }, { ...DEFAULT_CONFIG, tauMemS: 0.02, epochs: 3 });
    expect(rows).toHaveLength(Object.keys(DEFAULT_CONFIG).length);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['tauMemS', 'epochs']);
    expect(rows.find((r) => r.key === 'tauMemS')).toMatchObject({ a: '10 ms', b: '20 ms' });
    expect(rows.find((r) => r.key === 'regL1')).toMatchObject({ a: '2e-6', differs: false });
  });
});
