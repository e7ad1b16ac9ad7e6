/**
 * A finite-difference check of the gradients of the hidden layers' decays (lif: α, β; adlif: α, β, a, b).
 *
 * The hidden layers reach the loss only through their spikes, so the loss itself is piecewise constant in
 * these parameters and a plain central difference is 0 wherever no spike flips. What BPTT computes is the
 * surrogate gradient: spikes keep their values, and ∂S/∂U is the fast sigmoid's σ'(U − θ). That gradient is
 * the exact gradient of a smooth stand-in, written here independently of the engine in float64:
 *
 *     Ŝ(U) = S⁰ + σ(U − θ) − σ(U⁰ − θ),   σ(v) = sign(v)·(1 − 1/(scale·|v| + 1))/scale   (so σ' is the surrogate)
 *
 * with U⁰, S⁰ the membranes and spikes at the unperturbed parameters (Ŝ = S⁰ there) and the detached reset
 * using S⁰. Its central difference must match the engine's gradient (both loops) to 2e-2 relative; at the
 * unperturbed point the stand-in's loss and spikes are the engine's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type TrainConfig } from '../../../../src/shared/config';
import { binBatch, type BinnedBatch } from '../../../../src/services/data/binning';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape, tensor, type NetworkParams } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { makeSyntheticShd } from '../../../../src/services/data/syntheticShd';

const [C, H, K, B, T] = [30, 8, 3, 4, 25];
const ds = makeSyntheticShd({ samples: 8, seed: 5, split: 'train', channels: C, classes: K, peakRateHz: 400 });

type Vec = Float64Array;
interface Model {
  wIn: Vec; wRec: Vec; alpha: Vec; beta: Vec; a: Vec; b: Vec; wOut: Vec; rAlpha: Vec; rBeta: Vec;
}

function modelOf(p: NetworkParams): Model {
  const get = (n: string) => Float64Array.from(tensor(p, p.flat, n));
  const adl = p.shape.layers[0].kind === 'adlif';
  return {
    wIn: get('layer0/w_in'), wRec: get('layer0/w_rec'), alpha: get('layer0/alpha'), beta: get('layer0/beta'),
    a: adl ? get('layer0/a') : new Float64Array(H), b: adl ? get('layer0/b') : new Float64Array(H),
    wOut: get('readout/w'), rAlpha: get('readout/alpha'), rBeta: get('readout/beta'),
  };
}

/** Dense input x[t][b][c]. */
function denseInput(batch: BinnedBatch): Vec {
  const x = new Float64Array(T * B * C);
  batch.flat.forEach((f, i) => {
    const c = f % C;
    const bt = (f - c) / C;
    const t = bt % T;
    const b = (bt - t) / T;
    x[(t * B + b) * C + c] += batch.counts[i];
  });
  return x;
}

interface Base { mem: Vec; spk: Vec }

/** The float64 stand-in: loss (mean readout, NLL, no regulariser); with `base` the smooth Ŝ, without it Θ. */
function standIn(config: TrainConfig, m: Model, x: Vec, labels: Int32Array, base?: Base): { loss: number; mem: Vec; spk: Vec } {
  const th = config.threshold;
  const sc = config.surrogateScale;
  const sigma = (v: number) => Math.sign(v) * (1 - 1 / (sc * Math.abs(v) + 1)) / sc;
  const spikeOf = (u: number, i: number) => (base ? base.spk[i] + sigma(u - th) - sigma(base.mem[i] - th) : u - th > 0 ? 1 : 0);
  const hard = (u: number, i: number) => (base ? base.spk[i] : u - th > 0 ? 1 : 0);
  const mem = new Float64Array(T * B * H);
  const spk = new Float64Array(T * B * H);
  const state1 = new Float64Array(B * H); // lif I_t; adlif U'_{t−1}
  const state2 = new Float64Array(B * H); // lif U_t; adlif A_{t−1}
  const prevS = new Float64Array(B * H);
  const q = config.adaptQ;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      for (let h = 0; h < H; h++) {
        const k = bb * H + h;
        const i = t * B * H + k;
        let J = 0;
        for (let c = 0; c < C; c++) J += x[(t * B + bb) * C + c] * m.wIn[c * H + h];
        for (let g = 0; g < H; g++) J += prevS[bb * H + g] * m.wRec[g * H + h];
        if (config.neuron === 'lif') {
          const U = state2[k];
          const I = state1[k];
          mem[i] = U;
          spk[i] = spikeOf(U, i);
          state1[k] = m.alpha[h] * I + J;
          state2[k] = (m.beta[h] * U + I) * (1 - hard(U, i));
        } else {
          const U = m.alpha[h] * state1[k] + (1 - m.alpha[h]) * (J - state2[k]);
          mem[i] = U;
          spk[i] = spikeOf(U, i);
          const up = U * (1 - hard(U, i));
          state1[k] = up;
          state2[k] = m.beta[h] * state2[k] + (1 - m.beta[h]) * q * (m.a[h] * up + m.b[h] * spk[i]);
        }
      }
    }
    for (let bb = 0; bb < B; bb++) for (let h = 0; h < H; h++) prevS[bb * H + h] = spk[t * B * H + bb * H + h];
  }
  let nll = 0;
  for (let bb = 0; bb < B; bb++) {
    const F = new Float64Array(K);
    const O = new Float64Array(K);
    const sum = new Float64Array(K); // Σ_{t=0…T} O_t (O_0 = 0)
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) {
        let h2 = 0;
        for (let h = 0; h < H; h++) h2 += spk[t * B * H + bb * H + h] * m.wOut[h * K + k];
        const o = m.rBeta[k] * O[k] + F[k];
        F[k] = m.rAlpha[k] * F[k] + h2;
        O[k] = o;
        sum[k] += o;
      }
    }
    const score = Array.from(sum, (s) => s / (T + 1));
    const mx = Math.max(...score);
    const lse = mx + Math.log(score.reduce((s, v) => s + Math.exp(v - mx), 0));
    nll += lse - score[labels[bb]];
  }
  return { loss: nll / B, mem, spk };
}

const cases: [string, Partial<TrainConfig>, string[]][] = [
  ['lif', { neuron: 'lif', tauSynS: { lo: 0.003, hi: 0.008 }, tauMemS: { lo: 0.006, hi: 0.02 } }, ['alpha', 'beta']],
  ['adlif', { neuron: 'adlif', tauMemS: { lo: 0.003, hi: 0.015 }, tauAdaptS: { lo: 0.03, hi: 0.2 }, adaptA: { lo: -0.5, hi: 1 }, adaptB: { lo: 0, hi: 1 } }, ['alpha', 'beta', 'a', 'b']],
];

/** The network of a config, its readout weights scaled down so that the softmax is not saturated. */
function networkOf(config: TrainConfig): NetworkParams {
  const params = initNetwork(networkShape(config, C, K), config);
  tensor(params, params.flat, 'readout/w').forEach((w, i, a) => (a[i] = 0.05 * w));
  return params;
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('decay gradients against finite differences of the smooth stand-in', () => {
  for (const [name, partial, leaves] of cases) {
    it(`${name}: ${leaves.join(', ')} (fused and tfjs-op loops)`, () => {
      const config = makeConfig({
        ...partial, layers: [{ size: H, recurrent: true, dropout: 0 }], readout: 'mean', regL1: 0, regL2: 0, nbSteps: T, weightScale: name === 'lif' ? 3 : 6, seed: 2, learnTau: true,
      });
      const params = networkOf(config);
      const batch = binBatch(ds, [0, 1, 2, 3], config);
      const x = denseInput(batch);
      const m = modelOf(params);
      const hardRun = standIn(config, m, x, batch.labels);
      const engine = runBatch(params, config, batch, { gradients: true, records: true, loop: 'fused' });
      // The stand-in is the engine's forward pass.
      expect(Array.from(hardRun.spk)).toEqual(Array.from(engine.records!.layers[0].spikes));
      expect(engine.spikesPerLayer[0]).toBeGreaterThan(40);
      expect(engine.spikesPerLayer[0]).toBeLessThan(T * B * H - 40);
      expect(Math.abs(hardRun.loss - engine.loss) / engine.loss).toBeLessThan(1e-5);
      expect(engine.loss).toBeGreaterThan(0.5);
      expect(engine.loss).toBeLessThan(5);
      const base: Base = { mem: hardRun.mem, spk: hardRun.spk };
      expect(Math.abs(standIn(config, m, x, batch.labels, base).loss - hardRun.loss)).toBeLessThan(1e-12 * hardRun.loss);

      const ops = runBatch(params, config, batch, { gradients: true, loop: 'tensor' });
      const eps = 1e-6;
      for (const leaf of leaves) {
        const key = leaf as 'alpha' | 'beta' | 'a' | 'b';
        const fd = new Float64Array(H);
        for (let h = 0; h < H; h++) {
          const v = m[key][h];
          m[key][h] = v + eps;
          const up = standIn(config, m, x, batch.labels, base).loss;
          m[key][h] = v - eps;
          const down = standIn(config, m, x, batch.labels, base).loss;
          m[key][h] = v;
          fd[h] = (up - down) / (2 * eps);
        }
        const scale = Math.max(...fd.map(Math.abs));
        expect(scale, `${leaf}: a gradient to check`).toBeGreaterThan(1e-4);
        for (const [loop, r] of [['fused', engine], ['tensor', ops]] as const) {
          const g = tensor(params, r.grads!, `layer0/${leaf}`);
          for (let h = 0; h < H; h++) {
            expect(Math.abs(g[h] - fd[h]), `${loop} ${leaf}[${h}]: ${g[h]} vs finite difference ${fd[h]}`).toBeLessThanOrEqual(2e-2 * Math.abs(fd[h]) + 1e-3 * scale);
          }
        }
      }
    });
  }

  it('the check is sensitive: a 5 % different surrogate scale in the stand-in misses the engine', () => {
    const config = makeConfig({ ...cases[1][1], layers: [{ size: H, recurrent: true, dropout: 0 }], readout: 'mean', regL1: 0, regL2: 0, nbSteps: T, weightScale: 6, seed: 2, learnTau: true });
    const params = networkOf(config);
    const batch = binBatch(ds, [0, 1, 2, 3], config);
    const x = denseInput(batch);
    const m = modelOf(params);
    const other = { ...config, surrogateScale: config.surrogateScale * 1.05 };
    const hardRun = standIn(other, m, x, batch.labels);
    const base: Base = { mem: hardRun.mem, spk: hardRun.spk };
    const engine = runBatch(params, config, batch, { gradients: true, loop: 'fused' });
    const eps = 1e-6;
    let worst = 0;
    for (let h = 0; h < H; h++) {
      const v = m.alpha[h];
      m.alpha[h] = v + eps;
      const up = standIn(other, m, x, batch.labels, base).loss;
      m.alpha[h] = v - eps;
      const down = standIn(other, m, x, batch.labels, base).loss;
      m.alpha[h] = v;
      const fd = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(tensor(params, engine.grads!, 'layer0/alpha')[h] - fd) / Math.abs(fd));
    }
    expect(worst).toBeGreaterThan(2e-2);
  });
});
