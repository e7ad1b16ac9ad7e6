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

/** Why a session whose hidden layers are `neuron` cannot be exported to NIR; null when it can. */
export function nirExportRefusal(neuron: NeuronKind): string | null {
  return neuron === 'lif' ? null : `adLIF, which NIR cannot express: ${NIR_ADLIF_REASON}`;
}
