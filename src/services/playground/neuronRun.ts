/**
 * Single neurons of one kind driven by given currents, through the kind's generated forward kernel — the JS twin
 * the trainer's cpu backend runs (codegen/jsEmit.ts; arguments in codegen/kernelArgs.ts), on a kernel memory of
 * its own. The batch is n neurons of one parameter set (B = n, H = 1), each with its own current: the playground's
 * driven neuron and the f–I sweep's constant currents run as one batch.
 */
import { forwardName, forwardPointers } from '../engine/codegen/kernelArgs';
import { kernelSchedule } from '../engine/codegen/schedule';
import { Arena, createKernelRuntime } from '../engine/cpu/engineKernels';
import { jsStepKernels } from '../engine/codegen/jsEmit';
import { floatViews } from '../engine/codegen/stepKernels';
import type { NeuronDefinition } from '../engine/definitions/neuronDefinition';

export interface NeuronRunSpec {
  /** Each parameter as the step reads it (a decay as the factor), by the definition's names. */
  params: Record<string, number>;
  /** The run constants by the step's names. */
  scalars: Record<string, number>;
  /** Neurons in the batch. */
  n: number;
  steps: number;
  /** Writes J_t of every neuron into `J` [n] before step t. */
  drive(t: number, J: Float32Array): void;
  /** The neuron whose states, records and spike steps are kept. */
  traced: number;
}

export interface NeuronRun {
  /** The traced neuron's states after each step [steps], by the definition's state names. */
  states: Record<string, Float32Array>;
  /** The traced neuron's records at each step [steps]. */
  records: Record<string, Float32Array>;
  /** Steps at which the traced neuron spiked. */
  spikeSteps: number[];
  /** Spikes of every neuron over the run [n]. */
  counts: Int32Array;
}

export function runNeurons(def: NeuronDefinition, spec: NeuronRunSpec): NeuronRun {
  const { n, steps, traced } = spec;
  if (!(n >= 1 && traced >= 0 && traced < n)) throw new Error(`neuron run: traced neuron ${traced} is outside 0…${n - 1}`);
  const schedule = kernelSchedule(def);
  const plan = schedule.plan;
  const runtime = createKernelRuntime(false);
  // Kernels are named by the definition's id; a user-defined neuron's JS twin is generated here on first use.
  const name = forwardName(def.id);
  const forward = runtime.kernels.steps[name] ?? jsStepKernels(def, floatViews(runtime.memory))[name];
  const arena = new Arena(runtime.memory);
  const perNeuron = 3 + plan.states.length + plan.records.length;
  arena.reset((perNeuron * n + plan.params.length) * 4, perNeuron + plan.params.length);

  // xw: J_t; spk: S_t; list: the spiking indices the kernel appends; st_: the states, zero at the start as in training.
  const xw = arena.f32(n);
  const spk = arena.f32(n);
  const list = arena.i32(n);
  const st = Object.fromEntries(plan.states.map((s) => [s, arena.f32(n)]));
  const rec = Object.fromEntries(plan.records.map((r) => [r, arena.f32(n)]));
  const ptr: Record<string, number> = { xw: xw.ptr, spk: spk.ptr, list: list.ptr };
  for (const s of plan.states) ptr[`st_${s}`] = st[s].ptr;
  for (const r of plan.records) ptr[`r_${r}`] = rec[r].ptr;
  for (const p of plan.params) {
    const v = spec.params[p];
    if (typeof v !== 'number') throw new Error(`neuron run: no value for the parameter ${p} of ${def.kind}`);
    const a = arena.f32(1);
    a.view[0] = v;
    ptr[`p_${p}`] = a.ptr;
  }
  for (const s of plan.scalars) if (typeof spec.scalars[s] !== 'number') throw new Error(`neuron run: no value for the run constant ${s} of ${def.kind}`);
  // rec (the recurrence) and hist_ (states kept for a backward) stay 0: one neuron, no gradient.
  const args = [n, 1, ...forwardPointers(schedule).map((p) => ptr[p] ?? 0), ...plan.scalars.map((s) => spec.scalars[s])];

  const states = Object.fromEntries(plan.states.map((s) => [s, new Float32Array(steps)]));
  const records = Object.fromEntries(plan.records.map((r) => [r, new Float32Array(steps)]));
  const spikeSteps: number[] = [];
  const counts = new Int32Array(n);
  for (let t = 0; t < steps; t++) {
    spec.drive(t, xw.view);
    const fired = forward(...args);
    for (let k = 0; k < fired; k++) counts[list.view[k]]++;
    for (const s of plan.states) states[s][t] = st[s].view[traced];
    for (const r of plan.records) records[r][t] = rec[r].view[traced];
    if (spk.view[traced] !== 0) spikeSteps.push(t);
  }
  return { states, records, spikeSteps, counts };
}
