/**
 * Gradient-norm clipping as torch.nn.utils.clip_grad_norm_(params, max_norm) (norm_type 2) does it, over the
 * learned entries of a flat gradient vector (each entry is one of torch's parameter tensors):
 *
 *     n_j = ‖g_j‖₂ (float32)           per tensor
 *     N   = ‖(n_1, …, n_J)‖₂ (float32)  the norm of the per-tensor norms: the norm of all gradients as one vector
 *     c   = max_norm / (N + 1e-6)       in float32, as torch: (N + 1e-6) is a float32 tensor, and
 *                                      `max_norm / t` is Tensor.__rtruediv__, i.e. reciprocal(t) · max_norm
 *     g ← g · min(c, 1)                 only multiplied when c < 1 (multiplying by 1 changes nothing)
 *
 * Why: one exploding batch (a long spike train through a recurrent layer) can otherwise throw Adam's moments
 * far off; clipping bounds the step direction's scale while keeping its direction.
 *
 * Summation order. torch sums the squares of a tensor in float32 SIMD lanes (8 or 16 wide with FMA, chosen by
 * the CPU it runs on), so its last bit depends on the machine. Here each sum of squares is accumulated in
 * float64 (each square of a float32 is exact in float64; the sum's relative error, about n·2⁻⁵³, is far below
 * float32's half ulp 2⁻²⁴), and each norm is rounded to float32 as torch's norms are float32 tensors: the
 * correctly rounded norm except in near-ties, where torch's float32 order is within a few ulps of it; the tests
 * measure the difference against torch. The clip coefficient and the scaling are torch's float32 operations,
 * bit for bit, given the norm.
 */
import type { ParamEntry } from '../model/modelState';

/** torch's constant added to the total norm before dividing (clip_grad_norm_). */
export const CLIP_EPS = 1e-6;

/** ‖g_j‖₂ of one entry, rounded to float32 (the sum of squares in float64). */
export function entryNorm(grads: Float32Array, e: ParamEntry): number {
  let s = 0;
  for (let i = e.offset, end = e.offset + e.length; i < end; i++) s += grads[i] * grads[i];
  return Math.fround(Math.sqrt(s));
}

/** The total norm torch's clip_grad_norm_ returns: the float32 norm of the float32 per-entry norms. */
export function totalGradNorm(grads: Float32Array, entries: readonly ParamEntry[]): number {
  let s = 0;
  for (const e of entries) {
    const n = entryNorm(grads, e);
    s += n * n;
  }
  return Math.fround(Math.sqrt(s));
}

/**
 * torch's clip coefficient for a float32 total norm, before clamping to 1:
 *     c = fl32(fl32(1 / fl32(N + fl32(1e-6))) · fl32(max_norm))
 */
export function clipCoefficient(totalNorm: number, maxNorm: number): number {
  const t = Math.fround(Math.fround(totalNorm) + Math.fround(CLIP_EPS));
  return Math.fround(Math.fround(1 / t) * Math.fround(maxNorm));
}

/**
 * Clips the learned `entries` of `grads` in place to a total L2 norm of at most about `maxNorm` (> 0) and returns
 * the norm before clipping (for logging). Entries not listed are neither counted nor scaled. A non-finite norm
 * (an inf or NaN gradient) is returned as it is and scales the gradients by NaN or 0 as torch does (its default
 * error_if_nonfinite=False); the trainer should treat such a batch as failed rather than rely on clipping.
 */
export function clipGradNorm(grads: Float32Array, entries: readonly ParamEntry[], maxNorm: number): number {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) throw new Error(`max gradient norm must be a finite number > 0 (got ${maxNorm})`);
  for (const e of entries) {
    if (e.offset < 0 || e.offset + e.length > grads.length) throw new Error(`gradient has ${grads.length} values; ${e.name} needs ${e.offset}…${e.offset + e.length}`);
  }
  const norm = totalGradNorm(grads, entries);
  const c = clipCoefficient(norm, maxNorm);
  // torch multiplies by clamp(c, max=1); c ≥ 1 would multiply by 1 (no change), NaN would propagate.
  if (c < 1 || Number.isNaN(c)) {
    for (const e of entries) {
      for (let i = e.offset, end = e.offset + e.length; i < end; i++) grads[i] = grads[i] * c;
    }
  }
  return norm;
}
