/**
 * How an exported NIR graph predicts next to the engine, on a dataset: the graph run by nirSimulate.ts (NIR's
 * definitions, not the engine's code) in both reset orders, decoded as the session decodes its readout, sample
 * by sample against the engine's own predictions. `export-nir --check` prints it, so a researcher knows before
 * deploying what a backend of either order will make of the network.
 */
import type { Readout, TrainConfig } from '../../shared/config';
import { batchOf, viewOf, type BinnedDataset } from '../engine/run/binnedDataset';
import { evaluateBinned } from '../engine/training/evaluate';
import { classLoss } from '../engine/model/loss';
import type { NetworkParams } from '../engine/model/modelState';
import { NIR_RESET_ORDERS, type NirCheck } from '../../shared/workbenchApi';
import type { NirGraph } from './nirGraph';
import { NirSimulator } from './nirSimulate';

/**
 * The class a readout membrane O [(T + 1) · K] (t = 0 … T) decodes to: the engine's own scoring (loss.ts), so
 * that only the network, not the decoding, differs between the two sides of the check.
 */
export function decodeReadout(O: Float64Array, classes: number, readout: Readout, skip: number): number {
  const steps = O.length / classes - 1;
  // The label only enters the loss, which is not wanted here; class 0 is always a valid one.
  return classLoss(Float32Array.from(O), { steps, batch: 1, classes }, readout, skip, Int32Array.of(0)).predictions[0];
}

/** The neuron node whose membrane the graph's Output reports (the readout). */
function readoutNode(g: NirGraph): string {
  const outputs = Object.keys(g.nodes).filter((n) => g.nodes[n].type === 'Output');
  if (outputs.length !== 1) throw new Error(`the graph has ${outputs.length} Output nodes; the check decodes exactly one`);
  const feeds = g.edges.filter(([, b]) => b === outputs[0]).map(([a]) => a);
  const readout = feeds.find((n) => g.nodes[n].type === 'CubaLI' || g.nodes[n].type === 'LI');
  if (feeds.length !== 1 || !readout) throw new Error(`the Output ${outputs[0]} is not fed by one leaky integrator (CubaLI or LI), so there is no readout membrane to decode`);
  return readout;
}

export async function checkNir(
  g: NirGraph,
  params: NetworkParams,
  config: TrainConfig,
  data: BinnedDataset,
  opts: { samples?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<NirCheck> {
  const sim = new NirSimulator(g, config.dtS);
  const readout = readoutNode(g);
  const n = Math.min(opts.samples ?? data.samples, data.samples);
  if (!(n >= 1)) throw new Error(`${data.name}: no samples to check`);
  // The first n samples, in file order.
  if (n < data.samples) data = viewOf(data, Array.from({ length: n }, (_, i) => i));
  const engine = await evaluateBinned(params, config, data);
  const K = params.shape.classes;
  const same = new Map(NIR_RESET_ORDERS.map((o) => [o, 0]));
  const right = new Map(NIR_RESET_ORDERS.map((o) => [o, 0]));
  let engineRight = 0;
  for (let i = 0; i < n; i++) {
    const batch = batchOf(data, Int32Array.from([i]));
    const frames = { steps: config.nbSteps, channels: batch.channels, flat: batch.flat, counts: batch.counts };
    const label = data.labels[i];
    if (engine.predictions[i] === label) engineRight++;
    for (const order of NIR_RESET_ORDERS) {
      const predicted = decodeReadout(sim.run(frames, order).membranes[readout], K, config.readout, config.readoutSkip);
      if (predicted === engine.predictions[i]) same.set(order, same.get(order)! + 1);
      if (predicted === label) right.set(order, right.get(order)! + 1);
    }
    if (i % 50 === 49) {
      opts.onProgress?.(i + 1, n);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return {
    dataset: data.name,
    samples: n,
    engineAccuracy: engineRight / n,
    orders: NIR_RESET_ORDERS.map((order) => ({ order, agreement: same.get(order)! / n, accuracy: right.get(order)! / n })),
  };
}
