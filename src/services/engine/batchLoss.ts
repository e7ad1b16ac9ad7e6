/**
 * From the readout's input currents to the batch's loss: readout membrane O, class scores, NLL and the spike
 * regulariser, gathered into a BatchResult. The fused loop and the tfjs-op loop both end their forward pass
 * here, so the two cannot drift apart; what it returns beside the result (scores, loss parts) feeds their
 * backward passes.
 */
import type { TrainConfig } from '../../shared/config';
import { classLoss, spikeRegulariser, type ClassLoss, type SpikeRegulariser } from './loss';
import type { BatchResult } from './network';
import { readoutForward, readoutScores, type ReadoutShape, type Scores } from './readout';

export interface BatchLoss {
  result: BatchResult;
  /** Readout membrane [T+1, B, K]. */
  out: Float32Array;
  scores: Scores;
  cls: ClassLoss;
  reg: SpikeRegulariser;
}

export function batchLoss(
  h2: Float32Array,
  shape: ReadoutShape,
  decay: { alpha: number; beta: number },
  config: Pick<TrainConfig, 'readout' | 'regL1' | 'regL2'>,
  labels: Int32Array,
  perNeuron: Float64Array,
  hiddenSpikes: number,
  /** The NLL's mean is taken over this many samples (the whole batch when a worker computes a share). */
  lossDivisor = shape.batch,
): BatchLoss {
  const out = readoutForward(h2, shape, decay.alpha, decay.beta);
  const scores = readoutScores(out, shape, config.readout);
  const cls = classLoss(scores.scores, labels, shape.batch, shape.classes, lossDivisor);
  const reg = spikeRegulariser(perNeuron, config.regL1, config.regL2);
  const result: BatchResult = {
    loss: cls.nll + reg.loss,
    nll: cls.nll,
    reg: reg.loss,
    scores: scores.scores,
    predictions: cls.predictions,
    correct: cls.correct,
    hiddenSpikes,
  };
  return { result, out, scores, cls, reg };
}
