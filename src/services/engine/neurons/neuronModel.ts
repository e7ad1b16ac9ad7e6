/**
 * What a neuron kind provides to the engine: one object per kind (lif.ts, adlif.ts), registered in
 * index.ts. The layer drivers (fusedLayer.ts for the fused kernels, tensorNetwork.ts for tfjs ops) are the
 * same for every kind: they project the input, add the recurrence, call the kind's step, and collect spikes;
 * the kind says which states and records it keeps and how one step goes forward and back.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Span, TrainConfig } from '../../../shared/config';

/** Records a step may keep for the backward pass or the probe, [T, B, H] each. */
export type RecordName = 'den' | 'mem' | 'syn' | 'adapt';

/** Per-neuron parameter vectors [H] (byte offsets); a and b are 0 for kinds without adaptation. */
export interface ParamPointers {
  alpha: number;
  beta: number;
  a: number;
  b: number;
}

/** One step's arguments for a fused kernel; every pointer is a byte offset into the kernels' memory. */
export interface FusedStep {
  /** The step. */
  t: number;
  /** B·H elements in the step; neuron h of element i is i mod H. */
  n: number;
  H: number;
  theta: number;
  scale: number;
  adaptQ: number;
  /** Forward: J_t without the recurrent term (the kind may write J_t back). */
  xw: number;
  /** Forward: S_{t−1}·W_rec; backward: G_{t+1}·W_recᵀ; 0 when absent. */
  rec: number;
  /** S_t. */
  spk: number;
  /** Forward: where the step's spike indices go. */
  list: number;
  /** Backward: G_t (out) and D_t (in). */
  g: number;
  dIn: number;
  /** The kind's state arrays [n]: forward states in forward, gradient states in backward. */
  state: number[];
  /** A record at step t, or 0 when it is not kept. */
  at(name: RecordName): number;
  /** A record at step t − 1, or 0 at t = 0 (every state starts at 0) or when it is not kept. */
  prev(name: RecordName): number;
  /** S_{t−1}, or 0 at t = 0. */
  prevSpk: number;
  p: ParamPointers;
  /** Per-element gradient sums [n] of each parameter vector, or 0 where that gradient is not wanted. */
  acc: ParamPointers;
}

export interface RecordNeed {
  /** Backward pass follows. */
  grads: boolean;
  /** The decays' gradients are wanted (learnTau, or every gradient for the golden tests). */
  decayGrads: boolean;
  /** The probe wants membranes (and adaptation). */
  mem: boolean;
}

/** A tensor-loop step: spikes S_t (with the surrogate gradient), the membrane record U_t, the next state. */
export interface TensorStep<S> {
  spikes: tf.Tensor2D;
  mem: tf.Tensor2D;
  adapt?: tf.Tensor2D;
  next: S;
}

export interface TensorParams {
  alpha: tf.Tensor1D;
  beta: tf.Tensor1D;
  a: tf.Tensor1D | null;
  b: tf.Tensor1D | null;
  threshold: number;
  adaptQ: number;
}

/**
 * A kind's step as WGSL statements, spliced into the webgpu backend's layer kernels (webgpu/layerShaders.ts),
 * one neuron h of one sample per block, element i = (t·B + b)·H + h. What the statements see:
 *   i, h, t, k (this thread's neuron slot), BH = B·H; p (the parameters, read at ALPHA/BETA/PA/PB + h);
 *   THETA, SCALE, Q; rec (the records, at OFF_<NAME> + i, written or read where HAS_<NAME>); spk; xw (J_t);
 *   s0[k], s1[k] (the two states: forward states in forward, gradient states in backward);
 *   r: forward S_{t−1}·W_rec, backward G_{t+1}·W_recᵀ, 0 when absent; RECURRENT.
 * Forward sets S (S_t); backward reads dIn[i] (D_t), sets G (G_t = ∂J_t) and adds to acc0…acc3[k]
 * (∂α, ∂β where ACC_DECAY; ∂a, ∂b always for adaptation kinds).
 */
export interface NeuronWgsl {
  /** Gradient sums per neuron the backward statements keep: 2 (α, β) or 4 (α, β, a, b). */
  accumulators: 2 | 4;
  forward: string;
  backward: string;
}

/**
 * `S`: the kind's tfjs state; `K`: the step kernels its fused step calls (the kind's own, e.g. LifKernels; the
 * registry, index.ts, gives every kind all kinds' kernels, StepKernels). A type parameter, so that this file
 * needs no kind's file and no kind's file imports one that imports it back.
 */
export interface NeuronModel<S = unknown, K = unknown> {
  kind: TrainConfig['neuron'];
  /** The spans the decays α and β are drawn from (and clamped to when learned). */
  spans(c: TrainConfig): { alpha: Span; beta: Span };
  /** Whether the kind has the adaptation parameters a and b. */
  adaptation: boolean;
  /** The time constant each decay stands for, as named in LayerTaus. */
  tauNames: { alpha: 'tauSynS' | 'tauMemS'; beta: 'tauMemS' | 'tauAdaptS' };
  fused: {
    /** Number of state arrays [n] in forward (and of gradient states in backward). */
    states: number;
    /** Which records to keep for what comes after the forward pass. */
    records(need: RecordNeed): RecordName[];
    /** The record that is the membrane U_t of the probe, and (adaptation kinds) the adaptation's. */
    memRecord: RecordName;
    adaptRecord?: RecordName;
    /** Runs step t forward; returns the number of spikes appended to `list`. */
    forward(k: K, s: FusedStep): number;
    /** Runs step t backward. */
    backward(k: K, s: FusedStep): void;
  };
  /**
   * The tfjs-op loop's step. tfjs comes in as an argument so that this module (and the worker threads and
   * services that load the neuron kinds for their kernels or spans) does not load it.
   */
  tensor: {
    init(tfjs: typeof tf, B: number, H: number): S;
    /** One step given J_t ([B, H]); `spikeFn(u)` is Θ(u − θ) with the surrogate gradient. */
    step(tfjs: typeof tf, state: S, input: tf.Tensor2D, p: TensorParams, spikeFn: (u: tf.Tensor2D) => tf.Tensor2D): TensorStep<S>;
  };
}

/**
 * Float32 and Int32 views of a kernel memory, rebuilt whenever the memory has grown (growing replaces the
 * buffer), for the JS twins.
 */
export function floatViews(memory: WebAssembly.Memory): () => { F: Float32Array; N: Int32Array } {
  let buffer: ArrayBuffer | null = null;
  let views = { F: new Float32Array(0), N: new Int32Array(0) };
  return () => {
    if (buffer !== memory.buffer) {
      buffer = memory.buffer;
      views = { F: new Float32Array(buffer), N: new Int32Array(buffer) };
    }
    return views;
  };
}
