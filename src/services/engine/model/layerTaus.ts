/** Each hidden layer's time constants (s) from its decays, for the τ histograms (no tfjs: the app's main process uses it). */
import { tauOf } from '../../../shared/config';
import type { LayerTaus } from '../../../shared/events';
import { layerTensors, type NetworkParams } from './modelState';
import { neuronModel } from '../neurons';

export function layerTaus(params: NetworkParams, dtS: number): LayerTaus[] {
  return params.shape.layers.map((s, l) => {
    const t = layerTensors(params, l);
    const names = neuronModel(s.kind).tauNames;
    const taus = (d: Float32Array) => Array.from(d, (x) => tauOf(x, dtS));
    const out: LayerTaus = { kind: s.kind, tauMemS: [] };
    out[names.alpha] = taus(t.alpha);
    out[names.beta] = taus(t.beta);
    return out;
  });
}
