/**
 * Sessions to NIR files and back (nirGraph.ts has the mapping). An imported graph becomes a session of zero
 * epochs (no history, no optimizer state to speak of): its weights evaluate, and it trains further with
 * `train --resume` as any session does. What NIR does not carry (the readout's decoding, binning, the
 * protocol) comes from the defaults or the options given.
 */
import { makeConfig, type TrainConfig } from '../../shared/config';
import type { Session } from '../engine/model/modelState';
import { initialScheduleState } from '../engine/training/lrSchedule';
import { createOptimizerState } from '../engine/training/optimizer';
import { APP_VERSION } from '../sessions/sessionMeta';
import { fromNir, toNir } from './nirGraph';
import { readNir, writeNir } from './nirFile';

export async function exportSessionNir(session: Session, out: string, which: 'last' | 'selected' = 'last'): Promise<{ nodes: number; edges: number }> {
  const params = which === 'selected' ? session.selected?.params : session.params;
  if (!params) throw new Error('the session has no selected epoch yet (it holds no completed epoch)');
  const g = toNir(params, session.config);
  await writeNir(out, g);
  return { nodes: Object.keys(g.nodes).length, edges: g.edges.length };
}

/** `base`: what NIR does not say (T, max time, binning, readout decoding); the graph gives the rest. */
export async function importNirSession(path: string, base: Partial<TrainConfig> = {}): Promise<Session> {
  const net = fromNir(await readNir(path));
  const { params } = net;
  const config = makeConfig({
    ...base,
    neuron: 'lif',
    layers: params.shape.layers.map((l) => ({ size: l.size, recurrent: l.recurrent, dropout: 0 })),
    pool: params.shape.pool,
    dtS: net.dtS,
    threshold: net.threshold,
    tauSynS: net.tauSynS,
    tauMemS: net.tauMemS,
    readoutTauSynS: net.readoutTauSynS,
    readoutTauMemS: net.readoutTauMemS,
  });
  return {
    config,
    params,
    optimizer: createOptimizerState(config.optimizer, params),
    history: [],
    epochsDone: 0,
    selected: null,
    schedule: initialScheduleState(config, config.learningRate),
    validation: { kind: 'none', trainSamples: 0, validationSamples: 0, seed: null },
    meta: {
      created: new Date().toISOString(),
      appVersion: APP_VERSION,
      backend: 'cpu',
      dataset: { name: `imported from ${path}`, fingerprint: 'nir-import', trainSamples: 0, testSamples: 0 },
      classNames: Array.from({ length: params.shape.classes }, (_, k) => String(k)),
    },
  };
}
