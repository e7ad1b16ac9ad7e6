/**
 * The delays each hidden layer has, resolved once: a layer's own options (LayerConfig.recDelayMax, recDelayInit,
 * ffDelayMax, ffDelayInit) where it sets them, else the config's global ones. The engine's shape, init and clamp,
 * sessions, NIR export, the histograms, compare, the report card and the CLI all read delays through here, so
 * "absent = the global value; 0 = off for that layer" holds everywhere alike. Recurrent delays need W_rec: a
 * layer without recurrence has none, whatever the global value says (the global one is meant for every layer
 * that can have it; a layer's own positive value on a non-recurrent layer is refused by configErrors).
 */
import type { Span } from './span';

/** The per-layer delay options (each optional on a LayerConfig; absent = the config's value). */
export const LAYER_DELAY_KEYS = ['recDelayMax', 'recDelayInit', 'ffDelayMax', 'ffDelayInit'] as const;
export type LayerDelayKey = (typeof LAYER_DELAY_KEYS)[number];

/** What a layer may override (LayerConfig's optional delay fields). */
export interface LayerDelayOptions {
  recDelayMax?: number;
  recDelayInit?: Span;
  ffDelayMax?: number;
  ffDelayInit?: Span;
}

/** The global delay options (TrainConfig's). */
export interface GlobalDelayOptions {
  recDelayMax: number;
  recDelayInit: Span;
  ffDelayMax: number;
  ffDelayInit: Span;
}

/** One layer's delays: the largest delay (steps; 0 = none) and the initial span of each kind. */
export interface LayerDelays {
  recMax: number;
  recInit: Span;
  ffMax: number;
  ffInit: Span;
}

type DelayConfig = { layers: readonly (LayerDelayOptions & { recurrent: boolean })[] } & Partial<GlobalDelayOptions>;

const NO_SPAN: Span = { lo: 0, hi: 0 };

/** Layer l's delays (a config without delay options — an old session's — has none). */
export function layerDelays(config: DelayConfig, l: number): LayerDelays {
  const layer = config.layers[l];
  const recMax = layer.recurrent ? (layer.recDelayMax ?? config.recDelayMax ?? 0) : 0;
  const ffMax = layer.ffDelayMax ?? config.ffDelayMax ?? 0;
  return {
    recMax,
    recInit: layer.recDelayInit ?? config.recDelayInit ?? NO_SPAN,
    ffMax,
    ffInit: layer.ffDelayInit ?? config.ffDelayInit ?? NO_SPAN,
  };
}

/** Every layer's delays, input side first. */
export const allLayerDelays = (config: DelayConfig): LayerDelays[] => config.layers.map((_, l) => layerDelays(config, l));

/** Whether any layer has delays of either kind (the σ, decay and delay learning rate matter only then). */
export const hasDelays = (config: DelayConfig): boolean => allLayerDelays(config).some((d) => d.recMax > 0 || d.ffMax > 0);

/** Whether any layer sets a delay option of its own (then the global values alone do not describe the model). */
export const hasLayerDelayOptions = (config: Pick<DelayConfig, 'layers'>): boolean => config.layers.some((l) => LAYER_DELAY_KEYS.some((k) => l[k] !== undefined));
