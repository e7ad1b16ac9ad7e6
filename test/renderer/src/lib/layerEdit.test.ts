import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, MAX_LAYERS } from '../../../../src/shared/config';
import { addLayer, canAddLayer, canRemoveLayer, layerDelayText, layerInputs, removeLayer, setLayer, setLayerDelayMax } from '../../../../src/renderer/src/lib/layerEdit';
import { formErrors } from '../../../../src/renderer/src/lib/formErrors';

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

  it('sets a layer’s own delay max from its input, empty taking the Delays group’s again', () => {
    const base = addLayer(cloneConfig(DEFAULT_CONFIG));
    let c = setLayerDelayMax(base, 0, 'recDelayMax', '25');
    c = setLayerDelayMax(c, 1, 'ffDelayMax', '0');
    expect(c.layers.map((l) => [l.recDelayMax, l.ffDelayMax])).toEqual([[25, undefined], [undefined, 0]]);
    expect([layerDelayText(c.layers[0], 'recDelayMax'), layerDelayText(c.layers[0], 'ffDelayMax'), layerDelayText(c.layers[1], 'ffDelayMax')]).toEqual(['25', '', '0']);
    c = setLayerDelayMax(c, 0, 'recDelayMax', ' ');
    expect('recDelayMax' in c.layers[0]).toBe(false);
    expect(base.layers[0]).toEqual({ size: 128, recurrent: true, dropout: 0 });
    // Added layers copy the last one's own delays, as its other settings.
    expect(addLayer(setLayerDelayMax(base, 1, 'ffDelayMax', '4')).layers[2].ffDelayMax).toBe(4);
  });

  it('words a layer’s delay problems in the form’s labels, keyed by the layer’s input', () => {
    const c = setLayerDelayMax(setLayer(addLayer(cloneConfig(DEFAULT_CONFIG)), 1, { recurrent: false }), 1, 'recDelayMax', '6');
    expect(formErrors(c as unknown as Record<string, unknown>)).toEqual({
      'layers.1.recDelayMax': 'Layer 2 recurrent delay max 6: recurrent delays need recurrent weights; make layer 2 recurrent or set its recurrent delay max to 0',
    });
    expect(formErrors(setLayerDelayMax(c, 1, 'recDelayMax', 'x') as unknown as Record<string, unknown>)).toEqual({ 'layers.1.recDelayMax': 'Layer 2 recurrent delay max must be ≥ 0 and ≤ 1000 (got no number)' });
    const span = { ...c, layers: [{ ...c.layers[0], ffDelayInit: { lo: 3, hi: 1 } }, c.layers[1]] };
    expect(formErrors(span as unknown as Record<string, unknown>)['layers.0.ffDelayInit']).toBe('Layer 1 feed-forward delay init: the upper end 1 is below the lower end 3');
  });
});
