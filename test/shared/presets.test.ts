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

  it("the C-SiLIF SHD preset has the paper code's SHD configuration and the csilif defaults", () => {
    const c = findPreset('csilif-shd')!.config;
    expect(c.neuron).toBe('csilif');
    expect(c.layers).toEqual([{ size: 512, recurrent: false, dropout: 0.1 }, { size: 512, recurrent: false, dropout: 0.1 }]);
    expect([c.pool, c.nbSteps, c.maxTimeS, c.batchSize, c.learningRate, c.plateauFactor, c.epochs]).toEqual([5, 250, 1, 128, 0.005, 0.9, 100]);
    expect([c.csilifLogLogAlpha.lo, c.csilifLogDt.lo, c.csilifLogDt.hi, c.csilifAlphaImg.lo, c.csilifB.hi, c.csilifReset]).toEqual([
      Math.log(0.5), Math.log(0.01), Math.log(0.5), Math.PI, 1, 0.5,
    ]);
    expect(findPreset('csilif-shd')!.description).toContain('2506.06374');
  });
});
