import { describe, expect, it } from 'vitest';
import { configErrors, DEFAULT_CONFIG } from '../../../../src/shared/config';
import { matchingPreset, PRESETS } from '../../../../src/renderer/src/lib/presets';

describe('presets', () => {
  it('are valid configs; the seed preset is the defaults', () => {
    for (const p of PRESETS) expect(configErrors({ ...p.config })).toEqual([]);
    expect(PRESETS[0].config).toEqual(DEFAULT_CONFIG);
    expect(matchingPreset({ ...DEFAULT_CONFIG })?.id).toBe('seed');
  });
  it('SpyTorch tutorial uses the notebook values', () => {
    const c = PRESETS.find((p) => p.id === 'spytorch')!.config;
    expect([c.hidden, c.tauSynS, c.tauMemS, c.batchSize, c.learningRate, c.optimizer, c.epochs]).toEqual([
      200, 0.005, 0.01, 256, 2e-4, 'adamax', 200,
    ]);
    expect(matchingPreset({ ...c })?.id).toBe('spytorch');
    expect(matchingPreset({ ...c, epochs: 3 })).toBeUndefined();
  });
});
