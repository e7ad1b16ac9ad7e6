/**
 * Writing a session file (layout: sessionLayout.ts). Writing goes to a temporary name in the destination's folder
 * and is renamed over the destination when complete, so a reader (or a run killed mid-write) never sees half a
 * file. /decays stores the exact decays beside the τ datasets other tools read.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { H5File } from '../data/hdf5Access';
import { hdf5Reason } from '../data/hdf5Access';
import { tauOf } from '../../shared/config';
import { LAYER_KIND_ATTR } from './layerKind';
import { layerTensors, readoutTensors, tensor, type Session } from '../engine/model/modelState';
import { HISTORY_KEYS, PROTOCOL_HISTORY_KEYS, SESSION_FORMAT, SESSION_FORMAT_VERSION, paramDataset, type H5Group } from './sessionLayout';
import { isDecay, neuronDefinition } from '../engine/definitions';
import { checkSessionForWrite } from './sessionWriteCheck';

/**
 * Temp files of earlier writes of `name` whose writer is gone (a process killed mid-write leaves its temp file;
 * the session itself is untouched, since only a finished temp is renamed over it): removed, so nothing
 * half-written outlives the next save. A live writer's temp (another process saving now) is left alone.
 */
function removeStaleTemps(folder: string, name: string): void {
  const prefix = `.${name}.`;
  for (const f of readdirSync(folder)) {
    if (!f.startsWith(prefix) || !f.endsWith('.tmp')) continue;
    const pid = Number(f.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(folder, f), { force: true });
    }
  }
}

/** Writes `session` to `path` atomically (temp file in the same folder, then rename). */
export async function writeSession(path: string, session: Session): Promise<void> {
  checkSessionForWrite(session);
  const M = await h5wasm.ready;
  const target = resolve(path);
  // h5wasm reports a missing folder only as HDF5 diagnostics on stderr and a late, unrelated-looking error.
  const folder = dirname(target);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`cannot write session ${path}: folder ${folder} does not exist`);
  }
  removeStaleTemps(folder, basename(target));
  const temp = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let file: H5File | undefined;
  // HDF5 failures (disk full, permissions) become exceptions instead of diagnostics on stderr.
  M.activate_throwing_error_handler();
  try {
    file = new h5wasm.File(temp, 'w');
    fillSessionFile(file, session);
    file.close();
    file = undefined;
    renameSync(temp, target);
  } catch (err) {
    if (file) {
      try {
        file.close();
      } catch {
        // The write already failed; that error is the one to report.
      }
    }
    rmSync(temp, { force: true });
    throw new Error(`cannot write session ${path}: ${hdf5Reason(err)}`);
  } finally {
    M.deactivate_throwing_error_handler();
  }
}

/** The group at `path` under `root`, creating the missing ones on the way. */
function groupAt(root: H5Group, path: string): H5Group {
  let g = root;
  for (const part of path.split('/')) {
    const next = g.get(part);
    g = next instanceof h5wasm.Group ? next : g.create_group(part);
  }
  return g;
}

function writeFloats(root: H5Group, path: string, data: Float32Array, shape: number[]): void {
  const slash = path.lastIndexOf('/');
  const g = slash < 0 ? root : groupAt(root, path.slice(0, slash));
  g.create_dataset({ name: path.slice(slash + 1), data: Float32Array.from(data), shape, dtype: '<f' });
}

function fillSessionFile(f: H5File, s: Session): void {
  const { params, config } = s;
  const { shape } = params;
  const dt = config.dtS;
  const taus = (decays: Float32Array) => Float32Array.from(decays, (d) => tauOf(d, dt));

  f.create_attribute('format', SESSION_FORMAT);
  f.create_attribute('format_version', SESSION_FORMAT_VERSION, null, '<i');
  f.create_attribute('epochs_done', s.epochsDone, null, '<i');
  f.create_attribute('channels', shape.channels, null, '<i');
  f.create_attribute('config', JSON.stringify(config));

  shape.layers.forEach((ls, l) => {
    const t = layerTensors(params, l);
    const w = `weights/layer${l}`;
    writeFloats(f, `${w}/w_in`, t.wIn, [ls.inputs, ls.size]);
    groupAt(f, w).create_attribute(LAYER_KIND_ATTR, ls.kind);
    if (t.wRec) writeFloats(f, `${w}/w_rec`, t.wRec, [ls.size, ls.size]);
    // The kind's parameters by its definition: decays as τ (and exactly under /decays), the rest by name.
    const defs = neuronDefinition(ls).params;
    for (const p of defs) writeFloats(f, `${w}/${paramDataset(p)}`, isDecay(p) ? taus(t.params[p.name]) : t.params[p.name], [ls.size]);
    for (const p of defs) if (isDecay(p)) writeFloats(f, `decays/layer${l}/${p.name}`, t.params[p.name], [ls.size]);
    // Learnable delays (steps), as the reference reads them.
    if (t.recDelay) writeFloats(f, `${w}/rec_delay`, t.recDelay, [ls.size]);
    if (t.ffDelay) writeFloats(f, `${w}/ff_delay`, t.ffDelay, [ls.size]);
  });
  const ro = readoutTensors(params);
  const K = shape.classes;
  writeFloats(f, 'weights/readout/w', ro.w, [shape.layers[shape.layers.length - 1].size, K]);
  writeFloats(f, 'weights/readout/tau_syn', taus(ro.alpha), [K]);
  writeFloats(f, 'weights/readout/tau_mem', taus(ro.beta), [K]);
  writeFloats(f, 'decays/readout/alpha', ro.alpha, [K]);
  writeFloats(f, 'decays/readout/beta', ro.beta, [K]);

  const opt = f.create_group('optimizer');
  opt.create_attribute('name', s.optimizer.name);
  opt.create_attribute('step', s.optimizer.step, null, '<d');
  for (const key of ['m', 'v'] as const) {
    for (const e of params.layout) writeFloats(opt, `${key}/${e.name}`, tensor(params, s.optimizer[key], e.name), e.shape);
  }

  const hist = f.create_group('history');
  for (const key of [...HISTORY_KEYS, ...PROTOCOL_HISTORY_KEYS]) {
    // No validation set: NaN in the file, null in the record.
    const column = s.history.map((r) => r[key] ?? NaN);
    if (key === 'epoch') hist.create_dataset({ name: key, data: Int32Array.from(column), shape: [column.length], dtype: '<i' });
    else hist.create_dataset({ name: key, data: Float64Array.from(column), shape: [column.length], dtype: '<d' });
  }

  f.create_attribute('schedule', JSON.stringify(s.schedule));
  f.create_attribute('validation', JSON.stringify(s.validation));
  if (s.selected) {
    const sel = f.create_group('selected');
    sel.create_attribute('epoch', s.selected.epoch, null, '<i');
    for (const e of params.layout) writeFloats(sel, e.name, tensor(s.selected.params, s.selected.params.flat, e.name), e.shape);
  }

  const meta = f.create_group('meta');
  meta.create_attribute('created', s.meta.created);
  meta.create_attribute('app_version', s.meta.appVersion);
  meta.create_attribute('backend', s.meta.backend);
  meta.create_attribute('dataset_name', s.meta.dataset.name);
  meta.create_attribute('dataset_fingerprint', s.meta.dataset.fingerprint);
  meta.create_attribute('train_samples', s.meta.dataset.trainSamples, null, '<i');
  meta.create_attribute('test_samples', s.meta.dataset.testSamples, null, '<i');
  meta.create_attribute('class_names', s.meta.classNames);
  if (s.meta.speakerNames && s.meta.speakerNames.length > 0) meta.create_attribute('speaker_names', s.meta.speakerNames);
}
