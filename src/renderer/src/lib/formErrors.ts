/**
 * The form's messages, keyed by the input they belong to. Which values are wrong is decided by configErrors
 * (the one validator); the text is rewritten in the form's units and words, so "tauMemS.lo must be a number
 * > 0 … (got -0.005)" reads "τ_mem: the lower end must be > 0 ms and ≤ 10000 ms (got -5 ms)".
 *
 * Keys: a scalar option (`epochs`), a span (`tauMemS`, for either end or their order), a layer input
 * (`layers.1.size`, `layers.1.dropout`, `layers.1.recurrent`), `layers` for the list itself, `customNeuron`
 * for the user-defined neuron's program (its editor lists the lines' problems), and `config` for anything else. Augmentation options are keyed `augment.<option>` (`augment.stretch` for either end).
 */
import { CONFIG_RANGES, configErrors, LAYER_RANGES, type LayerNumericKey, type NumericRange, type TrainConfig } from '../../../shared/config';
import { describeDisplayRange, fieldFor, fieldShown, fieldValue, shownValue, type FormField } from './formFields';

export type FormErrors = Record<string, string>;

const LAYER_LABELS: Record<string, string> = {
  size: 'size',
  dropout: 'dropout',
  recurrent: 'recurrent',
  recDelayMax: 'recurrent delay max',
  ffDelayMax: 'feed-forward delay max',
  recDelayInit: 'recurrent delay init',
  ffDelayInit: 'feed-forward delay init',
};

/** A layer's own delay maxima: ranged as the config's (steps). */
const LAYER_DELAY_RANGES: Readonly<Record<string, NumericRange>> = { recDelayMax: CONFIG_RANGES.recDelayMax, ffDelayMax: CONFIG_RANGES.ffDelayMax };

function describeLayerRange(r: NumericRange): string {
  const lo = r.minExclusive ? `> ${r.min}` : `≥ ${r.min}`;
  const hi = r.maxExclusive ? `< ${r.max}` : `≤ ${r.max}`;
  return `${lo} and ${hi}${r.integer ? ', whole number' : ''}`;
}

function add(out: FormErrors, key: string, message: string): void {
  out[key] = out[key] ? `${out[key]}; ${message}` : message;
}

function layerMessage(config: Record<string, unknown>, path: string[], message: string): string {
  const [, index, key] = path;
  const layer = (Array.isArray(config.layers) ? config.layers[Number(index)] : undefined) as Record<string, unknown> | undefined;
  const range = LAYER_RANGES[key as LayerNumericKey] ?? (/must be a number/.test(message) ? LAYER_DELAY_RANGES[key] : undefined);
  // Other layer messages (recurrent delays without W_rec, a bad span) keep their words, with the form's labels.
  if (!range) return message.replace(/^layer /, 'Layer ').replace(/\b(recDelayMax|ffDelayMax|recDelayInit|ffDelayInit)\b/g, (k) => LAYER_LABELS[k]);
  const raw = layer?.[key];
  const got = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : 'no number';
  return `Layer ${Number(index) + 1} ${LAYER_LABELS[key]} must be ${describeLayerRange(range)} (got ${got})`;
}

/** The form field an error's path names, and the rest of the path inside it (a span's end). */
function fieldAt(path: string[]): { field: FormField | undefined; rest: string[] } {
  // Augmentation options sit one level down (`augment.stretch.hi`); their fields are named `augment.<key>`.
  const depth = path[0] === 'augment' && path.length > 1 ? 2 : 1;
  return { field: fieldFor(path.slice(0, depth).join('.')), rest: path.slice(depth) };
}

export function formErrors(config: Record<string, unknown>): FormErrors {
  const out: FormErrors = {};
  for (const e of configErrors(config)) {
    const path = e.field.split('.');
    const { field, rest } = fieldAt(path);
    // A layer's input (`layers.1.size`), or its own delay span's end (`layers.1.recDelayInit.hi`, keyed by the span).
    if (path[0] === 'layers' && path.length >= 3) {
      add(out, path.slice(0, 3).join('.'), layerMessage(config, path, e.message));
    } else if (path[0] === 'layers') {
      add(out, 'layers', e.message);
    } else if (path[0] === 'customNeuron') {
      add(out, 'customNeuron', e.message);
    } else if (field?.kind === 'number') {
      // The one combination rule on a scalar (the skip against T and the readout) keeps its own words.
      const range = !/below the number of time steps|applies to the softmax-sum readout/.test(e.message);
      add(out, field.key, range ? `${field.label} must be ${describeDisplayRange(field)} (got ${shownValue(field, fieldValue(config, field.key))})` : e.message.replace(/^readoutSkip/, field.label));
    } else if (field?.kind === 'span' && rest.length === 1 && /must be/.test(e.message)) {
      const span = fieldValue(config, field.key) as Record<string, unknown> | undefined;
      const got = shownValue(field, span?.[rest[0]]);
      // A span typed as one value has two equal ends: one message for both, as for a plain number.
      if (shownValue(field, span?.lo) === shownValue(field, span?.hi)) {
        out[field.key] = `${field.label} must be ${describeDisplayRange(field)} (got ${got})`;
      } else {
        const end = rest[0] === 'lo' ? 'lower end' : 'upper end';
        add(out, field.key, `${field.label}: the ${end} must be ${describeDisplayRange(field)} (got ${got})`);
      }
    } else if (field?.kind === 'span' && rest.length === 1) {
      const span = fieldValue(config, field.key) as { lo: number; hi: number };
      add(out, field.key, `${field.label}: the upper end ${shownValue(field, span.hi)} is below the lower end ${shownValue(field, span.lo)}`);
    } else if (field) {
      add(out, field.key, e.message);
    } else {
      add(out, 'config', e.message);
    }
  }
  return out;
}

/**
 * Messages of inputs the form does not show (a span of the other neuron kind, say): listed in the summary so a
 * refused Train button never has an invisible reason. The program's problems are shown by its editor, which
 * the form shows while the neuron is `custom`; a program kept for another kind is listed here.
 */
export function unshownErrors(errors: FormErrors, config: Pick<TrainConfig, 'neuron'> & Partial<Pick<TrainConfig, 'lrSchedule'>>): string[] {
  return Object.entries(errors)
    .filter(([key]) => {
      if (key === 'customNeuron') return config.neuron !== 'custom';
      const field = fieldFor(key);
      return key === 'config' || (field !== undefined && !fieldShown(field, config));
    })
    .map(([, message]) => message);
}
