/**
 * The neuron playground's contract: each neuron kind as the renderer sees it (read from its definition by the
 * services, so a new kind appears without a line here), and one run of a single neuron driven by an input current
 * beside its f–I curve. Plain TypeScript: no Node, no DOM.
 */
import type { NeuronKind, SpanKey } from './config';
import type { CustomNeuronSpec } from './customNeuron';
import type { NumericRange } from './ranges';
import type { Span } from './span';

/** One per-neuron parameter of a kind, as its definition declares it. */
export interface NeuronParamDescription {
  /** The name in the step and in session files (`layer{l}/<name>`). */
  name: string;
  doc: string;
  /** A decay exp(−dt/τ): set and shown as τ (a request gives it in seconds), not as the factor. */
  decay: boolean;
  /**
   * The config span it is drawn from at init (τ in s for a decay, the value itself otherwise); null for a
   * parameter of a user-defined neuron, drawn from the range its program declares (`param x in lo..hi`).
   */
  span: SpanKey | null;
  /** That span in the default config (or the program's range). */
  defaultSpan: Span;
  /** What a value may be: SPAN_RANGES of the span, or the program's range (training keeps it there). */
  range: NumericRange;
  /** 's' for a decay's τ; null for a value the step reads as it is (in threshold units or per step). */
  unit: 's' | null;
}

/** A run constant the kind reads, by the config field it comes from. */
export interface NeuronScalarDescription {
  /** The name in the step. */
  name: string;
  /**
   * The config field (threshold, surrogateScale, …); a request sets it under this key. null for a constant of
   * a user-defined neuron's program (`const q = 30`): `default` is its value, which only the program changes.
   */
  config: string | null;
  doc: string;
  default: number;
  range: NumericRange;
}

/** A neuron kind for the playground and the docs: everything the app shows about it comes from its definition. */
export interface NeuronDescription {
  kind: NeuronKind;
  title: string;
  paper: string;
  /** The step as equations. */
  equations: string;
  states: { name: string; doc: string }[];
  params: NeuronParamDescription[];
  scalars: NeuronScalarDescription[];
  /** The values the step records (the membrane, …), in the step's order. */
  records: string[];
  /** The record shown as the membrane, and the one shown as adaptation. */
  probe: { mem: string; adapt?: string };
  surrogate: { name: string; doc: string };
  /**
   * The smallest constant input current, on a grid of ratio 10^¼ from 10⁻⁴ to 10³, that makes a neuron with the
   * default parameters (the midpoints of the default spans) fire within 1000 steps of 1 ms; null when none does.
   * The playground starts its step amplitude and f–I range from it, so no kind needs numbers of its own.
   */
  firingCurrent: number | null;
  /** For `custom`: the program it was described from; a request for it carries the same (`PlaygroundRequest.custom`). */
  custom?: CustomNeuronSpec;
}

export const PLAYGROUND_SHAPES = ['step', 'ramp', 'noise', 'poisson'] as const;
/**
 * `step`: 0 before `onsetStep`, `amplitude` from it on; `ramp`: linear from 0 at step 0 to `amplitude` at the last
 * step; `noise`: `amplitude` plus Gaussian noise of standard deviation `noiseStd` drawn anew every step; `poisson`:
 * `amplitude` times the number of input spikes in each step, a Poisson count of mean rateHz·dtS (a spike train
 * through a synapse of weight `amplitude`).
 */
export type PlaygroundShape = (typeof PLAYGROUND_SHAPES)[number];

/** The input current J_t of the driven neuron. Every field is present whatever the shape (the form keeps them all). */
export interface PlaygroundInput {
  shape: PlaygroundShape;
  amplitude: number;
  /** step: the first step with current. */
  onsetStep: number;
  /** noise: standard deviation per step. */
  noiseStd: number;
  /** poisson: the input train's rate (Hz). */
  rateHz: number;
  /** noise, poisson: the seed of the draws (same seed, same current). */
  seed: number;
}

export interface PlaygroundRequest {
  neuron: NeuronKind;
  /** The program of a user-defined neuron: required when `neuron` is `custom`, absent otherwise. */
  custom?: CustomNeuronSpec;
  /**
   * Each parameter of the kind by its name: a decay as its τ in seconds (the neuron gets exp(−dtS/τ)), any other
   * as the step reads it. Every parameter of the kind must be given, nothing else.
   */
  params: Record<string, number>;
  /** Run constants by their config field (threshold, adaptQ, …); one left out takes the default config's value. */
  scalars: Record<string, number>;
  /** The time step (s): the decays' dt, and the unit of the firing rates. */
  dtS: number;
  steps: number;
  input: PlaygroundInput;
  /** The f–I curve: `points` constant currents evenly from `minAmplitude` to `maxAmplitude`, each for `steps` steps. */
  fi: { minAmplitude: number; maxAmplitude: number; points: number };
}

export interface PlaygroundResult {
  neuron: NeuronKind;
  dtS: number;
  steps: number;
  /** J_t, the current the neuron received at each step. */
  input: number[];
  /** Every state of the kind after each step, in the definition's order. */
  states: { name: string; values: number[] }[];
  /** Every record of the step at each step (as the probe shows them). */
  records: { name: string; values: number[] }[];
  /** The steps at which the neuron spiked. */
  spikeSteps: number[];
  /** Spikes per second over the run. */
  rateHz: number;
  /** Firing rate (Hz over `steps` steps) at each constant current of the sweep. */
  fi: { amplitude: number[]; rateHz: number[] };
}

/** Limits of a request: a run stays well under a second of CPU in the process that serves the call. */
export const PLAYGROUND_LIMITS = {
  steps: { min: 1, max: 10_000, integer: true },
  fiPoints: { min: 2, max: 64, integer: true },
  /** |amplitude|, |noise|, |parameter| bound: far beyond any current that does not saturate a neuron. */
  magnitude: 1e6,
  rateHz: { min: 0, max: 10_000, integer: false },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
} as const;
