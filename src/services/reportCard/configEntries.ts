/**
 * A config as (option, value) text pairs, every field in the config's own order (augmentation one row per
 * option), and the preset it is closest to with what differs: how a card states the config in a few lines
 * (the differences from a named preset) and in full (every field), both from the same pairs.
 */
import { spanText, type LayerConfig, type Span, type TrainConfig } from '../../shared/config';
import { LAYER_DELAY_KEYS } from '../../shared/layerDelays';
import { PRESETS } from '../../shared/presets';

const isSpan = (v: unknown): v is Span => typeof v === 'object' && v !== null && 'lo' in v && 'hi' in v && Object.keys(v).length === 2;

function valueText(v: unknown): string {
  if (isSpan(v)) return spanText(v);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/** A layer's own delay options as "recDelayMax 25 recDelayInit 0:5" (none: empty), in LayerConfig's names. */
const ownDelays = (l: LayerConfig): string => LAYER_DELAY_KEYS.filter((k) => l[k] !== undefined).map((k) => ` ${k} ${valueText(l[k])}`).join('');

/**
 * Every field of the config as text; layers as "size[ recurrent][ dropout p][ its own delay options]" per layer,
 * spans as V or LO:HI.
 */
export function configEntries(config: TrainConfig): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'layers') {
      out.push([key, config.layers.map((l) => `${l.size}${l.recurrent ? ' recurrent' : ''}${l.dropout ? ` dropout ${l.dropout}` : ''}${ownDelays(l)}`).join(', ')]);
    } else if (key === 'augment') {
      for (const [k, v] of Object.entries(config.augment)) out.push([`augment.${k}`, valueText(v)]);
    } else {
      out.push([key, valueText(value)]);
    }
  }
  return out;
}

/**
 * The preset with the fewest differing options from `config` (the seed aside: a seeds run varies it), and those
 * options with both values; ties go to the preset listed first.
 */
export function closestPreset(config: TrainConfig): { id: string; differences: { key: string; value: string; preset: string }[] } {
  const mine = configEntries(config);
  let best: { id: string; differences: { key: string; value: string; preset: string }[] } | null = null;
  for (const p of PRESETS) {
    const theirs = new Map(configEntries(p.config as TrainConfig));
    const differences = mine.filter(([k, v]) => k !== 'seed' && theirs.get(k) !== v).map(([key, value]) => ({ key, value, preset: theirs.get(key) ?? '—' }));
    if (!best || differences.length < best.differences.length) best = { id: p.id, differences };
  }
  return best!;
}
