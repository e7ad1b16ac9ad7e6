/**
 * The layered network of a batch with every hidden layer evaluated in float64 from the kinds' definitions
 * (codegen/f64Eval.ts: the step and its derived backward, element by element) — what the conformance suite
 * compares every backend's generated kernels with, for any kind, golden file or not. The readout, class loss and
 * regulariser are the engine's own (model/, shared by every backend and checked by the golden files); only the
 * neuron steps and the projections around them are recomputed here, slowly and plainly, with no dropout.
 *
 * Learnable delays (the reference's README, "Delays") are written out here from the equations, not from
 * cpu/fusedDelays.ts: k_h(m) = max(0, s − |m − c_h|)/s², s = 1 + σ, training's continuous delays (no rounding);
 * recurrent c_h = 1 + d_h, J_t += X_t·W_rec with X_t[h] = Σ_{m≥1} k_h(m)·S_{t−m}[h]; feed-forward c_h = d_h, what
 * goes up is U_t[h] = Σ_{m≥0} k_h(m)·S_{t−m}[h]. Backward: ∂S_t gets Σ_{m≥1} k_h(m)·P_{t+m} (P_u = G_u·W_recᵀ),
 * ∂W_rec = Σ_t X_tᵀ·G_t, ∂d_h = Σ_{t,b} S_t·Σ_m ∂k_h(m)·(P or ∂U)_{t+m}, ∂k/∂d = sign(m − c)/s² on the support.
 */
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import { backwardStep, forwardStep } from '../codegen/f64Eval';
import { scalarValues } from '../codegen/layerKernelPlan';
import { neuronDefinition } from '../definitions';
import { batchLoss } from '../model/batchLoss';
import { layerTensors, readoutTensors, type NetworkParams } from '../model/modelState';
import { readoutBackward } from '../model/readout';
import { timeMajorInput } from '../run/batchTypes';

export interface F64Batch {
  loss: number;
  /** Gradients of every parameter, laid out as params.flat. */
  grads: Float64Array;
  /** Per layer: spikes and the probe's membrane record, [T, B, H]. */
  layers: { spikes: Float64Array; mem: Float64Array }[];
}

/** k_h(m) and ∂k_h(m)/∂d_h of delay d with spread σ, centre first + d. */
function kernelAt(d: number, sigma: number, first: number, m: number): { k: number; dk: number } {
  const s = 1 + sigma;
  const x = m - (first + d);
  const v = s - Math.abs(x);
  if (v < 0) return { k: 0, dk: 0 };
  return { k: v / (s * s), dk: Math.sign(x) / (s * s) };
}

/** Σ_{m ≥ first, t−m ≥ 0} k_h(m)·A_{t−m}[b, h] for every (t, b, h) of A [T, B, H]. */
function spread(A: Float64Array, d: Float32Array, sigma: number, first: number, T: number, B: number, H: number): Float64Array {
  const out = new Float64Array(A.length);
  for (let t = 0; t < T; t++) for (let m = first; m <= t; m++) for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const { k } = kernelAt(d[h], sigma, first, m);
    out[(t * B + b) * H + h] += k * A[((t - m) * B + b) * H + h];
  }
  return out;
}

/**
 * The adjoint of `spread`: ∂A_t = Σ_m k_h(m)·∂Out_{t+m} (returned), and ∂d_h += Σ A_t·∂k_h(m)·∂Out_{t+m} into gradD.
 */
function spreadBackward(A: Float64Array, dOut: Float64Array, d: Float32Array, sigma: number, first: number, T: number, B: number, H: number, gradD: Float64Array): Float64Array {
  const dA = new Float64Array(A.length);
  for (let t = 0; t < T; t++) for (let m = first; t + m < T; m++) for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const { k, dk } = kernelAt(d[h], sigma, first, m);
    const g = dOut[((t + m) * B + b) * H + h];
    dA[(t * B + b) * H + h] += k * g;
    gradD[h] += A[(t * B + b) * H + h] * dk * g;
  }
  return dA;
}

/** `sigma`: the delays' kernel spread (a training batch's), for networks with delays. */
export function f64Batch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, sigma = 0): F64Batch {
  const shape = params.shape;
  const T = batch.nbSteps;
  const B = batch.size;
  const K = shape.classes;
  const tm = timeMajorInput(batch, shape.pool);
  const grads = new Float64Array(params.flat.length);
  const gradView = (view: Float32Array) => grads.subarray(view.byteOffset / 4 - params.flat.byteOffset / 4, view.byteOffset / 4 - params.flat.byteOffset / 4 + view.length);

  interface Run {
    J: Float64Array;
    S: Float64Array;
    /** States before each step, by name, [T, B, H]. */
    hist: Record<string, Float64Array>;
    mem: Float64Array;
    /** Recurrent delays: the delayed spikes X_t [T, B, H]. */
    X: Float64Array | null;
    /** What goes up: S, or its spread through feed-forward delays. */
    up: Float64Array;
  }
  const runs: Run[] = [];
  let below: Float64Array | null = null;
  shape.layers.forEach((s, l) => {
    const def = neuronDefinition(s);
    const H = s.size;
    const t0 = layerTensors(params, l);
    const scalar = scalarValues(def, config);
    const J = new Float64Array(T * B * H);
    if (l === 0) {
      for (let q = 0; q < tm.rows.length; q++) for (let h = 0; h < H; h++) J[tm.rows[q] * H + h] += tm.counts[q] * t0.wIn[tm.cols[q] * H + h];
    } else {
      const Hb = shape.layers[l - 1].size;
      for (let r = 0; r < T * B; r++) for (let j = 0; j < Hb; j++) if (below![r * Hb + j] !== 0) for (let h = 0; h < H; h++) J[r * H + h] += below![r * Hb + j] * t0.wIn[j * H + h];
    }
    const S = new Float64Array(T * B * H);
    const mem = new Float64Array(T * B * H);
    const hist = Object.fromEntries(def.states.map((x) => [x.name, new Float64Array(T * B * H)]));
    const state = Object.fromEntries(def.states.map((x) => [x.name, new Float64Array(B * H)]));
    const X = t0.recDelay ? new Float64Array(T * B * H) : null;
    for (let t = 0; t < T; t++) {
      if (X) {
        for (let m = 1; m <= t; m++) for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
          X[(t * B + b) * H + j] += kernelAt(t0.recDelay![j], sigma, 1, m).k * S[((t - m) * B + b) * H + j];
        }
      }
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          const i = (t * B + b) * H + h;
          if (X && t0.wRec) for (let j = 0; j < H; j++) J[i] += X[(t * B + b) * H + j] * t0.wRec[j * H + h];
          else if (t0.wRec && t > 0) for (let j = 0; j < H; j++) J[i] += S[((t - 1) * B + b) * H + j] * t0.wRec[j * H + h];
          const st = Object.fromEntries(def.states.map((x) => [x.name, state[x.name][b * H + h]]));
          for (const x of def.states) hist[x.name][i] = st[x.name];
          const param = Object.fromEntries(def.params.map((p) => [p.name, t0.params[p.name][h]]));
          const r = forwardStep(def, { state: st, param, scalar, J: J[i] });
          S[i] = r.spike;
          mem[i] = r.records[def.probe.mem];
          for (const x of def.states) state[x.name][b * H + h] = r.next[x.name];
        }
      }
    }
    const up = t0.ffDelay ? spread(S, t0.ffDelay, sigma, 0, T, B, H) : S;
    runs.push({ J, S, hist, mem, X, up });
    below = up;
  });

  // Readout and loss: the engine's, on the last layer's spikes.
  const L = shape.layers.length;
  const Hl = shape.layers[L - 1].size;
  const ro = readoutTensors(params);
  const h2 = new Float32Array(T * B * K);
  const top = runs[L - 1].up;
  for (let r = 0; r < T * B; r++) for (let h = 0; h < Hl; h++) if (top[r * Hl + h] !== 0) for (let k = 0; k < K; k++) h2[r * K + k] += top[r * Hl + h] * ro.w[h * K + k];
  const perNeuron = runs.map((run, l) => {
    const H = shape.layers[l].size;
    const c = new Float64Array(H);
    for (let i = 0; i < run.S.length; i++) c[i % H] += run.S[i];
    return c;
  });
  const rs = { steps: T, batch: B, classes: K };
  const { result, readout, cls, reg } = batchLoss(h2, rs, ro, config, batch.labels, perNeuron);
  const rg = readoutBackward(cls.dOut, readout, rs, ro.alpha, ro.beta);
  const gro = readoutTensors(params);
  gradView(gro.alpha).set(rg.dAlpha);
  gradView(gro.beta).set(rg.dBeta);
  const gW = gradView(gro.w);
  for (let r = 0; r < T * B; r++) for (let h = 0; h < Hl; h++) if (top[r * Hl + h] !== 0) for (let k = 0; k < K; k++) gW[h * K + k] += top[r * Hl + h] * rg.dh2[r * K + k];
  // D of a layer from ∂(what it sends up): back through its feed-forward delays, then the regulariser.
  const downTo = (l: number, dUp: Float64Array): Float64Array => {
    const t0 = layerTensors(params, l);
    const H = shape.layers[l].size;
    const dS = t0.ffDelay ? spreadBackward(runs[l].S, dUp, t0.ffDelay, sigma, 0, T, B, H, gradView(t0.ffDelay)) : dUp;
    for (let i = 0; i < dS.length; i++) dS[i] += reg.dSpike[l][i % H];
    return dS;
  };
  const dTop = new Float64Array(T * B * Hl);
  for (let r = 0; r < T * B; r++) for (let h = 0; h < Hl; h++) {
    let x = 0;
    for (let k = 0; k < K; k++) x += rg.dh2[r * K + k] * ro.w[h * K + k];
    dTop[r * Hl + h] = x;
  }
  let D = downTo(L - 1, dTop);

  for (let l = L - 1; l >= 0; l--) {
    const s = shape.layers[l];
    const def = neuronDefinition(s);
    const H = s.size;
    const run = runs[l];
    const t0 = layerTensors(params, l);
    const scalar = scalarValues(def, config);
    const G = new Float64Array(T * B * H);
    const adj = Object.fromEntries(def.states.map((x) => [x.name, new Float64Array(B * H)]));
    const gp = Object.fromEntries(def.params.map((p) => [p.name, gradView(t0.params[p.name])]));
    // Recurrent delays: P_u = G_u·W_recᵀ of every later step, and the delays' gradient.
    const P = run.X ? new Float64Array(T * B * H) : null;
    const gD = t0.recDelay ? gradView(t0.recDelay) : null;
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          const i = (t * B + b) * H + h;
          let dS = D[i];
          if (P) {
            for (let m = 1; t + m < T; m++) {
              const { k, dk } = kernelAt(t0.recDelay![h], sigma, 1, m);
              const pm = P[((t + m) * B + b) * H + h];
              dS += k * pm;
              gD![h] += run.S[i] * dk * pm;
            }
          } else if (t0.wRec && t + 1 < T) for (let j = 0; j < H; j++) dS += G[((t + 1) * B + b) * H + j] * t0.wRec[h * H + j];
          const r = backwardStep(def, {
            state: Object.fromEntries(def.states.map((x) => [x.name, run.hist[x.name][i]])),
            param: Object.fromEntries(def.params.map((p) => [p.name, t0.params[p.name][h]])),
            scalar,
            J: run.J[i],
            adj: { $spike: dS, ...Object.fromEntries(def.states.map((x) => [x.name, adj[x.name][b * H + h]])) },
          });
          G[i] = r.g;
          for (const x of def.states) adj[x.name][b * H + h] = r.state[x.name];
          for (const p of def.params) gp[p.name][h] += r.param[p.name];
        }
      }
      if (P) for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let j = 0; j < H; j++) P[(t * B + b) * H + h] += G[(t * B + b) * H + j] * t0.wRec![h * H + j];
    }
    const gIn = gradView(t0.wIn);
    const inputs = s.inputs;
    if (l === 0) {
      for (let q = 0; q < tm.rows.length; q++) for (let h = 0; h < H; h++) gIn[tm.cols[q] * H + h] += tm.counts[q] * G[tm.rows[q] * H + h];
    } else {
      const Sb = runs[l - 1].up;
      for (let r = 0; r < T * B; r++) for (let j = 0; j < inputs; j++) if (Sb[r * inputs + j] !== 0) for (let h = 0; h < H; h++) gIn[j * H + h] += Sb[r * inputs + j] * G[r * H + h];
      const dUp = new Float64Array(T * B * inputs);
      for (let r = 0; r < T * B; r++) for (let j = 0; j < inputs; j++) {
        let x = 0;
        for (let h = 0; h < H; h++) x += G[r * H + h] * t0.wIn[j * H + h];
        dUp[r * inputs + j] = x;
      }
      D = downTo(l - 1, dUp);
    }
    if (t0.wRec && run.X) {
      const gRec = gradView(t0.wRec);
      for (let r = 0; r < T * B; r++) for (let j = 0; j < H; j++) if (run.X[r * H + j] !== 0) for (let h = 0; h < H; h++) gRec[j * H + h] += run.X[r * H + j] * G[r * H + h];
    } else if (t0.wRec) {
      const gRec = gradView(t0.wRec);
      for (let r = 0; r + B < T * B; r++) for (let j = 0; j < H; j++) if (run.S[r * H + j] !== 0) for (let h = 0; h < H; h++) gRec[j * H + h] += run.S[r * H + j] * G[(r + B) * H + h];
    }
  }
  return { loss: result.loss, grads, layers: runs.map((r) => ({ spikes: r.S, mem: r.mem })) };
}
