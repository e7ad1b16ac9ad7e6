import { describe, expect, it } from 'vitest';
import {
  configErrors,
  decayBounds,
  decayOf,
  DEFAULT_CONFIG,
  makeConfig,
  tauOf,
  upgradeConfig,
  validateTrainConfig,
} from '../../src/shared/config';

describe('training config contract', () => {
  it('accepts the defaults, which are the reference defaults', () => {
    expect(configErrors({ ...DEFAULT_CONFIG })).toEqual([]);
    expect(DEFAULT_CONFIG.neuron).toBe('lif');
    expect(DEFAULT_CONFIG.layers).toEqual([{ size: 128, recurrent: true, dropout: 0 }]);
    expect(DEFAULT_CONFIG.tauSynS).toEqual({ lo: 5e-3, hi: 5e-3 });
    expect(DEFAULT_CONFIG.tauMemS).toEqual({ lo: 10e-3, hi: 10e-3 });
    expect([DEFAULT_CONFIG.readoutTauSynS, DEFAULT_CONFIG.readoutTauMemS]).toEqual([5e-3, 10e-3]);
    expect(DEFAULT_CONFIG.nbSteps).toBe(100);
    expect(DEFAULT_CONFIG.maxTimeS).toBe(1.4);
    expect([DEFAULT_CONFIG.pool, DEFAULT_CONFIG.learnTau, DEFAULT_CONFIG.readout]).toEqual([1, false, 'max']);
  });

  it('names every bad field', () => {
    const errors = configErrors({
      ...DEFAULT_CONFIG,
      tauMemS: { lo: 0, hi: 0.01 },
      layers: [{ size: 1.5, recurrent: true, dropout: 0 }],
      binning: 'log',
      extra: 1,
    });
    expect(errors.map((e) => e.field).sort()).toEqual(['binning', 'extra', 'layers.0.size', 'tauMemS.lo']);
    expect(errors.find((e) => e.field === 'tauMemS.lo')!.message).toBe('tauMemS.lo must be a number > 0 and ≤ 10 (got 0)');
    expect(errors.find((e) => e.field === 'layers.0.size')!.message).toBe('layer 1 size must be an integer ≥ 1 and ≤ 4096 (got 1.5)');
  });

  it('checks spans, layers and their combinations', () => {
    const fields = (v: unknown) => configErrors(v).map((e) => e.field);
    expect(fields({ ...DEFAULT_CONFIG, tauAdaptS: 0.1 })).toEqual(['tauAdaptS']);
    expect(configErrors({ ...DEFAULT_CONFIG, tauAdaptS: { lo: 0.3, hi: 0.1 } })[0]).toEqual({
      field: 'tauAdaptS.hi',
      message: 'tauAdaptS: the upper end 0.1 is below the lower end 0.3',
    });
    expect(fields({ ...DEFAULT_CONFIG, adaptA: { lo: 0, hi: 1, mid: 0.5 } })).toEqual(['adaptA.mid']);
    expect(fields({ ...DEFAULT_CONFIG, layers: [] })).toEqual(['layers']);
    expect(fields({ ...DEFAULT_CONFIG, layers: Array.from({ length: 5 }, () => ({ size: 8, recurrent: true, dropout: 0 })) })).toEqual(['layers']);
    expect(fields({ ...DEFAULT_CONFIG, layers: [{ size: 8, recurrent: true, dropout: 1 }] })).toEqual(['layers.0.dropout']);
    expect(fields({ ...DEFAULT_CONFIG, layers: [{ size: 8, recurrent: 1, dropout: 0 }] })).toEqual(['layers.0.recurrent']);
    expect(fields({ ...DEFAULT_CONFIG, neuron: 'izhikevich' })).toEqual(['neuron']);
    expect(configErrors({ ...DEFAULT_CONFIG, readoutSkip: 5 })[0].message).toBe('readoutSkip applies to the softmax-sum readout only; set it to 0 for max');
    expect(configErrors({ ...DEFAULT_CONFIG, readout: 'softmax-sum', readoutSkip: 100 })[0].message).toBe(
      'readoutSkip must be below the number of time steps (100), got 100',
    );
    expect(configErrors({ ...DEFAULT_CONFIG, readout: 'softmax-sum', readoutSkip: 99 })).toEqual([]);
  });

  it('refuses non-objects, NaN and strings for numbers', () => {
    expect(configErrors(null)[0].message).toBe('config must be an object');
    expect(configErrors({ ...DEFAULT_CONFIG, learningRate: Number.NaN })[0].field).toBe('learningRate');
    expect(() => validateTrainConfig({ ...DEFAULT_CONFIG, epochs: '3' })).toThrow(/epochs must be an integer/);
  });

  it('makeConfig gives editable copies: the frozen defaults do not leak', () => {
    const c = makeConfig();
    c.layers[0].size = 7;
    c.tauMemS.lo = 0.02;
    expect(DEFAULT_CONFIG.layers[0].size).toBe(128);
    expect(DEFAULT_CONFIG.tauMemS.lo).toBe(0.01);
  });

  it('computes the decays from dt and the time constants, and back', () => {
    const c = makeConfig();
    expect(decayOf(c.tauSynS.lo, c.dtS)).toBeCloseTo(Math.exp(-0.2), 12);
    expect(decayOf(c.tauMemS.lo, c.dtS)).toBeCloseTo(Math.exp(-0.1), 12);
    expect(tauOf(decayOf(0.037, 1e-3), 1e-3)).toBeCloseTo(0.037, 12);
  });

  it('decayBounds: the span ends, or [v/10, 10·v] for a single value', () => {
    const [lo, hi] = decayBounds({ lo: 0.06, hi: 0.3 }, 1e-3);
    expect(lo).toBeCloseTo(Math.exp(-1 / 60), 12);
    expect(hi).toBeCloseTo(Math.exp(-1 / 300), 12);
    const [a, b] = decayBounds({ lo: 0.01, hi: 0.01 }, 1e-3);
    expect(a).toBeCloseTo(Math.exp(-1), 12);
    expect(b).toBeCloseTo(Math.exp(-0.01), 12);
    expect(a).toBeLessThan(b);
  });

  it('upgradeConfig reads a first-landing config as the one recurrent LIF layer of the family', () => {
    const old = {
      hidden: 64,
      recurrent: false,
      tauSynS: 0.004,
      tauMemS: 0.02,
      readout: 'mean',
      dtS: 1e-3,
      threshold: 1,
      surrogateScale: 100,
      weightScale: 0.2,
      nbSteps: 50,
      maxTimeS: 1,
      binning: 'uniform',
      regL1: 1e-5,
      regL2: 2e-5,
      optimizer: 'adamax',
      learningRate: 1e-3,
      batchSize: 32,
      epochs: 3,
      seed: 9,
    };
    const c = validateTrainConfig(upgradeConfig(old));
    expect(c).toEqual({
      ...makeConfig(),
      neuron: 'lif',
      layers: [{ size: 64, recurrent: false, dropout: 0 }],
      tauSynS: { lo: 0.004, hi: 0.004 },
      tauMemS: { lo: 0.02, hi: 0.02 },
      readoutTauSynS: 0.004,
      readoutTauMemS: 0.02,
      readout: 'mean',
      nbSteps: 50,
      maxTimeS: 1,
      binning: 'uniform',
      regL1: 1e-5,
      regL2: 2e-5,
      optimizer: 'adamax',
      batchSize: 32,
      epochs: 3,
      seed: 9,
      // Trained before the protocol on the whole training file: resumed, it keeps doing so.
      validationFraction: 0,
    });
    // A config of the family without the protocol's options gets them, switched off.
    const { validationFraction, weightDecay, augment, lrSchedule, ...family } = makeConfig({ pool: 2 });
    expect([validationFraction, weightDecay, augment.deleteP, lrSchedule]).toEqual([0.1, 0, 0, 'constant']);
    expect(validateTrainConfig(upgradeConfig(family))).toEqual({ ...makeConfig({ pool: 2 }), validationFraction: 0 });
    // A config of today, and anything else, is returned as it is.
    const v2 = makeConfig({ pool: 2 });
    expect(upgradeConfig(v2)).toEqual(v2);
    expect(upgradeConfig('x')).toBe('x');
    expect(configErrors(upgradeConfig({ ...old, hidden: 0 })).map((e) => e.field)).toEqual(['layers.0.size']);
  });
});
