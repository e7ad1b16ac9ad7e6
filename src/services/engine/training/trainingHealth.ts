/**
 * Training health: the signs that a run cannot learn, found from numbers every batch already reports (each
 * hidden layer's spike count, the gradient), so it costs a few passes over the gradient per batch and nothing
 * more. Each finding names its layer (1-based, as the CLI and the form number them) and the likely fix, and is
 * reported once per run for its kind and layer (HealthMonitor), so a log is not flooded epoch after epoch.
 *
 * The criteria (rates per neuron per time step, so they hold for any dt):
 * - silent: a layer with no spike in a whole training batch (reported at that batch), or a mean rate below
 *   SILENT_RATE over an epoch. A silent layer passes no class gradient, and with the `max` readout a silent
 *   network has its maximum at t = 0, where the gradient is zero: it never recovers by itself.
 * - saturated: a mean rate above SATURATED_RATE (a spike on more than every other step): the surrogate is far
 *   from its peak and the layer carries no timing.
 * - vanishing: over an epoch, ‖∇W‖ / ‖W‖ of a layer's weight matrices (w_in, w_rec) below VANISHING_RATIO.
 * - exploding: the same ratio above EXPLODING_RATIO.
 * - regulariser (the check at initialisation, initCalibration.ts): the spike regularisers' gradient on a layer's
 *   weights more than REGULARISER_DOMINANCE times the class loss's. Adam steps every weight by about the
 *   learning rate in the sign of its gradient, so the regularisers then push every weight down at once, and the
 *   layer falls silent within a few batches (the seed's 2e-6 is the reference's, for one layer: measured on
 *   demo, the class gradient reaching layer 1 of two is 1/16 of the regularisers').
 */
import type { HealthKind, HealthWarning } from '../../../shared/events';
import type { NetworkParams, NetworkShape, ParamEntry } from '../model/modelState';

/** Spikes per neuron per step below which a layer counts as silent (0.1 Hz at dt = 1 ms). */
export const SILENT_RATE = 1e-4;
/** Spikes per neuron per step above which a layer counts as saturated. */
export const SATURATED_RATE = 0.5;
/** ‖∇W‖ / ‖W‖ below this over an epoch: the layer's gradients vanish. */
export const VANISHING_RATIO = 1e-6;
/** ‖∇W‖ / ‖W‖ above this over an epoch: the layer's gradients explode. */
export const EXPLODING_RATIO = 100;
/** The regularisers' gradient this many times the class loss's, at initialisation: the layer will be silenced. */
export const REGULARISER_DOMINANCE = 3;

const fmt = (x: number, digits = 2) => (x !== 0 && Math.abs(x) < 10 ** -digits ? x.toExponential(1) : x.toFixed(digits));

/** The message of each finding: what was measured and the likely fix. `layer` is 1-based. */
export const healthMessages = {
  silent: (layer: number, hz: number, where: string) =>
    `layer ${layer} is silent: ${fmt(hz)} spikes/neuron/s ${where}; a layer without spikes passes no gradient, so the network cannot learn — ` +
    'raise the weight scale (--weight-scale), lower the threshold, or lower the spike regularisers (--reg)',
  saturated: (layer: number, perStep: number, hz: number, epoch: number) =>
    `layer ${layer} is saturated: it fires on ${(100 * perStep).toFixed(0)} % of time steps (${fmt(hz, 1)} spikes/neuron/s) over epoch ${epoch}; ` +
    'lower the weight scale (--weight-scale) or raise the threshold',
  vanishing: (layer: number, ratio: number, epoch: number) =>
    `layer ${layer}'s gradients vanish: |grad W| / |W| = ${ratio.toExponential(1)} over epoch ${epoch}; the layers above it pass almost no gradient — ` +
    'look for a silent layer, raise the weight scale (--weight-scale) or widen the surrogate (lower --surrogate-scale)',
  exploding: (layer: number, ratio: number, epoch: number) =>
    `layer ${layer}'s gradients explode: |grad W| / |W| = ${fmt(ratio, 1)} over epoch ${epoch}; lower the learning rate (--lr) or clip the gradients (--clip-grad 1)`,
  regulariser: (layer: number, ratio: number) =>
    `layer ${layer}: at initialisation the spike regularisers' gradient on its weights is ${fmt(ratio, 1)}× the class loss's; ` +
    "Adam's first steps will silence the layer and a silent network learns nothing — lower the regularisers (--reg 0, or --reg 2e-7; the seed's 2e-6 suits one layer)",
} as const;

/** The hidden layers' weight matrices (w_in, and w_rec where recurrent) in the flat vector, per layer. */
export function layerWeightEntries(layout: readonly ParamEntry[], layers: number): ParamEntry[][] {
  return Array.from({ length: layers }, (_, l) => layout.filter((e) => e.name === `layer${l}/w_in` || e.name === `layer${l}/w_rec`));
}

/** √Σx² over the entries. */
export function entriesNorm(flat: Float32Array, entries: readonly ParamEntry[]): number {
  let s = 0;
  for (const e of entries) for (let i = e.offset; i < e.offset + e.length; i++) s += flat[i] * flat[i];
  return Math.sqrt(s);
}

/** Rate (spikes per neuron per step) → spikes per neuron per second. */
export const rateHz = (perStep: number, dtS: number): number => perStep / dtS;

/** Silent or saturated findings from each layer's mean rate over an epoch (spikes per neuron per step). */
export function activityFindings(ratesPerStep: readonly number[], epoch: number, dtS: number): HealthWarning[] {
  const out: HealthWarning[] = [];
  ratesPerStep.forEach((r, l) => {
    if (r < SILENT_RATE) out.push({ kind: 'silent', layer: l + 1, epoch, message: healthMessages.silent(l + 1, rateHz(r, dtS), `over epoch ${epoch}`) });
    else if (r > SATURATED_RATE) out.push({ kind: 'saturated', layer: l + 1, epoch, message: healthMessages.saturated(l + 1, r, rateHz(r, dtS), epoch) });
  });
  return out;
}

/** Vanishing or exploding findings from each layer's mean ‖∇W‖ / ‖W‖ over an epoch. */
export function gradientFindings(ratios: readonly number[], epoch: number): HealthWarning[] {
  const out: HealthWarning[] = [];
  ratios.forEach((r, l) => {
    if (!Number.isFinite(r)) return;
    if (r < VANISHING_RATIO) out.push({ kind: 'vanishing', layer: l + 1, epoch, message: healthMessages.vanishing(l + 1, r, epoch) });
    else if (r > EXPLODING_RATIO) out.push({ kind: 'exploding', layer: l + 1, epoch, message: healthMessages.exploding(l + 1, r, epoch) });
  });
  return out;
}

/** Layers whose regularisers' gradient outweighs the class loss's (norms on each layer's weights). */
export function regulariserFindings(classNorms: readonly number[], regNorms: readonly number[]): HealthWarning[] {
  const out: HealthWarning[] = [];
  classNorms.forEach((c, l) => {
    const ratio = c > 0 ? regNorms[l] / c : regNorms[l] > 0 ? Infinity : 0;
    if (ratio > REGULARISER_DOMINANCE) out.push({ kind: 'regulariser', layer: l + 1, epoch: 0, message: healthMessages.regulariser(l + 1, ratio) });
  });
  return out;
}

/**
 * Why a batch diverged, naming the first hidden layer (or the readout) whose gradient is not finite, and the
 * likely fix; null when the loss and every gradient are finite.
 */
export function divergenceCause(loss: number, grads: Float32Array, layout: readonly ParamEntry[]): string | null {
  const fix = 'lower the learning rate (--lr) or clip the gradients (--clip-grad 1)';
  let bad: string | null = null;
  for (const e of layout) {
    for (let i = e.offset; i < e.offset + e.length; i++) {
      if (!Number.isFinite(grads[i])) {
        bad = e.name;
        break;
      }
    }
    if (bad) break;
  }
  if (Number.isFinite(loss) && !bad) return null;
  const where = bad ? (bad.startsWith('readout/') ? `the readout's ${bad.slice(8)}` : `layer ${Number(bad.slice(5, bad.indexOf('/'))) + 1}'s ${bad.slice(bad.indexOf('/') + 1)}`) : null;
  const what = !Number.isFinite(loss) ? `loss is ${loss}${where ? `; the first gradient that is not finite is ${where}'s` : ''}` : `the gradient of ${where} is not finite`;
  return `${what}; ${fix}`;
}

/**
 * Gathers each epoch's rates and gradient ratios from the training batches and turns them into findings,
 * each kind and layer once per run.
 */
export class HealthMonitor {
  private readonly weights: ParamEntry[][];
  private readonly reported = new Set<string>();
  private spikes: number[];
  private neuronSteps = 0;
  private ratioSums: number[];
  private batches = 0;

  constructor(
    private readonly shape: NetworkShape,
    layout: readonly ParamEntry[],
    private readonly steps: { nbSteps: number; dtS: number },
  ) {
    this.weights = layerWeightEntries(layout, shape.layers.length);
    this.spikes = shape.layers.map(() => 0);
    this.ratioSums = shape.layers.map(() => 0);
  }

  /** Marks findings already reported (the check at initialisation's), so they are not repeated. */
  seen(findings: readonly HealthWarning[]): void {
    for (const f of findings) this.reported.add(key(f.kind, f.layer));
  }

  /**
   * One training batch of `samples` samples, its spikes per layer and its gradient (before clipping);
   * returns the layers that fell silent in it (no spike in the whole batch), reported at once.
   */
  batch(params: NetworkParams, spikesPerLayer: readonly number[], samples: number, grads: Float32Array, epoch: number, batch: number): HealthWarning[] {
    this.batches++;
    this.neuronSteps += samples * this.steps.nbSteps;
    const now: HealthWarning[] = [];
    spikesPerLayer.forEach((s, l) => {
      this.spikes[l] += s;
      const w = entriesNorm(params.flat, this.weights[l]);
      this.ratioSums[l] += w > 0 ? entriesNorm(grads, this.weights[l]) / w : 0;
      if (s === 0) now.push({ kind: 'silent', layer: l + 1, epoch, message: healthMessages.silent(l + 1, 0, `in batch ${batch} of epoch ${epoch} (not one spike in ${samples} samples)`) });
    });
    return this.fresh(now);
  }

  /** The epoch's findings not reported before; resets the sums for the next epoch. */
  endEpoch(epoch: number): HealthWarning[] {
    if (this.batches === 0) return [];
    const rates = this.spikes.map((s, l) => s / (this.shape.layers[l].size * Math.max(1, this.neuronSteps)));
    const activity = activityFindings(rates, epoch, this.steps.dtS);
    // A layer below a silent one gets no gradient as a consequence: the silent layer is the finding to act on.
    const silent = activity.some((f) => f.kind === 'silent');
    const gradients = gradientFindings(this.ratioSums.map((r) => r / this.batches), epoch).filter((f) => !(silent && f.kind === 'vanishing'));
    this.spikes = this.spikes.map(() => 0);
    this.ratioSums = this.ratioSums.map(() => 0);
    this.neuronSteps = 0;
    this.batches = 0;
    return this.fresh([...activity, ...gradients]);
  }

  private fresh(findings: HealthWarning[]): HealthWarning[] {
    const out = findings.filter((f) => !this.reported.has(key(f.kind, f.layer)));
    this.seen(out);
    return out;
  }
}

const key = (kind: HealthKind, layer: number | null) => `${kind}:${layer ?? '-'}`;
