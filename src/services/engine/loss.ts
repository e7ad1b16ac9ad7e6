/**
 * The training loss of the reference (`loss_fn`):
 *
 *     L = NLL(log_softmax(score), y)                         mean over the batch
 *       + regL1 · Σ_{b,t,h} S[b,t,h]                          total spike count
 *       + regL2 · mean_h ( Σ_{b,t} S[b,t,h] )²                spikes per neuron, squared, averaged over neurons
 *
 * and its gradients: ∂L/∂score = (softmax(score) − onehot(y)) / B and
 * ∂L/∂S[b,t,h] = regL1 + 2·regL2·n_h / H with n_h = Σ_{b,t} S[b,t,h].
 * Computed in float64 over a few thousand numbers.
 */

export interface ClassLoss {
  /** Mean negative log-likelihood over the batch. */
  nll: number;
  /** ∂nll/∂score, [B, K]. */
  dScores: Float32Array;
  /** Arg-max class per sample (first one on ties). */
  predictions: Int32Array;
  correct: number;
}

/**
 * `divisor` (default `batch`) is the number of samples the mean is over: the whole batch's size when these
 * scores are a share of it (a batch split over worker threads), so that the shares' values add up.
 */
export function classLoss(scores: Float32Array, labels: Int32Array, batch: number, classes: number, divisor = batch): ClassLoss {
  const dScores = new Float32Array(batch * classes);
  const predictions = new Int32Array(batch);
  let nll = 0;
  let correct = 0;
  for (let b = 0; b < batch; b++) {
    const row = b * classes;
    const y = labels[b];
    if (!(y >= 0 && y < classes)) throw new Error(`label ${y} of batch sample ${b} is outside 0…${classes - 1}`);
    let max = -Infinity;
    let arg = 0;
    for (let k = 0; k < classes; k++) {
      if (scores[row + k] > max) {
        max = scores[row + k];
        arg = k;
      }
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(scores[row + k] - max);
    const logSum = max + Math.log(sum);
    nll -= scores[row + y] - logSum;
    for (let k = 0; k < classes; k++) dScores[row + k] = (Math.exp(scores[row + k] - logSum) - (k === y ? 1 : 0)) / divisor;
    predictions[b] = arg;
    if (arg === y) correct++;
  }
  return { nll: nll / divisor, dScores, predictions, correct };
}

export interface SpikeRegulariser {
  loss: number;
  /** ∂/∂S[b,t,h], the same for every b and t, [H]. */
  dSpike: Float32Array;
}

export function spikeRegulariser(perNeuron: Float64Array, regL1: number, regL2: number): SpikeRegulariser {
  const hidden = perNeuron.length;
  let total = 0;
  let sumSq = 0;
  for (let h = 0; h < hidden; h++) {
    total += perNeuron[h];
    sumSq += perNeuron[h] * perNeuron[h];
  }
  const dSpike = new Float32Array(hidden);
  for (let h = 0; h < hidden; h++) dSpike[h] = regL1 + (2 * regL2 * perNeuron[h]) / hidden;
  return { loss: regL1 * total + (regL2 * sumSq) / hidden, dSpike };
}
