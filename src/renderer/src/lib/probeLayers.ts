/**
 * Choosing one hidden layer of a probe and the neurons to trace in it. The probe holds every layer, input
 * side first; rasters and traces show one at a time.
 */
import type { LayerProbe, ProbeRecord } from '../../../shared/events';
import { mostActive } from './indexList';

/** "layer 2 · adlif · 32 neurons". */
export function layerLabel(layer: LayerProbe, index: number): string {
  return `layer ${index + 1} · ${layer.kind} · ${layer.size} neurons`;
}

/** Hidden layers known for the view: those of the probe, or of the τ records when no probe came yet. */
export function layerCount(probe: Pick<ProbeRecord, 'layers'> | null, ...taus: (readonly unknown[] | null)[]): number {
  return Math.max(probe?.layers.length ?? 0, ...taus.map((t) => t?.length ?? 0));
}

/** The layer to show: the one asked for while it exists, else the last (a later probe of fewer layers). */
export function clampLayer(wanted: number, count: number): number {
  return count <= 0 ? 0 : Math.min(Math.max(0, Math.floor(wanted)), count - 1);
}

/** Spikes of neuron n. */
export function spikeCount(layer: Pick<LayerProbe, 'spikes'>, n: number): number {
  let c = 0;
  for (const x of layer.spikes.n) if (x === n) c++;
  return c;
}

/**
 * The neurons traced when the user has not picked any: the 4 most active (silent ones make flat, dull
 * traces), else the first 4.
 */
export function defaultNeurons(layer: Pick<LayerProbe, 'spikes' | 'size'>, k = 4): number[] {
  const active = mostActive(layer.spikes.n, layer.size, k);
  return active.length ? active : Array.from({ length: Math.min(k, layer.size) }, (_, i) => i);
}
