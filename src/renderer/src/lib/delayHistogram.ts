/**
 * Histograms of one hidden layer's learnable delays (steps), at initialisation and after the latest epoch, on
 * the τ histograms' shared bins. The bins span [0, the option's maximum] when it is known — every delay is
 * clamped there, so a drift towards either end shows against the whole allowed range — else the values' range.
 */
import type { LayerDelays, LayerTaus } from '../../../shared/events';
import type { TrainConfig } from '../../../shared/config';
import { allLayerDelays } from '../../../shared/layerDelays';
import { binRange, valueHistogram, type ValueHistogram } from './tauHistogram';

export type DelayKey = keyof LayerDelays;
export const DELAY_KEYS: readonly DelayKey[] = ['rec', 'ff'];
export const DELAY_LABELS: Readonly<Record<DelayKey, string>> = { rec: 'recurrent delay', ff: 'feed-forward delay' };

export interface DelayHistogram extends ValueHistogram {
  key: DelayKey;
}

/** The largest delay each kind may take in a layer (its recDelayMax, ffDelayMax); 0 or absent: not known. */
export type DelayMax = Partial<Record<DelayKey, number>>;

/** Each layer's largest delays (its own options, else the config's: shared/layerDelays.ts); none without a config. */
export function layerDelayMax(config: Pick<TrainConfig, 'layers' | 'recDelayMax' | 'ffDelayMax' | 'recDelayInit' | 'ffDelayInit'> | null | undefined): DelayMax[] {
  return config ? allLayerDelays(config).map((d) => ({ rec: d.recMax, ff: d.ffMax })) : [];
}

/** One histogram per kind of delay the layer has (recurrent, then feed-forward); none for a layer without. */
export function delayHistograms(initial: Pick<LayerTaus, 'delays'> | null, learned: Pick<LayerTaus, 'delays'> | null, max: DelayMax = {}, bins = 24): DelayHistogram[] {
  const out: DelayHistogram[] = [];
  for (const key of DELAY_KEYS) {
    const a = initial?.delays?.[key];
    const b = learned?.delays?.[key];
    if (!a && !b) continue;
    const top = max[key] ?? 0;
    const range = top > 0 ? { lo: 0, hi: top } : binRange([a ?? [], b ?? []]);
    if (!range) continue;
    out.push(valueHistogram(key, DELAY_LABELS[key], 'steps', a, b, range, bins));
  }
  return out;
}
