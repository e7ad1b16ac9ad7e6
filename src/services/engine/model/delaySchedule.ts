/**
 * The delays' kernel spread during training, annealed as DelRec anneals it (and the reference's `delay_sigma_now`):
 * σ_e = σ₀·(decay^(100/epochs))^(e−1) at epoch e = 1, 2, …, so it shrinks by decay¹⁰⁰ over a run of any length.
 * Evaluation always uses σ = 0 and rounds the delays to whole steps (model/delayRounding.ts).
 */
import type { TrainConfig } from '../../../shared/config';

export function delaySigmaAt(config: Pick<TrainConfig, 'delaySigma' | 'delaySigmaDecay' | 'epochs'>, epoch: number): number {
  if (config.delaySigma <= 0) return 0;
  return config.delaySigma * (config.delaySigmaDecay ** (100 / Math.max(config.epochs, 1))) ** (epoch - 1);
}
