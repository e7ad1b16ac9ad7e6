/**
 * Editing the list of hidden layers (input side first). Pure functions returning a new config, so the
 * component only wires buttons and inputs to them.
 */
import { DEFAULT_LAYER, MAX_LAYERS, type LayerConfig, type TrainConfig } from '../../../shared/config';

export const canAddLayer = (c: Pick<TrainConfig, 'layers'>): boolean => c.layers.length < MAX_LAYERS;
export const canRemoveLayer = (c: Pick<TrainConfig, 'layers'>): boolean => c.layers.length > 1;

/** A new last layer, a copy of the current last one (stacks are usually of equal layers). */
export function addLayer(c: TrainConfig): TrainConfig {
  if (!canAddLayer(c)) return c;
  const last = c.layers[c.layers.length - 1] ?? DEFAULT_LAYER;
  return { ...c, layers: [...c.layers.map((l) => ({ ...l })), { ...last }] };
}

export function removeLayer(c: TrainConfig, index: number): TrainConfig {
  if (!canRemoveLayer(c) || index < 0 || index >= c.layers.length) return c;
  return { ...c, layers: c.layers.filter((_, i) => i !== index).map((l) => ({ ...l })) };
}

export function setLayer(c: TrainConfig, index: number, patch: Partial<LayerConfig>): TrainConfig {
  return { ...c, layers: c.layers.map((l, i) => (i === index ? { ...l, ...patch } : { ...l })) };
}

/** The input number of each layer: the pooled channels for the first, the layer below's size for the rest. */
export function layerInputs(c: Pick<TrainConfig, 'layers' | 'pool'>, channels: number | null): (number | null)[] {
  return c.layers.map((_, i) => (i === 0 ? (channels === null ? null : Math.ceil(channels / Math.max(1, c.pool))) : c.layers[i - 1].size));
}
