/**
 * The training loss of the reference (`scores_and_loss`), from the readout membrane O [T+1, B, K]:
 *
 *     max          m = max_{t=0…T} O_t;   nll = −log softmax(m)_y                      (the seed)
 *     mean         m = mean_{t=0…T} O_t;  nll = −log softmax(m)_y
 *     softmax-sum  p = mean_{t=skip+1…T} softmax(O_t);  nll = −log p_y;  the prediction is argmax p
 *
 * (nll averaged over the batch) plus, over every hidden layer l with H_l neurons and n_h = Σ_{b,t} S[b,t,h],
 *
 *     regL1 · Σ_h n_h + regL2 · (1/H_l) Σ_h n_h²
 *
 * with ∂/∂S[b,t,h] = regL1 + 2·regL2·n_h/H_l. The class loss hands back ∂nll/∂O_t for every t (only the
 * arg-max step for `max`), for readout.ts's backward pass. Computed in float64 over a few thousand numbers.
 */
import type { Readout } from '../../../shared/config';
import type { ReadoutShape } from './readout';

export interface ClassLoss {
  /** Mean negative log-likelihood over the batch (over `divisor` samples). */
  nll: number;
  /** Class scores [B, K]: max/mean of O, or p for softmax-sum. */
  scores: Float32Array;
  /** ∂nll/∂O_t, [T+1, B, K]. */
  dOut: Float32Array;
  /** Arg-max class per sample (first one on ties). */
  predictions: Int32Array;
  correct: number;
}

export function checkLabel(y: number, b: number, classes: number): void {
  if (!(y >= 0 && y < classes)) throw new Error(`label ${y} of batch sample ${b} is outside 0…${classes - 1}`);
}

function argMax(x: Float32Array | Float64Array, row: number, classes: number): number {
  let max = -Infinity;
  let arg = 0;
  for (let k = 0; k < classes; k++) {
    if (x[row + k] > max) {
      max = x[row + k];
      arg = k;
    }
  }
  return arg;
}

/**
 * `divisor` (default the batch size) is the number of samples the mean is over: the whole batch's size when
 * these are a share of it (a batch split over worker threads), so that the shares' values add up.
 */
export function classLoss(out: Float32Array, s: ReadoutShape, readout: Readout, skip: number, labels: Int32Array, divisor = s.batch): ClassLoss {
  const B = s.batch;
  const K = s.classes;
  const n = B * K;
  const T = s.steps;
  const dOut = new Float32Array((T + 1) * n);
  const scores = new Float32Array(n);
  const predictions = new Int32Array(B);
  let nll = 0;
  let correct = 0;
  if (readout === 'softmax-sum') {
    const window = T - skip;
    const p = new Float64Array(n);
    const soft = new Float64Array((T + 1) * n);
    for (let t = skip + 1; t <= T; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * n + b * K;
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, out[row + k]);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(out[row + k] - max);
        for (let k = 0; k < K; k++) {
          soft[row + k] = Math.exp(out[row + k] - max) / sum;
          p[b * K + k] += soft[row + k] / window;
        }
      }
    }
    for (let b = 0; b < B; b++) {
      const y = labels[b];
      checkLabel(y, b, K);
      nll -= Math.log(p[b * K + y]);
      for (let k = 0; k < K; k++) scores[b * K + k] = p[b * K + k];
      predictions[b] = argMax(p, b * K, K);
      if (predictions[b] === y) correct++;
      // ∂(−log p_y)/∂O_t[k] = −P_t[y]·(δ_ky − P_t[k]) / (window·p_y)
      const c = -1 / (window * p[b * K + y] * divisor);
      for (let t = skip + 1; t <= T; t++) {
        const row = t * n + b * K;
        const py = soft[row + y];
        for (let k = 0; k < K; k++) dOut[row + k] = c * py * ((k === y ? 1 : 0) - soft[row + k]);
      }
    }
    return { nll: nll / divisor, scores, dOut, predictions, correct };
  }

  const argStep = new Int32Array(n);
  if (readout === 'mean') {
    const sum = new Float64Array(n);
    for (let t = 0; t <= T; t++) for (let i = 0; i < n; i++) sum[i] += out[t * n + i];
    for (let i = 0; i < n; i++) scores[i] = sum[i] / (T + 1);
  } else {
    scores.set(out.subarray(0, n));
    for (let t = 1; t <= T; t++) {
      const base = t * n;
      for (let i = 0; i < n; i++) {
        // Strictly greater: ties keep the first step, as torch.max(dim) returns the first index.
        // A NaN wins, as in torch.max, so a broken network shows in the loss.
        if (out[base + i] > scores[i] || Number.isNaN(out[base + i])) {
          if (Number.isNaN(scores[i])) continue;
          scores[i] = out[base + i];
          argStep[i] = t;
        }
      }
    }
  }
  for (let b = 0; b < B; b++) {
    const row = b * K;
    const y = labels[b];
    checkLabel(y, b, K);
    const arg = argMax(scores, row, K);
    const max = scores[row + arg];
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(scores[row + k] - max);
    const logSum = max + Math.log(sum);
    nll -= scores[row + y] - logSum;
    for (let k = 0; k < K; k++) {
      const dScore = (Math.exp(scores[row + k] - logSum) - (k === y ? 1 : 0)) / divisor;
      if (readout === 'mean') for (let t = 0; t <= T; t++) dOut[t * n + row + k] = dScore / (T + 1);
      else dOut[argStep[row + k] * n + row + k] = dScore;
    }
    predictions[b] = arg;
    if (arg === y) correct++;
  }
  return { nll: nll / divisor, scores, dOut, predictions, correct };
}

export interface SpikeRegulariser {
  loss: number;
  /** ∂/∂S[b,t,h] per layer, the same for every b and t, [H_l] each. */
  dSpike: Float32Array[];
}

/** The regulariser over every hidden layer, from the spikes per neuron of each (whole batch). */
export function spikeRegulariser(perNeuron: Float64Array[], regL1: number, regL2: number): SpikeRegulariser {
  let loss = 0;
  const dSpike = perNeuron.map((counts) => {
    const H = counts.length;
    let total = 0;
    let sumSq = 0;
    const d = new Float32Array(H);
    for (let h = 0; h < H; h++) {
      total += counts[h];
      sumSq += counts[h] * counts[h];
      d[h] = regL1 + (2 * regL2 * counts[h]) / H;
    }
    loss += regL1 * total + (regL2 * sumSq) / H;
    return d;
  });
  return { loss, dSpike };
}
