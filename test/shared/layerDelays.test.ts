/**
 * Per-layer delays: a layer's own delay options over the config's (absent = the config's, 0 = off for that layer),
 * recurrent delays only with W_rec, and the refusals of configErrors naming the layer.
 */
import { describe, expect, it } from 'vitest';
import { cloneConfig, configErrors, DEFAULT_CONFIG, makeConfig, type LayerConfig, type TrainConfig } from '../../src/shared/config';
import { allLayerDelays, hasDelays, hasLayerDelayOptions, layerDelays } from '../../src/shared/layerDelays';

const layer = (size: number, more: Partial<LayerConfig> = {}): LayerConfig => ({ size, recurrent: true, dropout: 0, ...more });
const config = (patch: Partial<TrainConfig>): TrainConfig => ({ ...cloneConfig(DEFAULT_CONFIG), ...patch });

describe('layerDelays', () => {
  it('takes the layer’s own options over the config’s, and 0 turns a kind off for that layer', () => {
    const c = config({
      recDelayMax: 25, recDelayInit: { lo: 0, hi: 5 }, ffDelayMax: 4, ffDelayInit: { lo: 0, hi: 3 },
      layers: [layer(8, { recDelayMax: 0 }), layer(8, { recDelayInit: { lo: 2, hi: 9 }, ffDelayMax: 0 }), layer(8, { ffDelayMax: 10, ffDelayInit: { lo: 1, hi: 1 } })],
    });
    expect(allLayerDelays(c)).toEqual([
      { recMax: 0, recInit: { lo: 0, hi: 5 }, ffMax: 4, ffInit: { lo: 0, hi: 3 } },
      { recMax: 25, recInit: { lo: 2, hi: 9 }, ffMax: 0, ffInit: { lo: 0, hi: 3 } },
      { recMax: 25, recInit: { lo: 0, hi: 5 }, ffMax: 10, ffInit: { lo: 1, hi: 1 } },
    ]);
    expect(hasDelays(c)).toBe(true);
    expect(hasLayerDelayOptions(c)).toBe(true);
    expect(hasLayerDelayOptions(DEFAULT_CONFIG)).toBe(false);
  });

  it('gives a layer without recurrence no recurrent delays, whatever the config says', () => {
    const c = config({ recDelayMax: 25, layers: [layer(8), layer(8, { recurrent: false })] });
    expect(allLayerDelays(c).map((d) => d.recMax)).toEqual([25, 0]);
  });

  it('has no delays by default, nor in a config written before delays (no options at all)', () => {
    expect(hasDelays(DEFAULT_CONFIG)).toBe(false);
    // Only a layer's own value turns a kind on when the config's is 0.
    expect(hasDelays(config({ layers: [layer(8), layer(8, { ffDelayMax: 3 })] }))).toBe(true);
    expect(layerDelays({ layers: [{ recurrent: true }] }, 0)).toEqual({ recMax: 0, recInit: { lo: 0, hi: 0 }, ffMax: 0, ffInit: { lo: 0, hi: 0 } });
  });
});

describe('configErrors on a layer’s delay options', () => {
  const errorsOf = (l: Record<string, unknown>) => configErrors({ ...cloneConfig(DEFAULT_CONFIG), layers: [layer(8), { size: 8, recurrent: true, dropout: 0, ...l }] });

  it('accepts each option alone and together', () => {
    expect(errorsOf({ recDelayMax: 25 })).toEqual([]);
    expect(errorsOf({ recDelayMax: 0, recDelayInit: { lo: 0, hi: 5 }, ffDelayMax: 3.5, ffDelayInit: { lo: 1, hi: 2 } })).toEqual([]);
    expect(makeConfig({ layers: [layer(8, { recDelayMax: 6 }), layer(4)] }).layers[0].recDelayMax).toBe(6);
  });

  it('refuses bad values, naming the layer and the field', () => {
    expect(errorsOf({ recDelayMax: -1 })).toEqual([{ field: 'layers.1.recDelayMax', message: 'layer 2 recDelayMax must be a number ≥ 0 and ≤ 1000 (got -1)' }]);
    expect(errorsOf({ ffDelayMax: 'x' })).toEqual([{ field: 'layers.1.ffDelayMax', message: 'layer 2 ffDelayMax must be a number ≥ 0 and ≤ 1000 (got "x")' }]);
    expect(errorsOf({ recDelayInit: { lo: 5, hi: 2 } })).toEqual([{ field: 'layers.1.recDelayInit.hi', message: 'layer 2 recDelayInit: the upper end 2 is below the lower end 5' }]);
    expect(errorsOf({ ffDelayInit: 3 })).toEqual([{ field: 'layers.1.ffDelayInit', message: 'layer 2 ffDelayInit must be {lo, hi} (got 3)' }]);
    expect(errorsOf({ recDelayInit: { lo: -1, hi: 2 } }).map((e) => e.field)).toEqual(['layers.1.recDelayInit.lo']);
    expect(errorsOf({ delays: 3 })).toEqual([{ field: 'layers.1.delays', message: 'unknown option "layers.1.delays"' }]);
  });

  it('refuses recurrent delays on a layer without recurrence, but not its 0 nor the config’s value', () => {
    expect(errorsOf({ recurrent: false, recDelayMax: 6 })).toEqual([
      { field: 'layers.1.recDelayMax', message: 'layer 2 recDelayMax 6: recurrent delays need recurrent weights; make layer 2 recurrent or set its recDelayMax to 0' },
    ]);
    expect(errorsOf({ recurrent: false, recDelayMax: 0 })).toEqual([]);
    expect(configErrors({ ...cloneConfig(DEFAULT_CONFIG), recDelayMax: 6, layers: [layer(8, { recurrent: false })] })).toEqual([]);
  });

  it('copies a layer’s spans in cloneConfig (an edit of the copy leaves the original)', () => {
    const c = config({ layers: [layer(8, { recDelayInit: { lo: 1, hi: 2 } })] });
    const copy = cloneConfig(c);
    copy.layers[0].recDelayInit!.hi = 7;
    expect(c.layers[0].recDelayInit).toEqual({ lo: 1, hi: 2 });
  });
});
