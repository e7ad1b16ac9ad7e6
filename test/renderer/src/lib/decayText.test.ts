import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG } from '../../../../src/shared/config';
import { decayText } from '../../../../src/renderer/src/lib/decayText';

describe('decay factors line', () => {
  it('gives α and β of the τ the neuron kind uses, both ends of a span', () => {
    const lif = { ...cloneConfig(DEFAULT_CONFIG), tauMemS: { lo: 0.02, hi: 0.02 } };
    expect(decayText(lif, {})).toBe('α = exp(−dt/τ_syn) = 0.8187 · β = exp(−dt/τ_mem) = 0.9512');
    const adlif = { ...lif, neuron: 'adlif' as const, tauMemS: { lo: 0.005, hi: 0.025 }, tauAdaptS: { lo: 0.06, hi: 0.3 } };
    expect(decayText(adlif, {})).toBe('α = exp(−dt/τ_mem) = 0.8187…0.9608 · β = exp(−dt/τ_adapt) = 0.9835…0.9967');
  });
  it('is absent while dt or a used τ is invalid, not for an unused one', () => {
    const c = cloneConfig(DEFAULT_CONFIG);
    expect(decayText(c, { tauMemS: 'bad' })).toBeNull();
    expect(decayText(c, { dtS: 'bad' })).toBeNull();
    expect(decayText(c, { tauAdaptS: 'bad' })).not.toBeNull();
  });
});
