/**
 * Reading a format-2 session's network: config, parameters and optimizer moments (layout: sessionLayout.ts).
 * Decays come from `/decays` when present and otherwise from the τ datasets in float32 (files written by other
 * tools); when both are there they must agree, so a τ edited elsewhere is not silently overridden by stale decays.
 */
import { decayOf, OPTIMIZERS, upgradeConfig, type OptimizerName, type TrainConfig } from '../../shared/config';
import { LAYER_KIND_ATTR, layerKind, withArticle } from './layerKind';
import { emptyParams, layerTensors, networkShape, readoutTensors, tensor, type NetworkParams, type OptimizerState } from '../engine/model/modelState';
import { DECAY_TAU_TOLERANCE, READOUT_TAUS, paramDataset, type H5Group } from './sessionLayout';
import { isDecay, neuronDefinition } from '../engine/definitions';
import type { SessionReader } from './sessionReader';

/** What the two formats store differently; history and meta are read the same way for both. */
export interface NetworkPart {
  config: TrainConfig;
  params: NetworkParams;
  optimizer: OptimizerState;
  /** The dataset whose columns are the classes, for messages about class_names. */
  classesFrom: string;
}

/** The optimizer's attributes; the moments are filled in by the caller, laid out as `params`. */
export function readOptimizerHead(r: SessionReader, config: TrainConfig, params: NetworkParams): OptimizerState {
  const opt = r.group('optimizer');
  const name = r.stringAttr(opt, '/optimizer', 'name');
  if (!OPTIMIZERS.includes(name as OptimizerName)) r.fail(`attribute name on /optimizer is "${name}", expected one of ${OPTIMIZERS.join(', ')}`);
  if (name !== config.optimizer) r.fail(`attribute name on /optimizer is "${name}" but config.optimizer is "${config.optimizer}"`);
  const step = r.attr(opt, '/optimizer', 'step');
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    r.fail(`attribute step on /optimizer must be an integer ≥ 0 (got ${JSON.stringify(step)})`);
  }
  const n = params.flat.length;
  return { name: name as OptimizerName, step, m: new Float32Array(n), v: new Float32Array(n) };
}

export function readNetworkV2(r: SessionReader, configValue: unknown): NetworkPart {
  const config = r.config(upgradeConfig(configValue));
  const root = r.f as H5Group;
  const channels = r.intAttr(root, '/', 'channels', 1);
  const [lastRows, classes] = r.matrixShape('weights/readout/w');

  // The file's layers must be the config's: same count, each of the config's kind and recurrence.
  r.group('weights');
  let stored = 0;
  while (r.has(`weights/layer${stored}`)) stored++;
  if (stored !== config.layers.length) {
    r.fail(`/weights has ${stored} hidden layer group${stored === 1 ? '' : 's'} (layer0…), config.layers has ${config.layers.length}`);
  }
  config.layers.forEach((lc, l) => {
    const g = `weights/layer${l}`;
    const group = r.group(g);
    const told = layerKind(g, group.attrs[LAYER_KIND_ATTR]?.json_value, (name) => r.has(`${g}/${name}`));
    if ('error' in told) r.fail(told.error);
    if (told.kind !== config.neuron) r.fail(`/${g} holds ${withArticle(told.kind)} layer (${told.toldBy}) but config.neuron is "${config.neuron}"`);
    const hasRec = r.has(`${g}/w_rec`);
    if (hasRec !== lc.recurrent) {
      r.fail(hasRec ? `dataset /${g}/w_rec is present but config.layers.${l}.recurrent is false` : `missing dataset /${g}/w_rec (config.layers.${l}.recurrent is true)`);
    }
  });
  const last = config.layers[config.layers.length - 1].size;
  if (lastRows !== last) r.fail(`dataset /weights/readout/w has ${lastRows} rows, the last hidden layer has ${last} neurons`);

  const shape = networkShape(config, channels, classes);
  const params = emptyParams(shape);
  const dt = config.dtS;
  const useDecays = r.has('decays');
  if (useDecays) r.group('decays');

  /** Fills each decay from /decays or, without it, from exp(−dt/τ) of its τ dataset. */
  const readDecays = (weights: string, decays: string, parts: { tau: string; name: string; target: Float32Array }[]) => {
    parts.forEach(({ tau, name, target }) => {
      const tauName = `${weights}/${tau}`;
      const taus = r.taus(tauName, target.length);
      const derived = Float32Array.from(taus, (t) => decayOf(t, dt));
      if (!useDecays) {
        target.set(derived);
        return;
      }
      const decayName = `${decays}/${name}`;
      const exact = r.floats(decayName, [target.length]);
      const k = exact.findIndex((d, j) => Math.abs(d - derived[j]) > DECAY_TAU_TOLERANCE);
      if (k >= 0) {
        r.fail(
          `dataset /${tauName}[${k}] = ${taus[k]} s gives the decay ${derived[k]}, but /${decayName}[${k}] is ${exact[k]}` +
            ' (τ edited by another tool? remove /decays to use the τ)',
        );
      }
      target.set(exact);
    });
  };

  shape.layers.forEach((ls, l) => {
    const t = layerTensors(params, l);
    const g = `weights/layer${l}`;
    t.wIn.set(r.floats(`${g}/w_in`, [ls.inputs, ls.size]));
    if (t.wRec) t.wRec.set(r.floats(`${g}/w_rec`, [ls.size, ls.size]));
    const defs = neuronDefinition(ls).params;
    readDecays(g, `decays/layer${l}`, defs.filter(isDecay).map((p) => ({ tau: paramDataset(p), name: p.name, target: t.params[p.name] })));
    for (const p of defs) if (!isDecay(p)) t.params[p.name].set(r.floats(`${g}/${paramDataset(p)}`, [ls.size]));
    // The delays the config asks for must be in the file, and none it does not.
    for (const [name, want, into] of [['rec_delay', t.recDelay !== null, t.recDelay], ['ff_delay', t.ffDelay !== null, t.ffDelay]] as const) {
      const has = r.has(`${g}/${name}`);
      if (has !== want) r.fail(has ? `dataset /${g}/${name} is present but the config has no ${name === 'rec_delay' ? 'recurrent' : 'feed-forward'} delays` : `missing dataset /${g}/${name} (the config has ${name === 'rec_delay' ? 'recurrent' : 'feed-forward'} delays)`);
      if (into) into.set(r.floats(`${g}/${name}`, [ls.size]));
    }
  });
  const ro = readoutTensors(params);
  ro.w.set(r.floats('weights/readout/w', [last, classes]));
  readDecays('weights/readout', 'decays/readout', [
    { tau: READOUT_TAUS[0], name: 'alpha', target: ro.alpha },
    { tau: READOUT_TAUS[1], name: 'beta', target: ro.beta },
  ]);

  const optimizer = readOptimizerHead(r, config, params);
  for (const key of ['m', 'v'] as const) {
    for (const e of params.layout) tensor(params, optimizer[key], e.name).set(r.floats(`optimizer/${key}/${e.name}`, e.shape));
  }
  return { config, params, optimizer, classesFrom: '/weights/readout/w' };
}
