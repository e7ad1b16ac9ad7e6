/**
 * Each hidden layer's time constants (s) from its decays, and its delays (steps) where it learns some, for the τ
 * and delay histograms (no tfjs: the app's main process uses it).
 */
import { tauOf } from '../../../shared/config';
import type { LayerTaus } from '../../../shared/events';
import { layerTensors, type NetworkParams } from './modelState';
import { neuronDefinition } from '../definitions';

export function layerTaus(params: NetworkParams, dtS: number): LayerTaus[] {
  return params.shape.layers.map((s, l) => {
    const t = layerTensors(params, l);
    const out: LayerTaus = { kind: s.kind, tauMemS: [] };
    // Each decay of the kind's definition under the name of the τ it is drawn from.
    for (const p of neuronDefinition(s).params) {
      if ('decayOf' in p.init) out[p.init.decayOf as 'tauMemS'] = Array.from(t.params[p.name], (x) => tauOf(x, dtS));
    }
    if (t.recDelay || t.ffDelay) out.delays = { ...(t.recDelay ? { rec: Array.from(t.recDelay) } : {}), ...(t.ffDelay ? { ff: Array.from(t.ffDelay) } : {}) };
    return out;
  });
}
