import { describe, expect, it } from 'vitest';
import { configErrors, DEFAULT_CONFIG, decayFactors, makeConfig, validateTrainConfig } from '../../src/shared/config';

describe('training config contract', () => {
  it('accepts the defaults, which are the reference defaults', () => {
    expect(configErrors({ ...DEFAULT_CONFIG })).toEqual([]);
    expect(DEFAULT_CONFIG.hidden).toBe(128);
    expect(DEFAULT_CONFIG.nbSteps).toBe(100);
    expect(DEFAULT_CONFIG.maxTimeS).toBe(1.4);
  });

  it('names every bad field', () => {
    const errors = configErrors({ ...DEFAULT_CONFIG, tauMemS: 0, hidden: 1.5, binning: 'log', extra: 1 });
    expect(errors.map((e) => e.field).sort()).toEqual(['binning', 'extra', 'hidden', 'tauMemS']);
    expect(errors.find((e) => e.field === 'tauMemS')!.message).toMatch(/tauMemS must be a number > 0/);
  });

  it('refuses non-objects, NaN and strings for numbers', () => {
    expect(configErrors(null)[0].message).toBe('config must be an object');
    expect(configErrors({ ...DEFAULT_CONFIG, learningRate: Number.NaN })[0].field).toBe('learningRate');
    expect(() => validateTrainConfig({ ...DEFAULT_CONFIG, epochs: '3' })).toThrow(/epochs must be an integer/);
  });

  it('computes alpha and beta from dt and the time constants', () => {
    const { alpha, beta } = decayFactors(makeConfig());
    expect(alpha).toBeCloseTo(Math.exp(-0.2), 12);
    expect(beta).toBeCloseTo(Math.exp(-0.1), 12);
  });
});
