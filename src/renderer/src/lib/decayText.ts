/**
 * The per-step decay factors the form's time constants give (what the network multiplies by each step),
 * as one line under the form: "α = exp(−dt/τ_syn) = 0.8187 · β = exp(−dt/τ_mem) = 0.9048" for lif; a span
 * shows the decays of both ends.
 */
import { decayOf, type NeuronKind, type SpanKey, type TrainConfig } from '../../../shared/config';

const DECAYS: Partial<Record<NeuronKind, { key: SpanKey; name: string; tau: string }[]>> = {
  lif: [
    { key: 'tauSynS', name: 'α', tau: 'τ_syn' },
    { key: 'tauMemS', name: 'β', tau: 'τ_mem' },
  ],
  adlif: [
    { key: 'tauMemS', name: 'α', tau: 'τ_mem' },
    { key: 'tauAdaptS', name: 'β', tau: 'τ_adapt' },
  ],
};

/** null while dt or one of the τ is invalid (the form shows that error instead), and for kinds without decays (brf). */
export function decayText(c: TrainConfig, errors: Record<string, string>): string | null {
  const used = DECAYS[c.neuron];
  if (!used || errors.dtS || used.some((d) => errors[d.key])) return null;
  return used
    .map(({ key, name, tau }) => {
      const s = c[key];
      const lo = decayOf(s.lo, c.dtS).toFixed(4);
      const hi = decayOf(s.hi, c.dtS).toFixed(4);
      return `${name} = exp(−dt/${tau}) = ${lo === hi ? lo : `${lo}…${hi}`}`;
    })
    .join(' · ');
}
