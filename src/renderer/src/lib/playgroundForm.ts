/**
 * The playground's form: what the researcher sets for one neuron (its parameters as the kind's description lists
 * them, decays as τ in ms; the run constants it reads; dt, steps, the input current and the f–I range), how it
 * starts from the training form's config, and the request it makes, checked by the contract's own validator so
 * the form marks exactly what the services would refuse. No kind is named here.
 */
import { CONFIG_RANGES, type TrainConfig } from '../../../shared/config';
import { customNeuronErrors, type CustomNeuronSpec } from '../../../shared/customNeuron';
import { playgroundRequestErrors } from '../../../shared/ipc/playgroundPayloads';
import type { NeuronDescription, NeuronParamDescription, PlaygroundInput, PlaygroundRequest } from '../../../shared/playground';
import { describeRange, type NumericRange } from '../../../shared/ranges';
import { msToSeconds, secondsToMs } from './units';

export interface PlaygroundForm {
  neuron: NeuronDescription['kind'];
  /** By parameter name: a decay as τ in ms, any other as the step reads it. */
  params: Record<string, number>;
  /** By config field. */
  scalars: Record<string, number>;
  dtMs: number;
  steps: number;
  input: PlaygroundInput;
  fi: PlaygroundRequest['fi'];
}

export const DEFAULT_STEPS = 500;
export const DEFAULT_FI_POINTS = 21;

/** "τ alpha (ms)" for a decay, the name otherwise. */
export function paramLabel(p: NeuronParamDescription): string {
  return p.decay ? `τ ${p.name} (ms)` : p.name;
}

/** "lif — leaky integrate-and-fire", and a user-defined neuron as "custom: <its name>". */
export function kindLabel(d: NeuronDescription): string {
  return d.custom ? `custom: ${d.custom.name}` : `${d.kind} — ${d.title}`;
}

/**
 * The user-defined neuron the playground offers beside the built-in kinds: the training form's program when its
 * neuron is `custom` and the program is sound (the services would refuse it otherwise), else none.
 */
export function formProgram(config: Pick<TrainConfig, 'neuron' | 'customNeuron'>): CustomNeuronSpec | null {
  const spec = config.neuron === 'custom' ? config.customNeuron : undefined;
  return spec && customNeuronErrors(spec).length === 0 ? spec : null;
}

/** A value as the form shows it: the middle of the config's span (a decay's τ in ms), or of the program's range. */
function shownMiddle(p: NeuronParamDescription, config: Pick<TrainConfig, NonNullable<NeuronParamDescription['span']>> | null): number {
  const s = config && p.span ? config[p.span] : p.defaultSpan;
  const mid = (s.lo + s.hi) / 2;
  // 12 digits: (0.9 + 0.99)/2 shows as 0.945, not 0.9450000000000001.
  return Number((p.decay ? secondsToMs(mid) : mid).toPrecision(12));
}

/** The smallest of 1, 2 or 5 × a power of ten that is at least x (1 for no positive x), so the inputs read well. */
export function roundCurrent(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = Number((x / p).toPrecision(9));
  return Number(((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p).toPrecision(6));
}

/**
 * The form for a kind: its parameters at the middle of the training form's spans (or the default ones), its run
 * constants from that config, a step input of twice the current that makes it fire (rounded up to 1, 2 or 5 × 10ᵏ),
 * and an f–I sweep from 0 to four times that.
 */
export function initialForm(d: NeuronDescription, config: TrainConfig | null): PlaygroundForm {
  const fires = roundCurrent(d.firingCurrent ?? 1);
  const cfg = config as unknown as Record<string, number> | null;
  return {
    neuron: d.kind,
    params: Object.fromEntries(d.params.map((p) => [p.name, shownMiddle(p, config)])),
    // A program's constants (no config field) are the program's to change, not the form's.
    scalars: Object.fromEntries(d.scalars.flatMap((s) => (s.config === null ? [] : [[s.config, typeof cfg?.[s.config] === 'number' ? cfg[s.config] : s.default]]))),
    dtMs: config ? secondsToMs(config.dtS) : 1,
    steps: DEFAULT_STEPS,
    input: { shape: 'step', amplitude: 2 * fires, onsetStep: 50, noiseStd: fires, rateHz: 200, seed: 0 },
    fi: { minAmplitude: 0, maxAmplitude: 4 * fires, points: DEFAULT_FI_POINTS },
  };
}

export function playgroundRequest(form: PlaygroundForm, d: NeuronDescription): PlaygroundRequest {
  return {
    neuron: form.neuron,
    ...(d.custom ? { custom: { ...d.custom } } : {}),
    params: Object.fromEntries(d.params.map((p) => [p.name, p.decay ? msToSeconds(form.params[p.name]) : form.params[p.name]])),
    scalars: { ...form.scalars },
    dtS: msToSeconds(form.dtMs),
    steps: form.steps,
    input: { ...form.input },
    fi: { ...form.fi },
  };
}

/**
 * The request's problems by field path (`params.alpha`, `input.amplitude`, …), as the services word them; the
 * form shows each beside its input; a decay's τ and dt, typed in ms, get their ranges in ms.
 */
export function formErrors(form: PlaygroundForm, d: NeuronDescription): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of playgroundRequestErrors(playgroundRequest(form, d), [d])) out[p.field] ??= p.message;
  // Fields typed in ms get their range in ms.
  const inMs = (r: NumericRange): NumericRange => ({ ...r, min: secondsToMs(r.min), ...(r.max === undefined ? {} : { max: secondsToMs(r.max) }) });
  for (const p of d.params) {
    const field = `params.${p.name}`;
    if (p.decay && out[field]) out[field] = `${paramLabel(p)} must be ${describeRange(inMs(p.range))}`;
  }
  if (out.dtS) out.dtS = `dt (ms) must be ${describeRange(inMs(CONFIG_RANGES.dtS))}`;
  return out;
}
