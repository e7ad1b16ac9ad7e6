/** Config summaries for the session list and the side-by-side comparison, in the form's units. */
import { NEURON_SPANS, type LayerConfig, type Span, type TrainConfig } from '../../../shared/config';
import { allLayerDelays, hasDelays } from '../../../shared/layerDelays';
import { FORM_FIELDS, fieldShown, fieldValue, type FormField, type SpanField } from './formFields';
import { formatValue } from './format';
import { secondsToMs } from './units';

/** One layer as "128r" (r: recurrent), with its dropout when it has one: "128r d0.2". */
function layerText(l: LayerConfig): string {
  return `${l.size}${l.recurrent ? 'r' : ''}${l.dropout ? ` d${formatValue(l.dropout)}` : ''}`;
}

/** "2×128r" for a stack of equal layers, "256r-128" for unequal ones (input side first). */
export function describeLayers(layers: readonly LayerConfig[]): string {
  const texts = layers.map(layerText);
  if (texts.length > 1 && texts.every((t) => t === texts[0])) return `${texts.length}×${texts[0]}`;
  return texts.join('-');
}

/** "5 ms" for one value, "5–25 ms" for a range. */
export function describeSpan(s: Span, ms: boolean): string {
  const show = (v: number) => formatValue(ms ? secondsToMs(v) : v);
  const text = s.lo === s.hi ? show(s.lo) : `${show(s.lo)}–${show(s.hi)}`;
  return ms ? `${text} ms` : text;
}

const SHORT_TAU: Record<string, string> = { tauSynS: 'τsyn', tauMemS: 'τmem', tauAdaptS: 'τadapt' };

/** The neuron as the lists name it: the kind, or a user-defined neuron by its name (`custom “my adlif”`). */
function neuronText(c: TrainConfig): string {
  return c.neuron === 'custom' && c.customNeuron ? `custom “${c.customNeuron.name}”` : c.neuron;
}

/**
 * "rec delay ≤ 25 σ 10", "ff delay ≤ 3": the learnable delays a config has on (none: nothing), each layer's own
 * where they differ ("rec delay ≤ 25,0": layer 1 up to 25 steps, layer 2 none).
 */
function delayTexts(c: TrainConfig): string[] {
  const sigma = c.delaySigma > 0 ? ` σ ${formatValue(c.delaySigma)}` : '';
  const delays = allLayerDelays(c);
  const kind = (name: string, maxes: number[], among: number[]) => {
    if (!maxes.some((m) => m > 0)) return [];
    const same = among.every((m) => m === among[0]);
    return [`${name} delay ≤ ${same ? formatValue(among[0]) : maxes.map(formatValue).join(',')}`];
  };
  const rec = delays.map((d) => d.recMax);
  return [
    // Layers without recurrence have no recurrent delays: they do not make the others "differ".
    ...kind('rec', rec, rec.filter((_, l) => c.layers[l].recurrent)),
    ...kind('ff', delays.map((d) => d.ffMax), delays.map((d) => d.ffMax)),
  ].map((t, i, all) => (i === all.length - 1 ? t + sigma : t));
}

/**
 * Every layer's delays as they resolve (its own options, else the config's): "L1 rec ≤ 25 (0–5), ff ≤ 4 (0–3);
 * L2 none"; empty where no layer has delays.
 */
export function describeLayerDelays(c: TrainConfig): string {
  if (!hasDelays(c)) return '';
  return allLayerDelays(c)
    .map((d, l) => {
      const parts = [
        ...(d.recMax > 0 ? [`rec ≤ ${formatValue(d.recMax)} (${describeSpan(d.recInit, false)})`] : []),
        ...(d.ffMax > 0 ? [`ff ≤ ${formatValue(d.ffMax)} (${describeSpan(d.ffInit, false)})`] : []),
      ];
      return `L${l + 1} ${parts.length ? parts.join(', ') : 'none'}`;
    })
    .join('; ');
}

/** The layers without their delay options (those have a row of their own, as they resolve). */
const layerShape = (c: TrainConfig) => c.layers.map((l) => ({ size: l.size, recurrent: l.recurrent, dropout: l.dropout }));

/**
 * "adlif 2×128r, pool 5, softmax-sum · τmem 20 ms · τadapt 60–300 ms · rec delay ≤ 25 σ 10 · T 100 · lr 0.001
 * adam · B 256": the model's shape first, then the options people scan for; only the τ the neuron kind uses.
 */
export function keyConfig(c: TrainConfig): string {
  const taus = (NEURON_SPANS[c.neuron] ?? []).filter((k) => k in SHORT_TAU).map((k) => `${SHORT_TAU[k]} ${describeSpan(c[k], true)}`);
  const readout = c.readout === 'softmax-sum' && c.readoutSkip ? `softmax-sum skip ${c.readoutSkip}` : c.readout;
  return [
    `${neuronText(c)} ${describeLayers(c.layers)}, pool ${c.pool}, ${readout}`,
    ...taus,
    ...(c.learnTau ? ['learn τ'] : []),
    ...delayTexts(c),
    `T ${c.nbSteps}`,
    `lr ${formatValue(c.learningRate)} ${c.optimizer}`,
    `B ${c.batchSize}`,
  ].join(' · ');
}

export interface ConfigRow {
  /** A config key, or `augment.<option>` for an augmentation option. */
  key: string;
  label: string;
  /** The value in form units, or {@link NOT_USED} where the option has no effect on that session (τ_syn for adLIF). */
  a: string;
  b: string;
  /** The values differ on an option both sessions use: what the comparison highlights. */
  differs: boolean;
}

/** What a side shows for an option its model or schedule does not use. */
export const NOT_USED = 'not used';

function show(c: TrainConfig, key: string): string {
  if (key === 'layers') return describeLayers(c.layers);
  const field = FORM_FIELDS.find((f) => f.key === key);
  const v = fieldValue(c, key as FormField['key']);
  if (field?.kind === 'span') return describeSpan(v as Span, (field as SpanField).ms);
  if (field?.kind === 'number' && field.ms) return `${formatValue(secondsToMs(v as number))} ms`;
  return formatValue(v);
}

/** A user-defined neuron's row: its name and surrogate (two different programs under one name are marked so). */
function programRow(a: TrainConfig, b: TrainConfig): ConfigRow {
  const spec = (c: TrainConfig) => (c.neuron === 'custom' ? (c.customNeuron ?? null) : null);
  const [pa, pb] = [spec(a), spec(b)];
  const text = (p: ReturnType<typeof spec>) => (p ? `“${p.name}” (${p.surrogate})` : NOT_USED);
  const differs = pa !== null && pb !== null && JSON.stringify(pa) !== JSON.stringify(pb);
  const bText = differs && text(pa) === text(pb) ? `${text(pb)}, another program` : text(pb);
  return { key: 'customNeuron', label: 'Your neuron', a: text(pa), b: bText, differs };
}

/**
 * One row per option (the layers, their delays and a user-defined neuron's program first, then form order), values in form
 * units (ms for times); an option only one side uses reads "not used" on the other, and only options both use
 * can be marked as differing.
 */
export function compareConfigs(a: TrainConfig, b: TrainConfig): ConfigRow[] {
  const rows: { key: string; label: string }[] = [{ key: 'layers', label: 'Hidden layers' }, ...FORM_FIELDS.map((f) => ({ key: f.key, label: f.label }))];
  const raw = (c: TrainConfig, key: string) => JSON.stringify(key === 'layers' ? layerShape(c) : fieldValue(c, key as FormField['key']));
  // A field the form hides for a config (a span the neuron kind lacks, the plateau's knobs on another schedule)
  // is kept in it without effect: its value is no difference between the two runs.
  const used = (c: TrainConfig, key: string) => key === 'layers' || fieldShown(FORM_FIELDS.find((f) => f.key === key)!, c);
  const [layers, ...fields] = rows.map(({ key, label }) => {
    const [ua, ub] = [used(a, key), used(b, key)];
    return { key, label, a: ua ? show(a, key) : NOT_USED, b: ub ? show(b, key) : NOT_USED, differs: ua && ub && raw(a, key) !== raw(b, key) };
  });
  return [layers, delaysRow(a, b), programRow(a, b), ...fields];
}

/**
 * The delays of every layer as they resolve (a layer's own options, else the config's). Marked only where both
 * runs have delays: a run without them already differs in its delay max.
 */
function delaysRow(a: TrainConfig, b: TrainConfig): ConfigRow {
  const [ta, tb] = [describeLayerDelays(a), describeLayerDelays(b)];
  return { key: 'layerDelays', label: 'Delays by layer', a: ta || 'none', b: tb || 'none', differs: ta !== '' && tb !== '' && ta !== tb };
}
