/**
 * Format 1, the first landing's session files, still read: `/weights/w1, v1, w2` (one LIF layer) with scalar τ in
 * the config, which goes through `upgradeConfig`; the weights become that one layer of today's network.
 */
import { decayOf, upgradeConfig } from '../../shared/config';
import { emptyParams, layerTensors, networkShape, readoutTensors } from '../engine/model/modelState';
import { readOptimizerHead, type NetworkPart } from './sessionNetworkRead';
import type { SessionReader } from './sessionReader';

/**
 * Format 1: one LIF layer (w1 [inputs, H], v1 [H, H] used only when the config was recurrent, w2 [H, K]) and
 * scalar τ, which become every neuron's decay in float32 as the first landing computed them.
 */
export function readNetworkV1(r: SessionReader, configValue: unknown): NetworkPart {
  const old = (typeof configValue === 'object' && configValue !== null ? configValue : {}) as { hidden?: unknown };
  const config = r.config(upgradeConfig(configValue));
  // Format 1 has no place for more layers, another neuron or pooling; such a config belongs to a newer file.
  if (config.layers.length !== 1 || config.neuron !== 'lif' || config.pool !== 1) {
    r.fail(`format_version 1 holds one LIF layer without pooling, but attribute config on / has ${config.layers.length} ${config.neuron} layer(s) with pool ${config.pool}`);
  }
  const [inputs, hidden] = r.matrixShape('weights/w1');
  const [, classes] = r.matrixShape('weights/w2');
  if (hidden !== config.layers[0].size) r.fail(`dataset /weights/w1 has ${hidden} hidden columns, config.hidden is ${String(old.hidden)}`);
  // Without pooling, w1's rows are the data's channels.
  const params = emptyParams(networkShape(config, inputs, classes));
  /** w1, v1 (only when recurrent) and w2 under `prefix` into the matching tensors of `flat`. */
  const load = (prefix: string, flat: Float32Array) => {
    const layer = layerTensors(params, 0, flat);
    layer.wIn.set(r.floats(`${prefix}/w1`, [inputs, hidden]));
    if (layer.wRec) layer.wRec.set(r.floats(`${prefix}/v1`, [hidden, hidden]));
    readoutTensors(params, flat).w.set(r.floats(`${prefix}/w2`, [hidden, classes]));
  };
  load('weights', params.flat);
  const dt = config.dtS;
  const layer = layerTensors(params, 0);
  const ro = readoutTensors(params);
  layer.alpha.fill(decayOf(config.tauSynS.lo, dt));
  layer.beta.fill(decayOf(config.tauMemS.lo, dt));
  ro.alpha.fill(decayOf(config.readoutTauSynS, dt));
  ro.beta.fill(decayOf(config.readoutTauMemS, dt));

  // The decays were not learned in format 1, so their moments stay zero.
  const optimizer = readOptimizerHead(r, config, params);
  load('optimizer/m', optimizer.m);
  load('optimizer/v', optimizer.v);
  return { config, params, optimizer, classesFrom: '/weights/w2' };
}
