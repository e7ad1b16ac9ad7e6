/**
 * The readout, the class loss and the spike regulariser's gradient on the GPU, so that a training batch needs a
 * single read-back (the gradients, the per-sample losses and scores, the spike counts). Same equations as
 * readout.ts and loss.ts (written out there); those run in float64 on the CPU, these in float32, which moves the
 * loss and the readout's gradients by float32 rounding (~1e-7 relative per step), well inside the golden
 * tolerance.
 *
 *   readoutForward   thread (b, k): F_{t+1} = α_k·F_t + h2_t, O_{t+1} = β_k·O_t + F_t; keeps O and F [T+1, B, K]
 *   classLoss        thread b: scores, −log p_y, the prediction, and ∂nll/∂O_t for every t (training)
 *   readoutBackward  thread (b, k): ∂h2 and the per-sample sums of ∂α_k, ∂β_k (batchSum adds them up)
 *   spikeRegGrad     thread h: n_h = Σ_b counts[b, h]; ∂/∂S = regL1 + 2·regL2·n_h/H
 */
import type { Readout } from '../../../shared/config';
import { bindingDecls, ro, rw, type Kernel, type KernelBinding } from './kernel';
import { constants, elementwiseMain, gridFor, type Grid } from './wgslText';

export interface ReadoutDims {
  T: number;
  B: number;
  K: number;
  /** Offsets of the readout's decays in the parameter vector. */
  alpha: number;
  beta: number;
  maxGroups: number;
}

/** WGSL up to a (b, k) thread's decays: `id` = b·K + k, `al`, `be` = α_k, β_k. */
function readoutHead(d: ReadoutDims, bindings: KernelBinding[], grid: Grid): string {
  return `${constants({ T: d.T, N: d.B * d.K, K: d.K, ALPHA: d.alpha, BETA: d.beta })}
${bindingDecls(bindings)}
${elementwiseMain(grid)}
  if (id >= N) { return; }
  let k = id % K;
  let al = p[ALPHA + k];
  let be = p[BETA + k];`;
}

export function readoutForward(d: ReadoutDims): Kernel {
  const bindings = [ro('p'), ro('h2'), rw('out'), rw('flt')];
  const grid = gridFor(d.B * d.K, d.maxGroups);
  return {
    label: 'readout forward',
    bindings,
    grid,
    code: `${readoutHead(d, bindings, grid)}
  var o = 0.0;
  var f = 0.0;
  out[id] = 0.0;
  flt[id] = 0.0;
  for (var t = 0u; t < T; t++) {
    // Both read the old F_t, as the reference's tuple assignment does.
    let oNext = be * o + f;
    f = al * f + h2[t * N + id];
    o = oNext;
    out[(t + 1u) * N + id] = o;
    flt[(t + 1u) * N + id] = f;
  }
}`,
  };
}

/**
 * Per sample b: `loss` [B, K + 2] gets the K scores, −log p_y (not yet divided by the batch) and the prediction
 * (first arg-max); with `gradients`, dOut [T+1, B, K] gets ∂nll/∂O_t with the mean over `divisor` samples.
 */
export function classLoss(d: { T: number; B: number; K: number; readout: Readout; skip: number; divisor: number; gradients: boolean; maxGroups: number }): Kernel {
  const bindings = [ro('out'), ro('labels'), rw('loss'), rw('dOut')];
  const grid = gridFor(d.B, d.maxGroups);
  const window = d.T - d.skip;
  const head = `${constants({ T: d.T, B: d.B, K: d.K, N: d.B * d.K, SKIP: d.skip, GRADS: d.gradients, WINDOW: window, DIVISOR: d.divisor, MEAN_DIV: d.T + 1 }, ['WINDOW', 'DIVISOR', 'MEAN_DIV'])}
${bindingDecls(bindings, { labels: 'u32' })}
${elementwiseMain(grid)}
  if (id >= B) { return; }
  let b = id;
  let y = labels[b];
  let row = b * K;
  var s: array<f32, ${d.K}>;`;
  const finish = `
  // log-softmax of the scores; the prediction is the first arg-max.
  var m = s[0];
  var arg = 0u;
  for (var k = 1u; k < K; k++) { if (s[k] > m) { m = s[k]; arg = k; } }
  var sum = 0.0;
  for (var k = 0u; k < K; k++) { sum = sum + exp(s[k] - m); }
  let logSum = m + log(sum);
  for (var k = 0u; k < K; k++) { loss[b * (K + 2u) + k] = s[k]; }
  loss[b * (K + 2u) + K] = logSum - s[y];
  loss[b * (K + 2u) + K + 1u] = f32(arg);`;
  if (d.readout === 'softmax-sum') {
    return {
      label: 'class loss',
      bindings,
      grid,
      code: `${head}
  // p = mean over t = skip+1 … T of softmax(O_t).
  for (var t = SKIP + 1u; t <= T; t++) {
    let at = t * N + row;
    var m = out[at];
    for (var k = 1u; k < K; k++) { m = max(m, out[at + k]); }
    var sum = 0.0;
    for (var k = 0u; k < K; k++) { sum = sum + exp(out[at + k] - m); }
    for (var k = 0u; k < K; k++) { s[k] = s[k] + exp(out[at + k] - m) / sum / WINDOW; }
  }
  var arg = 0u;
  var best = s[0];
  for (var k = 1u; k < K; k++) { if (s[k] > best) { best = s[k]; arg = k; } }
  for (var k = 0u; k < K; k++) { loss[b * (K + 2u) + k] = s[k]; }
  loss[b * (K + 2u) + K] = -log(s[y]);
  loss[b * (K + 2u) + K + 1u] = f32(arg);
  if (GRADS) {
    // ∂(−log p_y)/∂O_t[k] = −P_t[y]·(δ_ky − P_t[k]) / (window·p_y·divisor); 0 for t ≤ skip.
    let c = -1.0 / (WINDOW * s[y] * DIVISOR);
    for (var t = 0u; t <= T; t++) {
      let at = t * N + row;
      if (t <= SKIP) {
        for (var k = 0u; k < K; k++) { dOut[at + k] = 0.0; }
        continue;
      }
      var m = out[at];
      for (var k = 1u; k < K; k++) { m = max(m, out[at + k]); }
      var sum = 0.0;
      for (var k = 0u; k < K; k++) { sum = sum + exp(out[at + k] - m); }
      let py = exp(out[at + y] - m) / sum;
      for (var k = 0u; k < K; k++) {
        let pk = exp(out[at + k] - m) / sum;
        dOut[at + k] = c * py * (select(0.0, 1.0, k == y) - pk);
      }
    }
  }
}`,
    };
  }
  const scores =
    d.readout === 'mean'
      ? `
  for (var t = 0u; t <= T; t++) { for (var k = 0u; k < K; k++) { s[k] = s[k] + out[t * N + row + k]; } }
  for (var k = 0u; k < K; k++) { s[k] = s[k] / MEAN_DIV; }`
      : `
  // max over t = 0 … T; ties keep the first step, as torch.max does.
  var step: array<u32, ${d.K}>;
  for (var k = 0u; k < K; k++) { s[k] = out[row + k]; }
  for (var t = 1u; t <= T; t++) {
    for (var k = 0u; k < K; k++) { let v = out[t * N + row + k]; if (v > s[k]) { s[k] = v; step[k] = t; } }
  }`;
  const grads =
    d.readout === 'mean'
      ? `for (var t = 0u; t <= T; t++) { dOut[t * N + row + k] = dScore / MEAN_DIV; }`
      : `for (var t = 0u; t <= T; t++) { dOut[t * N + row + k] = select(0.0, dScore, t == step[k]); }`;
  return {
    label: 'class loss',
    bindings,
    grid,
    code: `${head}${scores}${finish}
  if (GRADS) {
    for (var k = 0u; k < K; k++) {
      let dScore = (exp(s[k] - logSum) - select(0.0, 1.0, k == y)) / DIVISOR;
      ${grads}
    }
  }
}`,
  };
}

/** dh2 [T, B, K] from dOut, and acc [2, B, K]: the per-sample sums of ∂α_k (first) and ∂β_k. */
export function readoutBackward(d: ReadoutDims): Kernel {
  const bindings = [ro('p'), ro('out'), ro('flt'), ro('dOut'), rw('dh2'), rw('acc')];
  const grid = gridFor(d.B * d.K, d.maxGroups);
  return {
    label: 'readout backward',
    bindings,
    grid,
    code: `${readoutHead(d, bindings, grid)}
  var gOut = 0.0;
  var gFlt = 0.0;
  var dA = 0.0;
  var dB = 0.0;
  for (var t = T; t >= 1u; t--) {
    let prev = (t - 1u) * N + id;
    gOut = dOut[t * N + id] + be * gOut;
    dB = dB + out[prev] * gOut;
    dA = dA + flt[prev] * gFlt;
    dh2[prev] = gFlt;
    gFlt = gOut + al * gFlt;
  }
  acc[id] = dA;
  acc[N + id] = dB;
}`,
  };
}

/** reg[regOff + h] = regL1 + 2·regL2·(Σ_b counts[b, h])/H for one layer. */
export function spikeRegGrad(d: { B: number; H: number; regL1: number; regL2: number; regOff: number; maxGroups: number; label: string }): Kernel {
  const bindings = [ro('counts'), rw('reg')];
  const grid = gridFor(d.H, d.maxGroups);
  return {
    label: d.label,
    bindings,
    grid,
    code: `${constants({ B: d.B, H: d.H, OFF: d.regOff, L1: d.regL1, L2_2_OVER_H: (2 * d.regL2) / d.H }, ['L1', 'L2_2_OVER_H'])}
${bindingDecls(bindings)}
${elementwiseMain(grid)}
  if (id >= H) { return; }
  var n = 0.0;
  for (var b = 0u; b < B; b++) { n = n + counts[b * H + id]; }
  reg[OFF + id] = L1 + L2_2_OVER_H * n;
}`,
  };
}
