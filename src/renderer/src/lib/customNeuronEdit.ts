/**
 * The custom-neuron editor's logic: the program a config starts with when the user picks `custom`, and the
 * checker's findings as the lines the editor shows under the text, checked as the user types (the same parser
 * every process uses, shared/customNeuron.ts).
 */
import type { TrainConfig } from '../../../shared/config';
import { EXAMPLE_CUSTOM_SOURCE, parseCustomNeuron, type CustomNeuronSpec } from '../../../shared/customNeuron';

export const DEFAULT_CUSTOM_NEURON: Readonly<CustomNeuronSpec> = Object.freeze({ name: 'my neuron', source: EXAMPLE_CUSTOM_SOURCE, surrogate: 'fast-sigmoid' });

/** The config with a program to edit when its neuron is custom (kept when there is one already). */
export function withCustomProgram(config: TrainConfig): TrainConfig {
  return config.neuron === 'custom' && !config.customNeuron ? { ...config, customNeuron: { ...DEFAULT_CUSTOM_NEURON } } : config;
}

export interface ProgramSummary {
  /** One line per problem, `line N: …` first by line. */
  errors: string[];
  /** When it parses: what it declares, in a sentence. */
  summary: string | null;
}

export function checkProgram(source: string): ProgramSummary {
  const r = parseCustomNeuron(source);
  if (!r.program) return { errors: r.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message)), summary: null };
  const p = r.program;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const learned = p.params.filter((x) => x.learn).length;
  return {
    errors: [],
    summary: `${plural(p.states.length, 'state')} (${p.states.join(', ')}), ${plural(p.params.length, 'parameter')} (${learned} learned), ${plural(p.consts.length, 'constant')}, ${plural(p.lines.length, 'update line')}; the membrane shown is ${p.record}`,
  };
}

/** The editor's height in lines: the whole program and a line to type on (8 to 30), so nothing scrolls out of sight. */
export function editorRows(source: string): number {
  return Math.min(30, Math.max(8, source.split('\n').length + 1));
}
