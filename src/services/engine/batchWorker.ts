/**
 * Entry of a worker thread of the batch pool (workerPool.ts): runs the fused forward and backward stages
 * (fusedBatch.ts) on its share of each batch with its own kernel instance. Loads no tfjs.
 * Every request gets exactly one reply; a failure is replied as { type: 'error' } and the pool rejects.
 */
import { parentPort } from 'node:worker_threads';
import { decayFactors } from '../../shared/config';
import { batchOf, type BinnedDataset } from './binnedDataset';
import { fusedForward, type FusedForward } from './fusedBatch';
import type { PoolReply, PoolRequest, SharedSlots } from './workerPool';

if (!parentPort) throw new Error('batchWorker runs as a worker thread of the batch pool');
const port = parentPort;

let slots: SharedSlots | null = null;
let shape = { inputs: 0, hidden: 0, classes: 0 };
let simd = true;
const datasets = new Map<number, BinnedDataset>();
let pendingBackward: FusedForward['backward'] | null = null;

function handle(msg: PoolRequest): PoolReply {
  switch (msg.type) {
    case 'init':
      slots = msg.slots;
      shape = { inputs: msg.inputs, hidden: msg.hidden, classes: msg.classes };
      simd = msg.simd;
      return { type: 'ok' };
    case 'dataset':
      datasets.set(msg.id, msg.ds);
      return { type: 'ok' };
    case 'forward': {
      const ds = datasets.get(msg.id);
      if (!slots || !ds) throw new Error('forward before init or dataset');
      const { config } = msg;
      const { alpha, beta } = decayFactors(config);
      const weights = { ...shape, w1: slots.w1, v1: slots.v1, w2: slots.w2 };
      const fw = fusedForward({
        weights,
        config,
        batch: batchOf(ds, msg.indices),
        opts: { gradients: msg.gradients },
        path: 'sparse',
        lif: { alpha, beta, threshold: config.threshold, surrogateScale: config.surrogateScale },
        lap: () => {},
        simd,
        lossDivisor: msg.lossDivisor,
      });
      pendingBackward = fw.backward ?? null;
      const r = fw.result;
      return { type: 'forwarded', nll: r.nll, correct: r.correct, predictions: r.predictions, scores: r.scores, hiddenSpikes: r.hiddenSpikes, perNeuron: fw.perNeuron };
    }
    case 'backward': {
      if (!slots || !pendingBackward) throw new Error('backward without a forward pass that kept gradients');
      const g = pendingBackward(msg.dSpike);
      pendingBackward = null;
      slots.gw1.set(g.w1);
      slots.gv1.set(g.v1);
      slots.gw2.set(g.w2);
      return { type: 'ok' };
    }
  }
}

port.on('message', (msg: PoolRequest) => {
  let reply: PoolReply;
  try {
    reply = handle(msg);
  } catch (e) {
    reply = { type: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
