/**
 * The seed model is the model it was before the engine was generalised to layered models. The numbers below
 * were recorded with the first landing's engine (commit 27b8796: `NetworkWeights` w1/v1/w2, `initWeights`),
 * on the same small problem, configs and seeds:
 * - the initial weights (SHA-256 of their bytes) and everything forward (the first batch's loss and spike
 *   count, evaluate()'s loss and predictions on the initial weights) come out bit for bit;
 * - the gradients agree to float rounding, not bit for bit: the decays are now float32 parameters (per neuron
 *   and per class) where the first landing used float64 scalars in the backward pass, so sums round
 *   differently (both agree with PyTorch's golden files to 1e-4). The training trajectory therefore follows the
 *   first landing's to 1e-7 over the first batches (later, a flipped spike lets the two drift apart).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../../../src/shared/config';
import type { TrainEvent } from '../../../../src/shared/events';
import { batchOrder } from '../../../../src/services/data/batches';
import { binSpec } from '../../../../src/services/data/binning';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { batchOf, binDataset } from '../../../../src/services/engine/run/binnedDataset';
import { evaluate } from '../../../../src/services/engine/training/evaluate';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { hasParam, networkShape, tensor } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { train } from '../../../../src/services/engine/training/trainer';
import { base, testSet, trainSet } from '../smallProblem';

const sha = (a: Float32Array) => createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const absSum = (a: Float32Array) => a.reduce((s, x) => s + Math.abs(x), 0);

interface Pin {
  name: string;
  config: TrainConfig;
  init: { w_in: string; w_rec: string | null; w_out: string };
  first: { loss: number; spikes: number; gradAbs: { w_in: number; w_rec: number; w_out: number } };
  evaluation: { loss: number; accuracy: number; predictions: string };
  /** The first five batch losses of a training run. */
  losses: number[];
}

const PINS: Pin[] = [
  {
    name: 'recurrent LIF 24, max readout, adam',
    config: base,
    init: {
      w_in: '12302d1736fb700d26870c0ab721cf49f89f1b8190b373801c10c79f368426f2',
      w_rec: '86ecf98653789d5abda8d1fa038ea12e59d78ebe5779cb73821f2bb9c77bea42',
      w_out: '606614a362e78a548b41b1a81a787a2dfb8a3f4c061d32f0d86a8d988814248d',
    },
    first: { loss: 2.094713852402654, spikes: 1423, gradAbs: { w_in: 12.41986831078034, w_rec: 1.4221603977664112, w_out: 100.45519896224141 } },
    evaluation: { loss: 1.8815643314745898, accuracy: 0.225, predictions: '2222222222022222222222202222222222202222' },
    losses: [2.094713852402654, 1.4693032145808322, 1.3131589419862097, 1.3167017538262074, 1.2271530370802979],
  },
  {
    name: 'feed-forward LIF 24, mean readout, adamax',
    config: { ...base, layers: [{ size: 24, recurrent: false, dropout: 0 }], readout: 'mean', optimizer: 'adamax' },
    init: {
      w_in: '12302d1736fb700d26870c0ab721cf49f89f1b8190b373801c10c79f368426f2',
      w_rec: null,
      w_out: '5a6a4279d52e65e4493dddcc83071e525f1eb943dfda76a16efedb962e62b1f3',
    },
    first: { loss: 1.525005327325637, spikes: 1390, gradAbs: { w_in: 11.62598923103814, w_rec: 0, w_out: 47.18207347416319 } },
    evaluation: { loss: 1.6738963803754099, accuracy: 0.225, predictions: '0202000202300002000200020030020200023232' },
    losses: [1.525005327325637, 1.6664046154670618, 1.2150874839589783, 1.0708384643722861, 0.8380762867785423],
  },
];

describe('the seed model is unchanged', () => {
  for (const backendName of ['wasm', 'cpu'] as const) {
    for (const pin of PINS) {
      it(`${pin.name} on ${backendName}: the first landing's weights and forward pass bit for bit, its gradients to rounding`, async () => {
        await selectBackend(backendName);
        const config = pin.config;
        const params = initNetwork(networkShape(config, 40, 4), config);
        expect(sha(tensor(params, params.flat, 'layer0/w_in'))).toBe(pin.init.w_in);
        if (pin.init.w_rec) expect(sha(tensor(params, params.flat, 'layer0/w_rec'))).toBe(pin.init.w_rec);
        else expect(hasParam(params, 'layer0/w_rec')).toBe(false);
        expect(sha(tensor(params, params.flat, 'readout/w'))).toBe(pin.init.w_out);

        const order = batchOrder(trainSet.samples, { batchSize: config.batchSize, shuffle: true, seed: config.seed, epoch: 1 });
        const r = runBatch(params, config, batchOf(binDataset(trainSet, binSpec(config)), order[0]), { gradients: true });
        expect(r.loss).toBe(pin.first.loss);
        expect(r.spikesPerLayer).toEqual([pin.first.spikes]);
        const names = { w_in: 'layer0/w_in', w_rec: 'layer0/w_rec', w_out: 'readout/w' } as const;
        for (const [k, name] of Object.entries(names) as [keyof typeof names, string][]) {
          if (!hasParam(params, name)) continue;
          const got = absSum(tensor(params, r.grads!, name));
          expect(Math.abs(got - pin.first.gradAbs[k]) / pin.first.gradAbs[k], name).toBeLessThan(1e-5);
        }

        const ev = await evaluate(params, config, testSet);
        expect(ev.loss).toBe(pin.evaluation.loss);
        expect(ev.accuracy).toBe(pin.evaluation.accuracy);
        expect(Array.from(ev.predictions).join('')).toBe(pin.evaluation.predictions);

        const gen = train({ config: { ...config, epochs: 1 }, train: trainSet, test: testSet, backend: { name: backendName, tfBackend: backendName, skipped: [] } });
        const losses: number[] = [];
        for (let step = await gen.next(); !step.done; step = await gen.next()) {
          const e: TrainEvent = step.value;
          if (e.type === 'batch') losses.push(e.loss);
        }
        expect(losses[0]).toBe(pin.losses[0]);
        losses.slice(0, 5).forEach((l, i) => expect(Math.abs(l - pin.losses[i]) / pin.losses[i], `batch ${i + 1}`).toBeLessThan(1e-7));
      });
    }
  }
});
