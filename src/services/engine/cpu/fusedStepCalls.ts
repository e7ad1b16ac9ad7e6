/**
 * How the fused CPU loop (fusedNetwork.ts) calls a kind's generated step kernels (codegen/kernelArgs.ts): one
 * argument list per layer and pass whose time-indexed pointers move with the step.
 */
import { backwardName, backwardPointers, forwardName, forwardPointers } from '../codegen/kernelArgs';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
export { layerKernelPlan, scalarValues, type LayerKernelPlan } from '../codegen/layerKernelPlan';

/**
 * One kernel's argument list with pointers by name; `perStep` pointers are bases of [T, n] arrays and move by
 * n floats per step.
 */
export class StepCall {
  readonly args: number[];
  private readonly moving: [index: number, base: number][] = [];
  private readonly slot = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly n: number,
    H: number,
    pointers: string[],
    scalars: number[],
    fixed: Record<string, number>,
    perStep: Record<string, number>,
  ) {
    this.args = [n, H, ...pointers.map((p) => fixed[p] ?? perStep[p] ?? 0), ...scalars];
    pointers.forEach((p, i) => {
      this.slot.set(p, i + 2);
      if (perStep[p]) this.moving.push([i + 2, perStep[p]]);
    });
  }

  /** Points the time-indexed arrays at step t. */
  at(t: number): this {
    for (const [i, base] of this.moving) this.args[i] = base + t * this.n * 4;
    return this;
  }

  /** Sets a pointer that changes otherwise (rec, list). */
  set(name: string, value: number): this {
    this.args[this.slot.get(name)!] = value;
    return this;
  }
}

export const stepNames = (def: NeuronDefinition): { forward: string; backward: string } => ({ forward: forwardName(def.id), backward: backwardName(def.id) });
export { backwardPointers, forwardPointers };
