/**
 * Initial parameters (the workbench's own draw; the reference's README allows it): every weight matrix
 * W ~ N(0, (weightScale/√fan_in)²) as the reference draws them (`torch.randn(...) * ws / sqrt(fan_in)`), the
 * layers' weights in layout order (layer 0 w_in, w_rec, layer 1 …, readout w), then per layer each per-neuron
 * value that is drawn from a span (τ uniform in [lo, hi], decay = exp(−dt/τ); a and b uniform in their spans;
 * a single value is not drawn). One seeded stream (SeededRandom), so the same config gives the same network
 * everywhere; the seed model's draws are exactly those of the first landing (w1, v1, w2).
 */
import { decayOf, type Span, type SpanKey, type TrainConfig } from '../../../shared/config';
import { layerDelays } from '../../../shared/layerDelays';
import { SeededRandom } from '../../random/seededRandom';
import { emptyParams, layerTensors, readoutTensors, type NetworkParams, type NetworkShape } from './modelState';
import { isDecay, neuronDefinition, paramSpan } from '../definitions';

function fillNormal(rng: SeededRandom, w: Float32Array, std: number): void {
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
}

function fillSpan(rng: SeededRandom, v: Float32Array, span: Span, map: (x: number) => number = (x) => x): void {
  for (let i = 0; i < v.length; i++) v[i] = map(span.lo === span.hi ? span.lo : span.lo + (span.hi - span.lo) * rng.next());
}

export function initNetwork(shape: NetworkShape, config: Pick<TrainConfig, 'weightScale' | 'seed' | 'dtS' | 'readoutTauSynS' | 'readoutTauMemS' | 'layers' | SpanKey>): NetworkParams {
  const params = emptyParams(shape);
  const rng = new SeededRandom(config.seed);
  const ws = config.weightScale;
  shape.layers.forEach((s, l) => {
    const t = layerTensors(params, l);
    fillNormal(rng, t.wIn, ws / Math.sqrt(s.inputs));
    if (t.wRec) fillNormal(rng, t.wRec, ws / Math.sqrt(s.size));
  });
  const ro = readoutTensors(params);
  fillNormal(rng, ro.w, ws / Math.sqrt(shape.layers[shape.layers.length - 1].size));
  ro.alpha.fill(decayOf(config.readoutTauSynS, config.dtS));
  ro.beta.fill(decayOf(config.readoutTauMemS, config.dtS));
  shape.layers.forEach((s, l) => {
    const t = layerTensors(params, l);
    const decay = (tau: number) => decayOf(tau, config.dtS);
    // In the definition's order (lif: α, β; adlif: α, β, a, b — the draws of earlier landings).
    for (const p of neuronDefinition(s).params) fillSpan(rng, t.params[p.name], paramSpan(p, config), isDecay(p) ? decay : undefined);
    // Then the layer's delays, as the reference draws them (recurrent, then feed-forward), from the layer's own
    // spans where it sets them.
    const d = layerDelays(config, l);
    if (t.recDelay) fillSpan(rng, t.recDelay, d.recInit);
    if (t.ffDelay) fillSpan(rng, t.ffDelay, d.ffInit);
  });
  return params;
}
