/**
 * From the readout's input currents to the batch's loss: readout membrane O, class scores, NLL and the spike
 * regulariser, gathered into a BatchResult. The fused loop and the tfjs-op loop both end their forward pass
 * here, so the two cannot drift apart; what it returns beside the result feeds their backward passes.
 */
import type { TrainConfig } from '../../../shared/config';
import { classLoss, spikeRegulariser, type ClassLoss, type SpikeRegulariser } from './loss';
import type { BatchResult } from '../run/batchTypes';
import { readoutForward, type ReadoutForward, type ReadoutShape } from './readout';

export interface BatchLoss {
  result: BatchResult;
  readout: ReadoutForward;
  cls: ClassLoss;
  reg: SpikeRegulariser;
}

export function batchLoss(
  h2: Float32Array,
  shape: ReadoutShape,
  decay: { alpha: Float32Array; beta: Float32Array },
  config: Pick<TrainConfig, 'readout' | 'readoutSkip' | 'regL1' | 'regL2'>,
  labels: Int32Array,
  perNeuron: Float64Array[],
  /** The NLL's mean is taken over this many samples (the whole batch when a worker computes a share). */
  lossDivisor = shape.batch,
): BatchLoss {
  const readout = readoutForward(h2, shape, decay.alpha, decay.beta);
  const cls = classLoss(readout.out, shape, config.readout, config.readoutSkip, labels, lossDivisor);
  const reg = spikeRegulariser(perNeuron, config.regL1, config.regL2);
  const spikesPerLayer = perNeuron.map((c) => c.reduce((a, b) => a + b, 0));
  const result: BatchResult = {
    loss: cls.nll + reg.loss,
    nll: cls.nll,
    reg: reg.loss,
    scores: cls.scores,
    predictions: cls.predictions,
    correct: cls.correct,
    spikesPerLayer,
  };
  return { result, readout, cls, reg };
}
