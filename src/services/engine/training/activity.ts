/**
 * Sparsity and the efficiency estimate of a network on a dataset (shared/events.ts ActivityReport has the
 * definitions), from the spike counts every batch already reports: nothing is recomputed.
 *
 *   SynOps per sample = input spikes · H_0 + Σ_l spikes_l · fanOut_l,   fanOut_l = H_{l+1} (K for the last) + H_l·[recurrent]
 *   dense MACs per sample = T · (in_0·H_0 + Σ_{l≥1} H_{l−1}·H_l + Σ_l H_l²·[recurrent] + H_L·K)
 *   energy = SynOps · 0.9 pJ  against  MACs · 4.6 pJ   (45 nm, Horowitz 2014; memory and data movement ignored)
 */
import type { ActivityReport, SpeakerResult } from '../../../shared/events';
import type { NetworkShape } from '../model/modelState';

export const E_AC_PJ = 0.9;
export const E_MAC_PJ = 4.6;

/** Spike totals of one dataset pass: input spikes and each hidden layer's, over `samples` samples. */
export interface SpikeTotals {
  samples: number;
  input: number;
  layers: number[];
}

export function fanOuts(shape: NetworkShape): number[] {
  return shape.layers.map((l, i) => (i + 1 < shape.layers.length ? shape.layers[i + 1].size : shape.classes) + (l.recurrent ? l.size : 0));
}

export function denseMacsPerStep(shape: NetworkShape): number {
  let macs = 0;
  shape.layers.forEach((l) => {
    macs += l.inputs * l.size + (l.recurrent ? l.size * l.size : 0);
  });
  return macs + shape.layers[shape.layers.length - 1].size * shape.classes;
}

export function activityReport(shape: NetworkShape, totals: SpikeTotals, steps: number, dtS: number): ActivityReport {
  const n = Math.max(1, totals.samples);
  const fan = fanOuts(shape);
  const inputSpikes = totals.input / n;
  const layers = shape.layers.map((l, i) => {
    const spikes = totals.layers[i] / n;
    return { layer: i, neurons: l.size, spikesPerSample: spikes, rateHz: spikes / (l.size * steps * dtS), fanOut: fan[i], synOpsPerSample: spikes * fan[i] };
  });
  const synOps = inputSpikes * shape.layers[0].size + layers.reduce((a, l) => a + l.synOpsPerSample, 0);
  const macs = steps * denseMacsPerStep(shape);
  return {
    samples: totals.samples,
    steps,
    dtS,
    inputSpikesPerSample: inputSpikes,
    layers,
    synOpsPerSample: synOps,
    denseMacsPerSample: macs,
    energyPerSample: { synOpsPj: synOps * E_AC_PJ, denseMacsPj: macs * E_MAC_PJ, eAcPj: E_AC_PJ, eMacPj: E_MAC_PJ },
  };
}

/** Accuracy per speaker, speakers in ascending order; `trainSpeakers` marks the ones training saw. */
export function speakerResults(speakers: Int32Array, labels: Int32Array, predictions: Int32Array, trainSpeakers?: Int32Array): SpeakerResult[] {
  const seen = trainSpeakers ? new Set(trainSpeakers) : null;
  const by = new Map<number, { samples: number; correct: number }>();
  for (let i = 0; i < speakers.length; i++) {
    const s = by.get(speakers[i]) ?? { samples: 0, correct: 0 };
    s.samples++;
    if (predictions[i] === labels[i]) s.correct++;
    by.set(speakers[i], s);
  }
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([speaker, s]) => ({ speaker, samples: s.samples, correct: s.correct, accuracy: s.correct / s.samples, inTraining: seen ? seen.has(speaker) : null }));
}
