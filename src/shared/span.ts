/**
 * A closed interval of numbers: a neuron parameter drawn uniformly from [lo, hi] at init, lo = hi being one value
 * for every neuron (config.ts), or an augmentation's stretch range (augment.ts). In a file of its own so both
 * contracts share it without importing each other.
 */
export interface Span {
  lo: number;
  hi: number;
}
