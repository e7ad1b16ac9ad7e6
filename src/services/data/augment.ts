/**
 * Data augmentation of training batches (options and their meaning: `shared/augment.ts`).
 *
 * {@link augmentBatch} turns the samples of one batch into a small SpikeDataset of augmented copies, in batch
 * order, so the trainer bins it with binning.ts's `binBatch(aug, [0 … B−1], spec)` like any other data
 * ({@link binAugmentedBatch} does both and puts the original sample indices back on the batch, which the
 * dropout masks are keyed by). Augmented batches are binned afresh each time because their spikes change
 * every epoch; the unaugmented binned dataset (binnedDataset.ts) stays for evaluation.
 *
 * Per sample, in this order:
 * 1. blend — with probability `blend`, a partner of the same class (never the sample itself) is drawn, and
 *    each spike of the two is taken with probability 1/2, merged in time order (ties: the sample's own first);
 * 2. delete — each remaining spike is deleted with probability `deleteP`;
 * 3. stretch — times × f, f uniform in [stretch.lo, stretch.hi];
 * 4. time shift — times + d, d uniform in [−timeShiftS, timeShiftS]; a time below 0 drops its spike, a time
 *    past the binning's window is kept (the binning drops and counts it);
 * 5. channel shift — units + j, j a uniform integer in [−channelShift, channelShift]; a unit outside
 *    0 … channels−1 drops its spike.
 * The new time is computed in float64 as t·f + d and stored as float32 (so f = 1, d = 0 keeps the time bit
 * for bit). Stretch and shift are increasing maps of time, so spikes keep their order: a time-sorted sample
 * (as in the SHD files) stays sorted, an unsorted one is not reordered — binning does not need order, and
 * sorting 10 k spikes per sample cost ~1 s per SHD batch. With every option off a sample is copied bit for bit.
 *
 * Randomness is a hash of (seed, epoch, sample index in the dataset, what is drawn), like dropout.ts, not a
 * stream: a sample gets the same augmentation in an epoch whatever batch it is in, in whatever position, and
 * whatever else the batch holds — so the result does not depend on batch size, order or worker split.
 */
import { augmentErrors, type AugmentOptions } from '../../shared/augment';
import { binBatch, type BinnedBatch, type BinSpec } from './binning';
import type { SpikeDataset } from './spikeDataset';
import { mix } from '../random/hashMix';

/** Which epoch of which run an augmentation belongs to (the trainer's seed and 1-based epoch). */
export interface AugmentKey {
  seed: number;
  epoch: number;
}

/** The samples of each class, for drawing blend partners in O(1). */
export interface ClassIndex {
  /** Sample indices grouped by class, ascending within a class. */
  members: Int32Array;
  /** Class c's samples are members[start[c] … start[c+1]); classes + 1 entries. */
  start: Int32Array;
  /** Position of sample i within its class's run of `members`. */
  rank: Int32Array;
}

/** Groups the samples by label with one counting pass: O(samples). */
export function classIndex(ds: SpikeDataset): ClassIndex {
  const classes = ds.classNames.length;
  const start = new Int32Array(classes + 1);
  for (let i = 0; i < ds.samples; i++) {
    const c = ds.labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`${ds.name}: label ${c} of sample ${i} is outside 0…${classes - 1}`);
    start[c + 1]++;
  }
  for (let c = 0; c < classes; c++) start[c + 1] += start[c];
  const members = new Int32Array(ds.samples);
  const rank = new Int32Array(ds.samples);
  const fill = start.slice(0, classes);
  for (let i = 0; i < ds.samples; i++) {
    const c = ds.labels[i];
    rank[i] = fill[c] - start[c];
    members[fill[c]++] = i;
  }
  return { members, start, rank };
}

// One index per dataset object: the trainer augments many batches of the same training set.
const classIndexCache = new WeakMap<SpikeDataset, ClassIndex>();

function cachedClassIndex(ds: SpikeDataset): ClassIndex {
  let ci = classIndexCache.get(ds);
  if (!ci || ci.rank.length !== ds.samples) {
    ci = classIndex(ds);
    classIndexCache.set(ds, ci);
  }
  return ci;
}


// What each per-sample draw is for; distinct constants keep the draws independent of each other.
const DRAW_BLEND = 1;
const DRAW_PARTNER = 2;
const DRAW_STRETCH = 3;
const DRAW_TIME = 4;
const DRAW_CHANNEL = 5;
const DRAW_OWN_SPIKES = 6;
const DRAW_PARTNER_SPIKES = 7;

/** Uniform in [0, 1) with 32 bits, from the sample's key and what is drawn. */
function draw(sampleKey: number, what: number): number {
  return mix(sampleKey ^ Math.imul(what, 0x27d4eb2f)) / 4294967296;
}

/**
 * The key of one sample's augmentation in one epoch. The salt differs from dropout.ts's, so a run's
 * augmentation and its dropout masks are not the same bits.
 */
function sampleKeyOf(key: AugmentKey, sample: number): number {
  const base = mix(mix((key.seed >>> 0) ^ 0x2f6b5a31) ^ Math.imul((key.epoch >>> 0) + 1, 0x9e3779b9));
  return mix(base ^ Math.imul(sample + 1, 0xc2b2ae35));
}

function checkKey(key: AugmentKey): void {
  for (const k of ['seed', 'epoch'] as const) {
    if (!Number.isInteger(key[k]) || key[k] < 0 || key[k] > 0xffff_ffff) throw new Error(`augmentation ${k} must be an integer in 0…2³²−1 (got ${key[k]})`);
  }
}

/**
 * The blend partner of sample i (key sk): a uniform draw among the other samples of its class, or −1 when the
 * sample is not blended (no class index, the blend coin said no, or its class has no other sample).
 */
function partnerOf(ds: SpikeDataset, ci: ClassIndex | null, i: number, sk: number, blend: number): number {
  if (!ci || draw(sk, DRAW_BLEND) >= blend) return -1;
  const c = ds.labels[i];
  const n = ci.start[c + 1] - ci.start[c];
  if (n <= 1) return -1;
  // Uniform among the n − 1 others: draw a position among them and step over the sample's own.
  let r = Math.floor(draw(sk, DRAW_PARTNER) * (n - 1));
  if (r >= ci.rank[i]) r++;
  return ci.members[ci.start[c] + r];
}

/** The stretch factor f of the sample with key sk (lo when lo = hi, so 1 when off). */
function stretchOf(sk: number, opts: AugmentOptions): number {
  const { lo, hi } = opts.stretch;
  return lo === hi ? lo : lo + draw(sk, DRAW_STRETCH) * (hi - lo);
}

/** The time shift d in seconds of the sample with key sk (0 when off). */
function timeShiftOf(sk: number, opts: AugmentOptions): number {
  return opts.timeShiftS > 0 ? (2 * draw(sk, DRAW_TIME) - 1) * opts.timeShiftS : 0;
}

/** The channel shift j of the sample with key sk (0 when off). */
function channelShiftOf(sk: number, opts: AugmentOptions): number {
  const k = opts.channelShift;
  return k > 0 ? Math.floor(draw(sk, DRAW_CHANNEL) * (2 * k + 1)) - k : 0;
}

/** What {@link augmentBatch} drew for one sample in one epoch (the per-spike coins of blend and deletion aside). */
export interface SampleDraws {
  /** Index in the dataset of the same-class sample it is blended with; −1 when it is not blended. */
  partner: number;
  /** Stretch factor f its times are multiplied by (1 when stretch is off). */
  stretch: number;
  /** Time shift d in seconds added to its times (0 when off). */
  timeShiftS: number;
  /** Channel shift j added to its units (0 when off). */
  channelShift: number;
}

/**
 * The per-sample draws of sample `sample` of `ds` for (key.seed, key.epoch): the very numbers
 * {@link augmentBatch} applies to it (same helpers, same hash), whatever batch it is in.
 */
export function sampleDraws(ds: SpikeDataset, sample: number, opts: AugmentOptions, key: AugmentKey): SampleDraws {
  const errors = augmentErrors(opts);
  if (errors.length) throw new Error(`invalid augmentation options: ${errors.map((e) => e.message).join('; ')}`);
  checkKey(key);
  if (!Number.isInteger(sample) || sample < 0 || sample >= ds.samples) throw new Error(`${ds.name}: sample index ${sample} out of range 0…${ds.samples - 1}`);
  const sk = sampleKeyOf(key, sample);
  return {
    partner: partnerOf(ds, opts.blend > 0 ? cachedClassIndex(ds) : null, sample, sk, opts.blend),
    stretch: stretchOf(sk, opts),
    timeShiftS: timeShiftOf(sk, opts),
    channelShift: channelShiftOf(sk, opts),
  };
}

/**
 * The augmented copies of `indices`' samples of `ds` (the training set), in that order: sample b of the
 * result is sample indices[b] augmented for (key.seed, key.epoch), with its label (and speaker, where the set
 * has them); channels and classNames are those of `ds`. A sample listed twice gets the same copy twice.
 * Work and memory are proportional to the batch's spikes (twice that for blended samples), plus the
 * dataset's class index, made once per dataset.
 */
export function augmentBatch(ds: SpikeDataset, indices: ArrayLike<number>, opts: AugmentOptions, key: AugmentKey): SpikeDataset {
  const errors = augmentErrors(opts);
  if (errors.length) throw new Error(`invalid augmentation options: ${errors.map((e) => e.message).join('; ')}`);
  checkKey(key);
  const B = indices.length;
  const ci = opts.blend > 0 ? cachedClassIndex(ds) : null;
  const C = ds.channels;
  const { times, units, offsets } = ds;

  // Per-sample decisions first, so the output can be sized to an upper bound in one allocation.
  const partner = new Int32Array(B).fill(-1);
  const keys = new Uint32Array(B);
  let capacity = 0;
  for (let b = 0; b < B; b++) {
    const i = indices[b];
    if (!Number.isInteger(i) || i < 0 || i >= ds.samples) throw new Error(`${ds.name}: sample index ${i} out of range 0…${ds.samples - 1}`);
    const k = sampleKeyOf(key, i);
    keys[b] = k;
    capacity += offsets[i + 1] - offsets[i];
    const p = partnerOf(ds, ci, i, k, opts.blend);
    partner[b] = p;
    if (p >= 0) capacity += offsets[p + 1] - offsets[p];
  }

  const outTimes = new Float32Array(capacity);
  const outUnits = new Uint16Array(capacity);
  const outOffsets = new Float64Array(B + 1);
  // Spike decisions compare 24 hash bits with p·2^24 (as dropout.ts); the blend's coin is the lowest bit
  // of the same hash, independent of the top 24 bits for a hash like lowbias32.
  const deleteCut = Math.round(opts.deleteP * 2 ** 24);
  const k = opts.channelShift;
  // Without a channel shift every unit is kept as it is, even one ≥ channels (the binning counts those).
  const unitLimit = k > 0 ? C : 65536;
  let w = 0;
  for (let b = 0; b < B; b++) {
    const i = indices[b];
    const sk = keys[b];
    const f = stretchOf(sk, opts);
    const d = timeShiftOf(sk, opts);
    const du = channelShiftOf(sk, opts);
    const p = partner[b];
    // Small-integer bounds keep V8 on its fast typed-array path (offsets are float64).
    const a0 = offsets[i] | 0;
    const a1 = offsets[i + 1] | 0;
    let src: Float32Array = times;
    let srcUnits: Uint16Array = units;
    let from = a0;
    let to = a1;
    let cut = deleteCut;
    if (p >= 0) {
      // Blend: the coin and the deletion of each spike of either sample, then one merge by time.
      const na = select(times, units, a0, a1, mix(sk ^ DRAW_OWN_SPIKES), true, deleteCut, 0);
      const nb = select(times, units, offsets[p] | 0, offsets[p + 1] | 0, mix(sk ^ DRAW_PARTNER_SPIKES), true, deleteCut, na);
      merge(na, nb);
      src = mergeTimes;
      srcUnits = mergeUnits;
      from = 0;
      to = na + nb;
      cut = 0;
    }
    if (cut === 0 && f === 1 && d === 0 && k === 0) {
      // Nothing per spike to do: a block copy (every option off, or a blend alone).
      outTimes.set(src.subarray(from, to), w);
      outUnits.set(srcUnits.subarray(from, to), w);
      w += to - from;
    } else {
      w = transform(src, srcUnits, from, to, mix(sk ^ DRAW_OWN_SPIKES), cut, f, d, du, unitLimit, outTimes, outUnits, w);
    }
    outOffsets[b + 1] = w;
  }

  const labels = new Int32Array(B);
  for (let b = 0; b < B; b++) labels[b] = ds.labels[indices[b]];
  const out: SpikeDataset = {
    name: `${ds.name} (augmented)`,
    samples: B,
    channels: C,
    classNames: ds.classNames,
    labels,
    offsets: outOffsets,
    // Views, not copies: the batch is short-lived, and a copy would cost as much as the augmentation.
    times: outTimes.subarray(0, w),
    units: outUnits.subarray(0, w),
  };
  if (ds.speakers) {
    const speakers = new Int32Array(B);
    for (let b = 0; b < B; b++) speakers[b] = ds.speakers[indices[b]];
    out.speakers = speakers;
  }
  return out;
}

// Scratch for blended samples (the kept spikes of both, then their merge), grown as needed and reused
// across calls: the augmented spikes are copied out of it, so nothing returned aliases it.
let scratchTimes = new Float32Array(1 << 16);
let scratchUnits = new Uint16Array(1 << 16);
let mergeTimes = new Float32Array(1 << 16);
let mergeUnits = new Uint16Array(1 << 16);

function ensureScratch(n: number): void {
  if (scratchTimes.length >= n) return;
  const size = 2 ** Math.ceil(Math.log2(n));
  const t = new Float32Array(size);
  const u = new Uint16Array(size);
  t.set(scratchTimes);
  u.set(scratchUnits);
  scratchTimes = t;
  scratchUnits = u;
  mergeTimes = new Float32Array(size);
  mergeUnits = new Uint16Array(size);
}

/**
 * Copies spikes [from, to) to scratch[at …] where their hash keeps them: the blend's coin (lowest bit) when
 * `coin`, and not deleted (top 24 bits ≥ cut). Returns how many were kept. Branch-free: every spike is
 * written, and the write position advances by the keep bit, since the keep decisions are random and a
 * branch on them would be mispredicted half the time.
 */
function select(times: Float32Array, units: Uint16Array, from: number, to: number, key: number, coin: boolean, cut: number, at: number): number {
  ensureScratch(at + to - from);
  const st = scratchTimes;
  const su = scratchUnits;
  const coinMask = coin ? 1 : 0;
  let w = at;
  for (let s = from; s < to; s++) {
    const h = mix(key ^ Math.imul(s - from + 1, 0x165667b1));
    // (h & 1) when flipping the coin, else 1; and 1 + sign of ((h >>> 8) − cut) is 1 when not deleted.
    const keep = ((h & coinMask) | (coinMask ^ 1)) & (1 + (((h >>> 8) - cut) >> 31));
    st[w] = times[s];
    su[w] = units[s];
    w += keep;
  }
  return w - at;
}

/** Merges scratch[0 … na) and scratch[na … na+nb), each sorted by time, into merge[0 … na+nb); ties: the first run's first. */
function merge(na: number, nb: number): void {
  const st = scratchTimes;
  const su = scratchUnits;
  const mt = mergeTimes;
  const mu = mergeUnits;
  const n = na + nb;
  let ia = 0;
  let ib = na;
  let w = 0;
  while (ia < na && ib < n) {
    if (st[ia] <= st[ib]) {
      mt[w] = st[ia];
      mu[w++] = su[ia++];
    } else {
      mt[w] = st[ib];
      mu[w++] = su[ib++];
    }
  }
  while (ia < na) {
    mt[w] = st[ia];
    mu[w++] = su[ia++];
  }
  while (ib < n) {
    mt[w] = st[ib];
    mu[w++] = su[ib++];
  }
}

/**
 * Deletion (top 24 hash bits < cut; cut 0 deletes nothing), then stretch f, time shift d and channel shift
 * du of spikes [from, to), written to out[w …]; returns the new end. Branch-free per spike like
 * {@link select}. f = 1, d = 0 leaves the loop to copy times bit for bit.
 */
function transform(
  times: Float32Array,
  units: Uint16Array,
  from: number,
  to: number,
  key: number,
  cut: number,
  f: number,
  d: number,
  du: number,
  unitLimit: number,
  outTimes: Float32Array,
  outUnits: Uint16Array,
  w: number,
): number {
  const timed = f !== 1 || d !== 0;
  for (let s = from; s < to; s++) {
    let keep = 1;
    if (cut > 0) keep = 1 + (((mix(key ^ Math.imul(s - from + 1, 0x165667b1)) >>> 8) - cut) >> 31);
    let t = times[s];
    if (timed) {
      t = t * f + d;
      keep &= t >= 0 ? 1 : 0;
    }
    const u = units[s] + du;
    // 0 ≤ u < unitLimit ⇔ neither u nor unitLimit − 1 − u has its sign bit set.
    keep &= ((u | (unitLimit - 1 - u)) >>> 31) ^ 1;
    outTimes[w] = t;
    outUnits[w] = u;
    w += keep;
  }
  return w;
}


/**
 * The augmented, binned training batch of `indices`: {@link augmentBatch} then `binBatch` over all of it,
 * with `indices` set back to the samples' indices in `ds`, since dropout masks are keyed by those. `dropped`
 * counts the augmented spikes outside the time window.
 */
export function binAugmentedBatch(ds: SpikeDataset, indices: ArrayLike<number>, opts: AugmentOptions, key: AugmentKey, spec: BinSpec): BinnedBatch {
  const aug = augmentBatch(ds, indices, opts, key);
  const all = new Int32Array(aug.samples);
  for (let b = 0; b < all.length; b++) all[b] = b;
  const batch = binBatch(aug, all, spec);
  batch.indices = Int32Array.from(indices);
  return batch;
}
