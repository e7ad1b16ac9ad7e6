/**
 * The arguments of a kind's generated step kernels, by name, in the order both kernel sets (the JS twins,
 * jsEmit.ts, and WebAssembly SIMD, wasmEmit.ts) take them after (n, H). Pointers are byte offsets into the
 * kernels' memory; an optional one is 0 when absent.
 *
 * Forward `<kind>Forward`, returns the number of spikes appended to `list`:
 *   xw    J_t without the recurrence [n] (J_t is written back where the backward reads it and rec is given)
 *   rec   S_{t−1}·W_rec [n], or 0
 *   spk   S_t out [n];  list  the index of each spiking element is appended
 *   st_<state>    the state [n], read before and written after the step
 *   hist_<state>  where the state's value before the step is kept for the backward, or 0
 *   r_<record>    where a record is written, or 0
 *   p_<param>     the parameter [H];  then the scalars (f32)
 * Backward `<kind>Backward`:
 *   g     G_t = ∂L/∂J_t out [n];  dIn  D_t [n];  rec  G_{t+1}·W_recᵀ [n] or 0;  xw  J_t [n]
 *   hist_<state>  the state before step t (only those the backward reads; others may be 0)
 *   ga_<state>    the adjoint of the state after the step [n], updated to the adjoint before it
 *   acc_<param>   per-element gradient sums [n] of each parameter with a gradient, or 0 when not wanted
 *   p_<param>, then the scalars
 */
import type { KernelSchedule } from './schedule';

export const forwardName = (kind: string): string => `${kind}Forward`;
export const backwardName = (kind: string): string => `${kind}Backward`;

export function forwardPointers(s: KernelSchedule): string[] {
  const p = s.plan;
  return ['xw', 'rec', 'spk', 'list', ...p.states.map((x) => `st_${x}`), ...p.states.map((x) => `hist_${x}`), ...p.records.map((r) => `r_${r}`), ...p.params.map((x) => `p_${x}`)];
}

export function backwardPointers(s: KernelSchedule): string[] {
  const p = s.plan;
  return ['g', 'dIn', 'rec', 'xw', ...p.states.map((x) => `hist_${x}`), ...p.states.map((x) => `ga_${x}`), ...s.gradParams.map((x) => `acc_${x}`), ...p.params.map((x) => `p_${x}`)];
}

/** (n, H, pointers by name (absent = 0), scalars by name) as the kernel's argument list. */
export function kernelArgs(pointers: string[], scalars: string[], n: number, H: number, ptr: Record<string, number>, scalar: Record<string, number>): number[] {
  return [n, H, ...pointers.map((name) => ptr[name] ?? 0), ...scalars.map((name) => scalar[name])];
}
