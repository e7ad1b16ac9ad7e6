/**
 * Which sessions a NIR graph can hold. The Sessions tab disables its NIR button with this reason, and the export
 * (services/nir/nirGraph.ts) refuses with the same words, so the two cannot disagree.
 */
import type { NeuronKind } from './config';

/** Why adLIF has no NIR form: no NIR neuron has its adaptation current. */
export const NIR_ADLIF_REASON =
  "NIR's neurons are I, LI, IF, LIF, CubaLI and CubaLIF, and none has an adaptation current coupled to the membrane (a) and to spikes (b); only LIF sessions export";

/** The same, in the few words a disabled button can sit beside. */
export const NIR_ADLIF_SHORT = 'adLIF has no NIR form';

/**
 * Per neuron kind: null where NIR has a primitive for it (LIF → CubaLIF), else what it is and why NIR cannot hold
 * it, and the short form. A Record over NeuronKind, so a new kind cannot be added without saying which.
 */
export const NIR_KIND_SUPPORT: Readonly<Record<NeuronKind, { what: string; reason: string; short: string } | null>> = Object.freeze({
  lif: null,
  adlif: { what: 'adLIF', reason: NIR_ADLIF_REASON, short: NIR_ADLIF_SHORT },
  brf: {
    what: 'BRF',
    reason:
      "NIR's neurons are I, LI, IF, LIF, CubaLI and CubaLIF, and none is an oscillator (two coupled states rotating at ω) with a refractory trace raising the threshold and the damping; only LIF sessions export",
    short: 'BRF has no NIR form',
  },
  csilif: {
    what: 'C-SiLIF',
    reason:
      "NIR's neurons are I, LI, IF, LIF, CubaLI and CubaLIF, all with real states; none has a complex state that decays and rotates (exp((−a + iω)Δ)) with a learned step Δ and a reset on its real part; only LIF sessions export",
    short: 'C-SiLIF has no NIR form',
  },
  custom: {
    what: 'a user-defined neuron',
    reason: "NIR's neurons are I, LI, IF, LIF, CubaLI and CubaLIF, with fixed equations; a neuron defined by its own update lines has no primitive to map to; only LIF sessions export",
    short: 'custom neurons have no NIR form',
  },
});

/** Why a session whose hidden layers are `neuron` cannot be exported to NIR; null when it can. */
export function nirExportRefusal(neuron: NeuronKind): string | null {
  const no = NIR_KIND_SUPPORT[neuron];
  return no ? `${no.what}, which NIR cannot express: ${no.reason}` : null;
}

/** The refusal in the few words a disabled button can sit beside; null when the kind exports. */
export function nirRefusalShort(neuron: NeuronKind): string | null {
  return NIR_KIND_SUPPORT[neuron]?.short ?? null;
}
