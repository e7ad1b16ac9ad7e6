import { describe, expect, it } from 'vitest';
import { cloneConfig, configErrors, DEFAULT_CONFIG } from '../../src/shared/config';
import { findPreset, matchingPreset, PRESETS } from '../../src/shared/presets';

describe('presets', () => {
  it('are valid configs with unique ids and a cited description; the seed preset is the defaults', () => {
    for (const p of PRESETS) {
      expect(configErrors(cloneConfig(p.config))).toEqual([]);
      expect(p.description.length).toBeGreaterThan(40);
    }
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    expect(findPreset('seed')!.config).toEqual(DEFAULT_CONFIG);
    expect(matchingPreset(cloneConfig(DEFAULT_CONFIG))?.id).toBe('seed');
  });

  it('SpyTorch tutorial uses the notebook values and stops matching once edited', () => {
    const c = findPreset('spytorch-tutorial')!.config;
    expect([c.layers, c.tauSynS, c.tauMemS, c.batchSize, c.learningRate, c.optimizer, c.epochs]).toEqual([
      [{ size: 200, recurrent: true, dropout: 0 }],
      { lo: 0.005, hi: 0.005 },
      { lo: 0.01, hi: 0.01 },
      256,
      2e-4,
      'adamax',
      200,
    ]);
    expect(matchingPreset(cloneConfig(c))?.id).toBe('spytorch-tutorial');
    expect(matchingPreset({ ...cloneConfig(c), epochs: 3 })).toBeUndefined();
    const edited = cloneConfig(c);
    edited.layers[0].dropout = 0.1;
    expect(matchingPreset(edited)).toBeUndefined();
    expect(findPreset('nonexistent')).toBeUndefined();
  });
});
