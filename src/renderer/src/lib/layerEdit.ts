/**
 * Editing the list of hidden layers (input side first). Pure functions returning a new config, so the
 * component only wires buttons and inputs to them.
 */
import { cloneLayer, DEFAULT_LAYER, MAX_LAYERS, type LayerConfig, type TrainConfig } from '../../../shared/config';

export const canAddLayer = (c: Pick<TrainConfig, 'layers'>): boolean => c.layers.length < MAX_LAYERS;
export const canRemoveLayer = (c: Pick<TrainConfig, 'layers'>): boolean => c.layers.length > 1;

/** A new last layer, a copy of the current last one (stacks are usually of equal layers). */
export function addLayer(c: TrainConfig): TrainConfig {
  if (!canAddLayer(c)) return c;
  const last = c.layers[c.layers.length - 1] ?? DEFAULT_LAYER;
  return { ...c, layers: [...c.layers.map(cloneLayer), cloneLayer(last)] };
}

export function removeLayer(c: TrainConfig, index: number): TrainConfig {
  if (!canRemoveLayer(c) || index < 0 || index >= c.layers.length) return c;
  return { ...c, layers: c.layers.filter((_, i) => i !== index).map(cloneLayer) };
}

export function setLayer(c: TrainConfig, index: number, patch: Partial<LayerConfig>): TrainConfig {
  return { ...c, layers: c.layers.map((l, i) => (i === index ? { ...cloneLayer(l), ...patch } : cloneLayer(l))) };
}

/** The delay maxima a layer may set for itself (its initial spans come from a preset, a session or the CLI). */
export type LayerDelayMaxKey = 'recDelayMax' | 'ffDelayMax';

/** What a layer's delay-max input shows: its own value, or empty where it takes the Delays group's. */
export function layerDelayText(layer: Readonly<LayerConfig>, key: LayerDelayMaxKey): string {
  const v = layer[key];
  return v === undefined ? '' : String(v);
}

/**
 * The config after a layer's delay-max input changed: empty drops the layer's own value (it takes the Delays
 * group's again); anything else is its own value, a number or NaN for configErrors to refuse by name.
 */
export function setLayerDelayMax(c: TrainConfig, index: number, key: LayerDelayMaxKey, text: string): TrainConfig {
  return {
    ...c,
    layers: c.layers.map((l, i) => {
      const copy = cloneLayer(l);
      if (i !== index) return copy;
      if (text.trim() === '') {
        delete copy[key];
        return copy;
      }
      return { ...copy, [key]: Number(text) };
    }),
  };
}

/** The input number of each layer: the pooled channels for the first, the layer below's size for the rest. */
export function layerInputs(c: Pick<TrainConfig, 'layers' | 'pool'>, channels: number | null): (number | null)[] {
  return c.layers.map((_, i) => (i === 0 ? (channels === null ? null : Math.ceil(channels / Math.max(1, c.pool))) : c.layers[i - 1].size));
}
