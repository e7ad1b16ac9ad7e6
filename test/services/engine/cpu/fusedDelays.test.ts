/**
 * The delays' spike bookkeeping in the fused CPU loop (fusedDelays.ts): what DelayInbox hands each step must be
 * every (spike, tap) that reaches it, in the order a direct scan of the earlier steps gives (rowAxpy's sums
 * depend on it), through the ring's wrap-around, the slots' growth and a second batch on the same inbox.
 */
import { describe, expect, it } from 'vitest';
import { DelayInbox, feedForwardList, gatherTaps } from '../../../../src/services/engine/cpu/fusedDelays';
import { delayTaps, type DelayTaps } from '../../../../src/services/engine/model/delayKernel';
import { SeededRandom } from '../../../../src/services/random/seededRandom';

interface Spikes {
  rows: Int32Array;
  cols: Int32Array;
  stepStart: Int32Array;
  B: number;
}

function randomSpikes(rng: SeededRandom, T: number, B: number, H: number, rate: number): Spikes {
  const rows: number[] = [];
  const cols: number[] = [];
  const stepStart = new Int32Array(T + 1);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        if (rng.next() < rate) {
          rows.push(t * B + b);
          cols.push(h);
        }
      }
    }
    stepStart[t + 1] = rows.length;
  }
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), stepStart, B };
}

/** Step u's triples by scanning every earlier step's list: the definition DelayInbox must agree with. */
function scan(taps: DelayTaps, sp: Spikes, u: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let t = 0; t < u; t++) {
    const m = u - t;
    for (let q = sp.stepStart[t]; q < sp.stepStart[t + 1]; q++) {
      const h = sp.cols[q];
      const c = m < taps.M ? taps.k[h * taps.M + m] : 0;
      if (c !== 0) out.push([sp.rows[q] + m * sp.B, h, c]);
    }
  }
  return out;
}

/** The scan's triples with those of one (b, h) summed in float32, in the order of their first appearance. */
function merged(triples: [number, number, number][]): [number, number, number][] {
  const at = new Map<string, number>();
  const out: [number, number, number][] = [];
  for (const [row, h, c] of triples) {
    const key = `${row},${h}`;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push([row, h, c]);
    } else {
      out[i][2] = Math.fround(out[i][2] + c);
    }
  }
  return out;
}

function viaInbox(inbox: DelayInbox, taps: DelayTaps, sp: Spikes, T: number, merge?: { B: number; H: number }): [number, number, number][][] {
  const size = sp.rows.length * taps.width + 1;
  const out = { rows: new Int32Array(size), cols: new Int32Array(size), coef: new Float32Array(size) };
  inbox.reset(taps.M);
  const steps: [number, number, number][][] = [];
  let at = 0;
  for (let u = 0; u < T; u++) {
    if (u > 0) inbox.post(taps, sp, u - 1, T);
    const n = inbox.take(u, out, at, merge);
    steps.push(Array.from({ length: n }, (_, i) => [out.rows[at + i], out.cols[at + i], out.coef[at + i]]));
    at += n;
  }
  return steps;
}

describe('recurrent delays in the fused loop', () => {
  it('DelayInbox gives each step the triples of a direct scan, in its order (σ = 0 and 1.5, ring wrap, growth, reuse)', () => {
    const rng = new SeededRandom(3);
    const inbox = new DelayInbox();
    // The second case has over 1024 spikes per step, past a slot's first size; the third reuses grown slots.
    const cases = [
      { T: 30, B: 3, H: 8, rate: 0.3, sigma: 0, dMax: 6 },
      { T: 12, B: 16, H: 80, rate: 0.9, sigma: 1.5, dMax: 3 },
      { T: 25, B: 2, H: 12, rate: 0.2, sigma: 0.4, dMax: 9 },
    ];
    for (const c of cases) {
      const d = Float32Array.from({ length: c.H }, () => c.dMax * rng.next());
      // Whole-step delays too (one tap each, as evaluation rounds them).
      d[0] = 2;
      d[1] = 0;
      const taps = delayTaps(d, c.sigma, 1);
      const sp = randomSpikes(rng, c.T, c.B, c.H, c.rate);
      const got = viaInbox(inbox, taps, sp, c.T);
      let total = 0;
      for (let u = 0; u < c.T; u++) {
        const want = scan(taps, sp, u);
        expect(got[u], `step ${u}`).toEqual(want);
        total += want.length;
      }
      expect(total).toBeGreaterThan(c.T);
    }
  });

  it('DelayInbox merges a step\'s triples per (b, h) when asked (wide kernels): float32 sums in first-appearance order', () => {
    const rng = new SeededRandom(8);
    const inbox = new DelayInbox();
    const [T, B, H] = [20, 4, 12];
    const d = Float32Array.from({ length: H }, () => 6 * rng.next());
    const taps = delayTaps(d, 3, 1);
    const sp = randomSpikes(rng, T, B, H, 0.4);
    const got = viaInbox(inbox, taps, sp, T, { B, H });
    let fewer = 0;
    for (let u = 0; u < T; u++) {
      const all = scan(taps, sp, u);
      expect(got[u], `step ${u}`).toEqual(merged(all));
      fewer += all.length - got[u].length;
    }
    // A spread of σ = 3 reaches a step from several earlier ones: merging leaves fewer rows.
    expect(fewer).toBeGreaterThan(100);
    // The sums were cleared: the next batch, unmerged, gives the plain triples.
    const again = viaInbox(inbox, taps, sp, T);
    for (let u = 0; u < T; u++) expect(again[u]).toEqual(scan(taps, sp, u));
  });

  it('gatherTaps: the taps m ≥ 1 of the kernel that reach a step before T, empty at the last step', () => {
    const taps = delayTaps(Float32Array.from([0.5, 3, 1.25]), 0, 1);
    // c_h = 1 + d_h: taps {1, 2}, {4}, {2, 3} with a non-zero k.
    expect([taps.mLo, taps.mHi]).toEqual([1, 6]);
    expect(gatherTaps(taps, 50, 0)).toEqual({ from: 1, to: 6 });
    expect(gatherTaps(taps, 50, 46)).toEqual({ from: 1, to: 4 });
    expect(gatherTaps(taps, 50, 49)).toEqual({ from: 1, to: 1 });
  });
  it('feedForwardList merged: one entry per non-zero (row, h), in row order, each the float32 sum of the plain list\'s', () => {
    const rng = new SeededRandom(9);
    const [T, B, H] = [25, 3, 10];
    const d = Float32Array.from({ length: H }, () => 8 * rng.next());
    const taps = delayTaps(d, 10, 0);
    const src = { rows: [] as number[], cols: [] as number[], coef: [] as number[] };
    for (let r = 0; r < T * B; r++) for (let h = 0; h < H; h++) if (rng.next() < 0.3) { src.rows.push(r); src.cols.push(h); src.coef.push(1 + rng.next()); }
    const list = { rows: Int32Array.from(src.rows), cols: Int32Array.from(src.cols), coef: Float32Array.from(src.coef), n: src.rows.length };
    const cap = list.n * taps.width;
    const out = () => ({ rows: new Int32Array(cap), cols: new Int32Array(cap), coef: new Float32Array(cap) });
    const plain = out();
    const nPlain = feedForwardList(taps, list, T, B, plain);
    const merged = out();
    const nMerged = feedForwardList(taps, list, T, B, merged, new Float32Array(T * B * H));
    // The plain list, summed per (row, h) in its own order.
    const sums = new Map<number, number>();
    for (let q = 0; q < nPlain; q++) {
      const key = plain.rows[q] * H + plain.cols[q];
      sums.set(key, Math.fround((sums.get(key) ?? 0) + plain.coef[q]));
    }
    const keys = [...sums.keys()].filter((key) => sums.get(key) !== 0).sort((a, b) => a - b);
    expect(nMerged).toBe(keys.length);
    expect(nMerged).toBeLessThanOrEqual(T * B * H);
    // σ = 10 spreads each spike over ~22 steps: merging must shrink the list several-fold.
    expect(nPlain).toBeGreaterThan(3 * nMerged);
    keys.forEach((key, q) => {
      expect([merged.rows[q], merged.cols[q]]).toEqual([Math.floor(key / H), key % H]);
      expect(merged.coef[q]).toBe(sums.get(key));
    });
  });
});
