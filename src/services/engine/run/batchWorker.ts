/**
 * Entry of a worker thread of the batch pool (workerPool.ts): runs the fused forward and backward stages
 * (fusedNetwork.ts) on its share of each batch with its own kernel instance. Loads no tfjs.
 * Every request gets exactly one reply; a failure is replied as { type: 'error' } and the pool rejects.
 */
import { parentPort } from 'node:worker_threads';
import { batchOf, type BinnedDataset } from './binnedDataset';
import { fusedForward, type FusedForward } from '../cpu/fusedNetwork';
import { emptyParams, type NetworkParams } from '../model/modelState';
import type { PoolReply, PoolRequest, SharedSlots } from './workerPool';

if (!parentPort) throw new Error('batchWorker runs as a worker thread of the batch pool');
const port = parentPort;

let slots: SharedSlots | null = null;
let params: NetworkParams | null = null;
let simd = true;
const datasets = new Map<number, BinnedDataset>();
let pendingBackward: FusedForward['backward'] | null = null;

function handle(msg: PoolRequest): PoolReply {
  switch (msg.type) {
    case 'init':
      slots = msg.slots;
      // The parameters are read in place from the shared vector the pool writes before every batch.
      params = emptyParams(msg.shape, msg.slots.params);
      simd = msg.simd;
      return { type: 'ok' };
    case 'dataset':
      datasets.set(msg.id, msg.ds);
      return { type: 'ok' };
    case 'forward':
    case 'forwardBatch': {
      const ds = msg.type === 'forward' ? datasets.get(msg.id) : null;
      if (!slots || !params || (msg.type === 'forward' && !ds)) throw new Error('forward before init or dataset');
      const fw = fusedForward({
        params,
        config: msg.config,
        batch: msg.type === 'forward' ? batchOf(ds!, msg.indices) : msg.batch,
        opts: { gradients: msg.gradients, allGradients: msg.allGradients, dropout: msg.dropout, delaySigma: msg.delaySigma },
        simd,
        lossDivisor: msg.lossDivisor,
      });
      pendingBackward = fw.backward ?? null;
      const r = fw.result;
      return { type: 'forwarded', nll: r.nll, correct: r.correct, predictions: r.predictions, scores: r.scores, perNeuron: fw.perNeuron };
    }
    case 'backward': {
      if (!slots || !pendingBackward) throw new Error('backward without a forward pass that kept gradients');
      const g = pendingBackward(msg.dSpike);
      pendingBackward = null;
      slots.grads.set(g);
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
