/**
 * Inverted dropout on a layer's output spikes during training: each spike S[b,t,h] that goes up (to the next
 * layer or the readout, never into the layer's own recurrence) is kept with probability 1 − p and scaled by
 * 1/(1 − p), independently per sample, step and neuron, as the reference's `run_net` does.
 *
 * The keep decision is a hash of (seed, epoch, layer, sample index in the dataset, t, h) rather than a
 * stream of random numbers, so it does not depend on how a batch is split over worker threads or on the
 * order the engine visits neurons: the fused and the tfjs-op loops, one worker or two, draw the same mask.
 */
import { mix } from '../../random/hashMix';

/** Which training step a mask belongs to. */
export interface DropoutKey {
  seed: number;
  epoch: number;
}


/**
 * The mask's constants for one layer and step: the layer's key, the cut the top 24 bits of an element's hash are
 * compared with, and the kept spikes' scale. The webgpu backend hashes the same way on the GPU (sparseShaders.ts).
 */
export function dropoutHash(key: DropoutKey, layer: number, p: number): { base: number; cut: number; scale: number } {
  return {
    base: mix(mix(key.seed ^ 0x5bd1e995) ^ Math.imul(key.epoch + 1, 0x9e3779b9) ^ Math.imul(layer + 1, 0x85ebca6b)),
    // Compare the top 24 bits with p·2^24: exact for the float32-precision rates a config holds.
    cut: Math.round(p * 2 ** 24),
    scale: Math.fround(1 / (1 - p)),
  };
}

/**
 * The mask's coefficients for a batch, time-major [T, B, H]: 1/(1 − p) where kept, 0 where dropped.
 * `samples` are the batch's sample indices in the dataset.
 */
export function dropoutMask(key: DropoutKey, layer: number, p: number, samples: Int32Array, T: number, H: number): Float32Array {
  const B = samples.length;
  const mask = new Float32Array(T * B * H);
  const { base, cut, scale } = dropoutHash(key, layer, p);
  for (let b = 0; b < B; b++) {
    const sampleKey = mix(base ^ Math.imul(samples[b] + 1, 0xc2b2ae35));
    for (let t = 0; t < T; t++) {
      const stepKey = mix(sampleKey ^ Math.imul(t + 1, 0x27d4eb2f));
      const row = (t * B + b) * H;
      for (let h = 0; h < H; h++) mask[row + h] = mix(stepKey ^ Math.imul(h + 1, 0x165667b1)) >>> 8 >= cut ? scale : 0;
    }
  }
  return mask;
}
