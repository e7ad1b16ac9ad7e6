/**
 * What the playground draws from a run (pure, so tested without a canvas): one trace per state and record beside
 * the input current, the f–I curve as a chart series, and the phase portrait of two states as a path.
 */
import type { NeuronDescription, PlaygroundResult } from '../../../shared/playground';
import type { ChartSeries } from './chartSeries';
import { valueRange, type Trace, type ValueRange } from './traceLayout';

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#7c3aed', '#ea580c', '#0d9488', '#db2777', '#ca8a04'];
export const INPUT_COLOR = '#475569';

/** One panel of the trace grid: its title, test id and line. */
export interface TracePanel {
  id: string;
  title: string;
  trace: Trace;
  /** The firing threshold, drawn dashed on the membrane record's panel. */
  threshold: number | null;
}

/**
 * The input current, every state after each step, then every record (the membrane the probe shows carries the
 * threshold line, when the kind reads one from the config's `threshold`).
 */
export function tracePanels(r: PlaygroundResult, d: NeuronDescription, scalars: Record<string, number>): TracePanel[] {
  const doc = (name: string) => d.states.find((s) => s.name === name)?.doc ?? '';
  const theta = d.scalars.some((s) => s.config === 'threshold') ? (scalars.threshold ?? null) : null;
  const panels: TracePanel[] = [{ id: 'input', title: 'input current J', trace: { label: 'J', color: INPUT_COLOR, values: r.input }, threshold: null }];
  r.states.forEach((s, i) =>
    panels.push({ id: `state-${s.name}`, title: `state ${s.name}: ${doc(s.name)}`, trace: { label: s.name, color: PALETTE[i % PALETTE.length], values: s.values }, threshold: null }),
  );
  r.records.forEach((x, i) =>
    panels.push({
      id: `record-${x.name}`,
      title: `record ${x.name}${x.name === d.probe.mem ? ' (membrane)' : x.name === d.probe.adapt ? ' (adaptation)' : ''}`,
      trace: { label: x.name, color: PALETTE[(r.states.length + i) % PALETTE.length], values: x.values },
      threshold: x.name === d.probe.mem ? theta : null,
    }),
  );
  return panels;
}

export function fiSeries(r: PlaygroundResult): ChartSeries[] {
  return [{ label: 'firing rate (Hz)', color: PALETTE[0], showPoints: true, points: r.fi.amplitude.map((x, k) => ({ x, y: r.fi.rateHz[k] })) }];
}

/** Whether the f–I curve rises anywhere: some current fires faster than a smaller one. */
export function fiRises(r: PlaygroundResult): boolean {
  return r.fi.rateHz.some((y, k) => k > 0 && y > Math.min(...r.fi.rateHz.slice(0, k)));
}

/** One line under the f–I curve: where the sweep first fires, and how fast at its largest current. */
export function fiText(r: PlaygroundResult): string {
  const { amplitude, rateHz } = r.fi;
  const k = rateHz.findIndex((y) => y > 0);
  if (k < 0) return `silent over the whole sweep (${amplitude[0]} to ${amplitude[amplitude.length - 1]}): try larger currents`;
  const last = amplitude.length - 1;
  return `fires from J = ${amplitude[k].toPrecision(3)} (${rateHz[k].toFixed(1)} Hz); at J = ${amplitude[last].toPrecision(3)}: ${rateHz[last].toFixed(1)} Hz`;
}

/** The states a phase portrait can show, and the pair it starts with (the first two). */
export function phaseChoices(d: NeuronDescription): { names: string[]; initial: [string, string] | null } {
  const names = d.states.map((s) => s.name);
  return { names, initial: names.length >= 2 ? [names[0], names[1]] : null };
}

export interface PhasePath {
  x: number[];
  y: number[];
  xRange: ValueRange;
  yRange: ValueRange;
  /** Indices of the steps with a spike, marked on the path. */
  spikes: number[];
}

/** The trajectory (state x, state y) over the run; null when either is not a state of the run. */
export function phasePath(r: PlaygroundResult, xName: string, yName: string): PhasePath | null {
  const x = r.states.find((s) => s.name === xName)?.values;
  const y = r.states.find((s) => s.name === yName)?.values;
  if (!x || !y) return null;
  return { x, y, xRange: valueRange([x]), yRange: valueRange([y]), spikes: r.spikeSteps };
}

/** Canvas points of a path in a plot area of `width` × `height` (y down), non-finite steps as null. */
export function phasePoints(p: PhasePath, width: number, height: number): ({ x: number; y: number } | null)[] {
  const sx = (v: number) => ((v - p.xRange.min) / (p.xRange.max - p.xRange.min)) * width;
  const sy = (v: number) => height - ((v - p.yRange.min) / (p.yRange.max - p.yRange.min)) * height;
  return p.x.map((v, t) => (Number.isFinite(v) && Number.isFinite(p.y[t]) ? { x: sx(v), y: sy(p.y[t]) } : null));
}

/** "12 spikes, 24.0 Hz" under the traces. */
export function rateText(r: PlaygroundResult): string {
  const n = r.spikeSteps.length;
  return `${n} spike${n === 1 ? '' : 's'} in ${(r.steps * r.dtS * 1000).toPrecision(4)} ms: ${r.rateHz.toFixed(1)} Hz`;
}
