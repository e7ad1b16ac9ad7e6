import { describe, expect, it } from 'vitest';
import type { LayerProbe } from '../../../../src/shared/events';
import { clampLayer, defaultNeurons, layerCount, layerLabel, spikeCount } from '../../../../src/renderer/src/lib/probeLayers';

const layer = (size: number, n: number[]): LayerProbe => ({ kind: 'adlif', size, spikes: { t: n.map((_, i) => i), n }, mem: [], adapt: [] });

describe('probe layers', () => {
  it('names a layer from 1 with its kind and size', () => {
    expect(layerLabel(layer(32, []), 1)).toBe('layer 2 · adlif · 32 neurons');
  });

  it('counts the layers of the probe or of the τ records and keeps the pick inside them', () => {
    expect(layerCount({ layers: [layer(4, []), layer(4, [])] }, null, null)).toBe(2);
    expect(layerCount(null, [{}, {}, {}], null)).toBe(3);
    expect(layerCount(null, null, null)).toBe(0);
    expect(clampLayer(3, 2)).toBe(1);
    expect(clampLayer(-1, 2)).toBe(0);
    expect(clampLayer(1, 0)).toBe(0);
    expect(clampLayer(1, 4)).toBe(1);
  });

  it('traces the most active neurons by default, else the first ones', () => {
    const l = layer(6, [5, 2, 5, 3, 5, 2]);
    expect(spikeCount(l, 5)).toBe(3);
    expect(spikeCount(l, 0)).toBe(0);
    expect(defaultNeurons(l, 2)).toEqual([5, 2]);
    expect(defaultNeurons(layer(3, []), 4)).toEqual([0, 1, 2]);
  });
});
