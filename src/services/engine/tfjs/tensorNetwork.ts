/**
 * One batch with every hidden layer as per-step tfjs ops on the active backend (the neuron kinds' `tensor`
 * steps), the gradients of the hidden layers by tfjs' autograd: the path for the tensorflow (native, GPU)
 * backends, and an independent check of the fused kernels' hand-written backward pass (both must match the
 * reference's golden files).
 *
 * The readout, the class loss and the regulariser run in JS on the spikes' values (batchLoss.ts, the same code
 * as the fused loop). Their gradient reaches the layers as constants: with D_up = ∂L/∂(what goes up from the
 * last layer) and r_l = ∂L/∂S_l from each layer's regulariser, the scalar
 *
 *     Σ up_L ⊙ D_up + Σ_l Σ S_l ⊙ r_l
 *
 * has, as a function of the hidden parameters, exactly the loss's gradient (chain rule with the downstream
 * factors held fixed), so tf.grads of it gives ∂L/∂(W_in, W_rec and the kind's parameters) of every layer. The
 * step is interpreted from the kind's definition as tfjs ops (codegen/tfjsStep.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import { batchLoss } from '../model/batchLoss';
import { phaseTimer, timeMajorInput, wantDecayGrads, type BatchResult, type BatchRunOptions, type LayerRecords } from '../run/batchTypes';
import { dropoutMask } from '../model/dropout';
import { spikeRegulariser } from '../model/loss';
import { layerParamNames, readoutTensors, tensor, type NetworkParams } from '../model/modelState';
import { neuronDefinition } from '../definitions';
import { tensorKind } from '../codegen/tfjsStep';
import { wholeSteps } from '../model/delayKernel';
import { scalarValues } from '../codegen/layerKernelPlan';
import { readoutBackward } from '../model/readout';

/** Row-major [rows, cols] values as a tensor. */
const matrix = (v: Float32Array, rows: number, cols: number) => tf.tensor2d(v, [rows, cols]);

export function runTensorBatch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: BatchRunOptions): BatchResult {
  const lap = phaseTimer(opts.timing);
  const T = batch.nbSteps;
  const B = batch.size;
  const shape = params.shape;
  const K = shape.classes;
  const L = shape.layers.length;
  const inputs0 = shape.layers[0].inputs;
  const tm = timeMajorInput(batch, shape.pool);
  const dense = new Float32Array(T * B * inputs0);
  for (let i = 0; i < tm.rows.length; i++) dense[tm.rows[i] * inputs0 + tm.cols[i]] += tm.counts[i];
  const masks = shape.layers.map((s, l) => (opts.dropout && config.layers[l].dropout > 0 ? dropoutMask(opts.dropout, l, config.layers[l].dropout, batch.indices, T, s.size) : null));
  const names = shape.layers.flatMap((s, l) => layerParamNames(l, s));
  // Differentiated: the weights, the parameters learned always, and the rest (the decays) when they are learned
  // or all gradients are asked for.
  const decayGrads = wantDecayGrads(config, opts);
  const kinds = shape.layers.map((s) => neuronDefinition(s));
  const learnedAlways = new Set(kinds.flatMap((d, l) => d.params.filter((p) => p.learn === 'always').map((p) => `layer${l}/${p.name}`)));
  const diffNames = names.filter((n) => decayGrads || /\/(w_in|w_rec|rec_delay|ff_delay)$/.test(n) || learnedAlways.has(n));
  // Delays: the training epoch's kernel spread; evaluation runs whole steps (as the fused loop and the reference).
  const sigma = opts.delaySigma ?? 0;
  const evaluation = !opts.gradients && !opts.dropout;
  const steps = kinds.map((d) => tensorKind(tf, d, scalarValues(d, config)));
  const ro = readoutTensors(params);
  const readoutShape = { steps: T, batch: B, classes: K };
  let result: BatchResult | null = null;
  let gradFlat: Float32Array | null = null;
  lap('input');

  tf.tidy(() => {
    const x = matrix(dense, T * B, inputs0);
    const given = names.map((name) => {
      const e = params.layout.find((p) => p.name === name)!;
      return tf.tensor(tensor(params, params.flat, name), e.shape);
    });
    const layerRecords: LayerRecords[] = [];
    let loss: ReturnType<typeof batchLoss> | null = null;

    /** The network on the given parameter tensors; returns the scalar whose gradient is the loss's. */
    const forward = (...ts: tf.Tensor[]): tf.Scalar => {
      const byName = new Map(names.map((n, i) => [n, ts[i]]));
      let inp: tf.Tensor2D = x;
      const spikes: tf.Tensor2D[] = [];
      shape.layers.forEach((s, l) => {
        const def = kinds[l];
        const get = (leaf: string) => byName.get(`layer${l}/${leaf}`) ?? null;
        const wIn = get('w_in') as tf.Tensor2D;
        const wRec = get('w_rec') as tf.Tensor2D | null;
        const p = Object.fromEntries(def.params.map((x) => [x.name, get(x.name) as tf.Tensor1D]));
        const xw = tf.unstack(tf.reshape(tf.matMul(inp, wIn), [T, B, s.size])) as tf.Tensor2D[];
        let state = steps[l].init(B, s.size);
        /** The triangle kernel's columns k(m) [H], m = 0 … M−1, of delays d (a tensor, so tfjs differentiates it). */
        const delayKernel = (d: tf.Tensor1D, first: number): tf.Tensor1D[] => {
          const dv = d.dataSync();
          const used = evaluation ? tf.tensor1d(Array.from(wholeSteps(Float32Array.from(dv)))) : d;
          const width = 1 + sigma;
          const M = Math.ceil(first + Math.max(0, ...Array.from(dv)) + width) + 1;
          const c = tf.add(used, first);
          const dist = tf.abs(tf.sub(tf.range(0, M).reshape([1, M]), c.reshape([s.size, 1])));
          const k = tf.div(tf.relu(tf.sub(width, dist)), width * width);
          return tf.unstack(k, 1) as tf.Tensor1D[];
        };
        const recKernel = s.recDelay ? delayKernel(get('rec_delay') as tf.Tensor1D, 1) : null;
        let prev: tf.Tensor2D | null = null;
        const S: tf.Tensor2D[] = [];
        const mem: tf.Tensor2D[] = [];
        const adapt: tf.Tensor2D[] = [];
        for (let t = 0; t < T; t++) {
          // x_t·W_in + S_{t−1}·W_rec, summed in that order as the reference does; S₋₁ = 0 adds nothing.
          let J: tf.Tensor2D = xw[t];
          if (wRec && recKernel && t > 0) {
            // Σ_{m≥1} S_{t−m}⊙k(m), then ·W_rec: the delayed recurrence (model of fusedDelays.ts).
            let R: tf.Tensor2D | null = null;
            for (let m = 1; m < recKernel.length && m <= t; m++) R = (R ? tf.add(R, tf.mul(S[t - m], recKernel[m])) : tf.mul(S[t - m], recKernel[m])) as tf.Tensor2D;
            if (R) J = tf.add(J, tf.matMul(R, wRec));
          } else if (wRec && prev) {
            J = tf.add(xw[t], tf.matMul(prev, wRec));
          }
          const r = steps[l].step(state, J, p);
          S.push(r.spikes);
          mem.push(r.records[def.probe.mem]);
          if (def.probe.adapt) adapt.push(r.records[def.probe.adapt]);
          state = r.next;
          prev = r.spikes;
        }
        const all = tf.concat(S) as tf.Tensor2D;
        spikes.push(all);
        if (opts.records) {
          layerRecords.push({
            spikes: all.dataSync() as Float32Array,
            mem: tf.concat(mem).dataSync() as Float32Array,
            ...(adapt.length ? { adapt: tf.concat(adapt).dataSync() as Float32Array } : {}),
          });
        }
        inp = masks[l] ? tf.mul(all, matrix(masks[l]!, T * B, s.size)) : all;
        const ffKernel = s.ffDelay ? delayKernel(get('ff_delay') as tf.Tensor1D, 0) : null;
        if (ffKernel) {
          // X_t = Σ_{m≥0} Z_{t−m}⊙k(m): what goes up, spread over each neuron's delay.
          const Z = tf.split(inp, T) as tf.Tensor2D[];
          const X = Z.map((_, t) => {
            let x: tf.Tensor2D | null = null;
            for (let m = 0; m < ffKernel.length && m <= t; m++) x = (x ? tf.add(x, tf.mul(Z[t - m], ffKernel[m])) : tf.mul(Z[t - m], ffKernel[m])) as tf.Tensor2D;
            return x!;
          });
          inp = tf.concat(X) as tf.Tensor2D;
        }
      });

      // Readout, loss and their gradients in JS, on the values.
      const perNeuron = spikes.map((s, l) => {
        const v = s.dataSync();
        const H = shape.layers[l].size;
        const c = new Float64Array(H);
        for (let i = 0; i < v.length; i++) if (v[i] !== 0) c[i % H]++;
        return c;
      });
      const H = shape.layers[L - 1].size;
      const h2 = tf.matMul(inp, matrix(ro.w, H, K)).dataSync() as Float32Array;
      loss = batchLoss(h2, readoutShape, ro, config, batch.labels, perNeuron);
      if (!opts.gradients) return tf.scalar(0);
      const rg = readoutBackward(loss.cls.dOut, loss.readout, readoutShape, ro.alpha, ro.beta);
      const dUp = tf.matMul(matrix(rg.dh2, T * B, K), matrix(ro.w, H, K), false, true);
      const reg = spikeRegulariser(perNeuron, config.regL1, config.regL2);
      let total: tf.Scalar = tf.sum(tf.mul(inp, dUp));
      spikes.forEach((s, l) => {
        total = tf.add(total, tf.sum(tf.mul(s, tf.tensor1d(reg.dSpike[l]))));
      });
      // The readout's own gradients: ∂W_out = upᵀ·∂h2 and its decays'.
      const g = new Float32Array(params.flat.length);
      const gro = readoutTensors(params, g);
      gro.w.set(tf.matMul(inp, matrix(rg.dh2, T * B, K), true, false).dataSync() as Float32Array);
      gro.alpha.set(rg.dAlpha);
      gro.beta.set(rg.dBeta);
      gradFlat = g;
      return total;
    };

    if (!opts.gradients) {
      forward(...given);
    } else {
      // The decays that are not differentiated enter as constants (closed over), the rest as arguments.
      const diffIndex = diffNames.map((n) => names.indexOf(n));
      const grads = tf.grads((...ts: tf.Tensor[]) => forward(...names.map((n, i) => ts[diffIndex.indexOf(i)] ?? given[i])))(diffIndex.map((i) => given[i]));
      diffNames.forEach((name, i) => tensor(params, gradFlat!, name).set(grads[i].dataSync() as Float32Array));
    }
    lap('backward');
    const r = loss!.result;
    if (opts.records) r.records = { layers: layerRecords, out: loss!.readout.out };
    if (gradFlat) r.grads = gradFlat;
    result = r;
  });
  if (!result) throw new Error('runTensorBatch produced no result');
  return result;
}
