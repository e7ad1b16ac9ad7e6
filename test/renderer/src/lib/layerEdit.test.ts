import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, MAX_LAYERS } from '../../../../src/shared/config';
import { addLayer, canAddLayer, canRemoveLayer, layerInputs, removeLayer, setLayer } from '../../../../src/renderer/src/lib/layerEdit';

describe('layer editing', () => {
  it('adds copies of the last layer up to MAX_LAYERS and removes down to one', () => {
    let c = setLayer(cloneConfig(DEFAULT_CONFIG), 0, { size: 64, dropout: 0.1 });
    c = addLayer(c);
    expect(c.layers).toEqual([
      { size: 64, recurrent: true, dropout: 0.1 },
      { size: 64, recurrent: true, dropout: 0.1 },
    ]);
    // A copy, not the same object: editing the new layer leaves the first alone.
    c = setLayer(c, 1, { size: 32, recurrent: false });
    expect(c.layers.map((l) => [l.size, l.recurrent])).toEqual([
      [64, true],
      [32, false],
    ]);
    while (canAddLayer(c)) c = addLayer(c);
    expect(c.layers).toHaveLength(MAX_LAYERS);
    expect(addLayer(c)).toBe(c);
    c = removeLayer(c, 0);
    expect(c.layers.map((l) => l.size)).toEqual([32, 32, 32]);
    c = removeLayer(removeLayer(c, 2), 1);
    expect(canRemoveLayer(c)).toBe(false);
    expect(removeLayer(c, 0)).toBe(c);
    expect(DEFAULT_CONFIG.layers).toEqual([{ size: 128, recurrent: true, dropout: 0 }]);
  });

  it('gives each layer its inputs: the pooled channels first, then the layer below', () => {
    const c = { ...cloneConfig(DEFAULT_CONFIG), pool: 5, layers: [{ size: 256, recurrent: true, dropout: 0 }, { size: 128, recurrent: false, dropout: 0 }] };
    expect(layerInputs(c, 700)).toEqual([140, 256]);
    expect(layerInputs({ ...c, pool: 3 }, 700)).toEqual([234, 256]);
    expect(layerInputs(c, null)).toEqual([null, 256]);
  });
});
