/**
 * The check at initialisation, on the first training batch of epoch 1 (fixed by the seed), before any step:
 *
 * 1. Init calibration, layer by layer from the input side (LSUV-like, Mishkin & Matas 2016, with a firing rate
 *    for the variance): a layer that is silent (mean rate below CALIBRATION_SILENT_RATE spikes per neuron per
 *    step, or at least CALIBRATION_DEAD_FRACTION of its neurons never firing on the batch) or saturated (above
 *    SATURATED_RATE) has its input weights W_in multiplied by one factor, found by doubling or halving and then
 *    bisection in log scale, that brings its rate into [TARGET_RATE / 2, 2·TARGET_RATE]. Why: W ~ N(0, (ws/√fan_in)²)
 *    scales each layer's drive to its fan-in, not to how often its inputs spike, so every sparse layer feeds
 *    the next a weaker drive; on demo the seed's rates are 15, 2.5, 0.03 and 0 Hz in layers 1 to 4, and four
 *    layers train at chance. A layer that fires within the bounds is left exactly as drawn, so the seed model
 *    and every network that already fires at init (the golden and pinned tests') start from the same weights
 *    as before. The run is deterministic (seed, data); its calibrated weights are the ones epoch 1 trains and
 *    every saved epoch descends from, so resume and evaluate reproduce it.
 * 2. The regularisers' balance (trainingHealth.ts): the spike regularisers' gradient against the class loss's
 *    on each layer's weights; where it dominates, the run says so at once.
 */
import type { TrainConfig } from '../../../shared/config';
import type { HealthWarning } from '../../../shared/events';
import type { BinnedBatch } from '../../data/binning';
import { layerTensors, type NetworkParams } from '../model/modelState';
import { runBatch, type LoopKind } from '../run/network';
import { entriesNorm, healthMessages, layerWeightEntries, rateHz, regulariserFindings, SATURATED_RATE } from './trainingHealth';

/** Below this rate (spikes per neuron per step) a layer is calibrated at init (1 Hz at dt = 1 ms). */
export const CALIBRATION_SILENT_RATE = 1e-3;
/** A layer with this share of neurons that never fire on the batch is calibrated too. */
export const CALIBRATION_DEAD_FRACTION = 0.9;
/** The rate calibration aims at (the seed's first layer fires 0.015 spikes per neuron per step on demo). */
export const TARGET_RATE = 0.02;
const MAX_DOUBLINGS = 16;
const BISECTIONS = 10;

interface LayerRate {
  /** Spikes per neuron per step. */
  rate: number;
  /** Share of the layer's neurons without a spike on the batch. */
  dead: number;
}

function layerRates(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, loop?: LoopKind): LayerRate[] {
  const r = runBatch(params, config, batch, { gradients: false, records: true, ...(loop && { loop }) });
  return params.shape.layers.map((s, l) => {
    const spikes = r.records!.layers[l].spikes;
    const fired = new Uint8Array(s.size);
    let total = 0;
    for (let i = 0; i < spikes.length; i++) {
      if (spikes[i] !== 0) fired[i % s.size] = 1;
      total += spikes[i];
    }
    return { rate: total / spikes.length, dead: 1 - fired.reduce((a, b) => a + b, 0) / s.size };
  });
}

/** A factor as people write it: 2048, 8.00, 0.250. */
const factorText = (f: number) => (f >= 100 ? String(Math.round(f)) : f.toPrecision(3));

const needsCalibration = (x: LayerRate) =>
  x.rate < CALIBRATION_SILENT_RATE || (x.dead >= CALIBRATION_DEAD_FRACTION && x.rate < TARGET_RATE) || x.rate > SATURATED_RATE;
const inTarget = (rate: number) => rate >= TARGET_RATE / 2 && rate <= 2 * TARGET_RATE;

/**
 * Scales W_in of layer l (in place) until its rate is within the target; returns the factor and the rate
 * reached. Rates rise with the factor (more drive, more spikes), so doubling/halving brackets the target and
 * bisection in log scale narrows it.
 */
function scaleLayer(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, l: number, loop?: LoopKind): { factor: number; rate: number } {
  const wIn = layerTensors(params, l).wIn;
  const drawn = wIn.slice();
  let applied = 1;
  const rateAt = (factor: number) => {
    for (let i = 0; i < wIn.length; i++) wIn[i] = drawn[i] * factor;
    applied = factor;
    return layerRates(params, config, batch, loop)[l].rate;
  };
  const start = layerRates(params, config, batch, loop)[l].rate;
  const up = start < TARGET_RATE;
  let lo = 1;
  let hi = 1;
  let rate = start;
  for (let i = 0; i < MAX_DOUBLINGS && !inTarget(rate) && (up ? rate < TARGET_RATE : rate > TARGET_RATE); i++) {
    if (up) [lo, hi] = [hi, hi * 2];
    else [hi, lo] = [lo, lo / 2];
    rate = rateAt(up ? hi : lo);
  }
  for (let i = 0; i < BISECTIONS && !inTarget(rate); i++) {
    const mid = Math.sqrt(lo * hi);
    rate = rateAt(mid);
    if (rate < TARGET_RATE) lo = mid;
    else hi = mid;
  }
  return { factor: applied, rate };
}

export interface InitCheckOptions {
  loop?: LoopKind;
}

/**
 * Runs both checks on `batch` (the first training batch of epoch 1), calibrating `params` in place; returns
 * what it did (`calibrated`), what it could not fix (`silent`, `saturated`) and the regularisers' dominance.
 */
export function checkInitialisation(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: InitCheckOptions = {}): HealthWarning[] {
  const found: HealthWarning[] = [];
  if (batch.flat.length === 0) return found; // no input spike: nothing to measure against
  const samples = `the first ${batch.size} training samples`;
  let rates = layerRates(params, config, batch, opts.loop);
  for (let l = 0; l < rates.length; l++) {
    const before = rates[l];
    if (!needsCalibration(before)) continue;
    const state = before.rate > SATURATED_RATE ? 'saturated' : 'silent';
    const drawn = layerTensors(params, l).wIn.slice();
    const { factor, rate } = scaleLayer(params, config, batch, l, opts.loop);
    const hz = (r: number) => rateHz(r, config.dtS).toFixed(2);
    if (inTarget(rate)) {
      found.push({
        kind: 'calibrated',
        layer: l + 1,
        epoch: 0,
        message:
          `layer ${l + 1} was ${state} at initialisation (${hz(before.rate)} spikes/neuron/s, ${(100 * before.dead).toFixed(0)} % of neurons never firing on ${samples}); ` +
          `its input weights were scaled by ${factorText(factor)} to ${hz(rate)} spikes/neuron/s (init calibration)`,
      });
    } else {
      // Out of reach (e.g. a threshold no drive crosses): the weights stay as drawn and the run says so.
      layerTensors(params, l).wIn.set(drawn);
      found.push(
        state === 'silent'
          ? { kind: 'silent', layer: l + 1, epoch: 0, message: healthMessages.silent(l + 1, rateHz(before.rate, config.dtS), `at initialisation, and scaling its input weights up to ${factorText(factor)}× did not wake it`) }
          : { kind: 'saturated', layer: l + 1, epoch: 0, message: healthMessages.saturated(l + 1, before.rate, rateHz(before.rate, config.dtS), 0) },
      );
    }
    rates = layerRates(params, config, batch, opts.loop);
  }
  if (config.regL1 > 0 || config.regL2 > 0) {
    const withReg = runBatch(params, config, batch, { gradients: true, ...(opts.loop && { loop: opts.loop }) }).grads!;
    const classOnly = runBatch(params, { ...config, regL1: 0, regL2: 0 }, batch, { gradients: true, ...(opts.loop && { loop: opts.loop }) }).grads!;
    const reg = withReg.map((g, i) => g - classOnly[i]);
    const weights = layerWeightEntries(params.layout, params.shape.layers.length);
    found.push(...regulariserFindings(weights.map((w) => entriesNorm(classOnly, w)), weights.map((w) => entriesNorm(reg, w))));
  }
  return found;
}
