/**
 * Session files: one HDF5 file per training session, written with h5wasm and readable by h5py.
 *
 * Layout (format "spiking-workbench-session", version 2; H_l = neurons of hidden layer l, K = classes):
 *
 *     /                              attrs: format = "spiking-workbench-session", format_version = 2 (int32),
 *                                           epochs_done (int32), channels (int32; the data's channels
 *                                           before pooling, which w_in's ceil(channels/pool) rows cannot tell),
 *                                           config = the TrainConfig as a JSON string (keys and units as in
 *                                                    src/shared/config.ts, times in seconds)
 *     /weights/layer{l}              attrs: kind = the layer's neuron kind ("lif" | "adlif"; files before it lack
 *                                           it and are told by their datasets, as below)
 *     /weights/layer{l}/w_in         float32 [in_l, H_l]  x·W orientation; in_0 = ceil(channels/pool), in_l = H_{l−1}
 *     /weights/layer{l}/w_rec        float32 [H_l, H_l]   only for a recurrent layer: += S_{t−1} · W_rec
 *     /weights/layer{l}/tau_syn, tau_mem            float32 [H_l]  lif, seconds: α = exp(−dt/τ_syn), β = exp(−dt/τ_mem)
 *     /weights/layer{l}/tau_mem, tau_adapt, a, b    float32 [H_l]  adlif, seconds: α = exp(−dt/τ_mem), β = exp(−dt/τ_adapt)
 *     /weights/readout/w             float32 [H_last, K]
 *     /weights/readout/tau_syn, tau_mem  float32 [K]      seconds
 *     /decays/layer{l}/alpha, beta   float32 [H_l]        the exact decays (τ = −dt/ln(decay) does not round-trip
 *     /decays/readout/alpha, beta    float32 [K]           bit-exactly, and resume must continue bit-identically)
 *     /optimizer                     attrs: name ("adam" | "adamax"), step (float64; update steps taken)
 *     /optimizer/m/<param>           float32, one per parameter of the layout (`layer0/w_in`, …, `readout/beta`),
 *     /optimizer/v/<param>           shaped like it: first moments; second moments (adam) or infinity norms (adamax)
 *     /history/<key>                 one dataset per EpochRecord key, [epochs_done] each: epoch (int32),
 *                                    train_loss, train_acc, val_loss, val_acc (NaN without validation),
 *                                    test_loss, test_acc, lr, train_s, eval_s (float64)
 *     /                              attrs (training protocol): schedule = the learning-rate schedule's state,
 *                                    validation = how the validation set was made (both JSON strings)
 *     /selected/<param>              float32, shaped as the tensor: the selected epoch's parameters (best
 *                                    validation accuracy); attr epoch (int32). /weights holds the last epoch's.
 *     /meta                          attrs: created (ISO 8601), app_version, backend, dataset_name,
 *                                           dataset_fingerprint, train_samples, test_samples (int32),
 *                                           class_names (array of strings, one per class),
 *                                           speaker_names (optional: the training data's, by speaker id)
 *
 * Files written before the training protocol lack its parts: they read as trained on the whole training
 * file at a constant rate (no validation columns, the last epoch selected).
 *
 * `/weights/*` are exactly what `snn_reference.py --eval-session` reads (its `read_session`), which tells the
 * kind of a layer by its datasets (`a` present → adlif); the attribute `kind` says it outright for every other
 * reader and must agree with the datasets (layerKind.ts). In h5py: `w = f["weights/layer0/w_in"][()]`,
 * `cfg = json.loads(f.attrs["config"])`, `acc = f["history/test_acc"][()]`.
 *
 * Reading uses `/decays` when present and otherwise derives the decays from the τ datasets in float32 (files
 * written by other tools); when both are there they must agree, so a τ edited elsewhere is not silently
 * overridden by stale decays. Format 1 (`/weights/w1, v1, w2`: one LIF layer, scalar τ in the config) is still
 * read: the config goes through `upgradeConfig` and the weights become that one layer.
 *
 * Writing goes to a temporary name in the destination's folder and is renamed over the destination when
 * complete, so a reader (or a run killed mid-write) never sees half a file. Reading checks every dataset's
 * presence, type, shape and finiteness, and the config and the layout it implies, and refuses a broken file
 * with a message naming file and dataset.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { H5File } from '../data/hdf5Access';
import { hdf5Reason, SpikeFileError, withHdf5File } from '../data/hdf5Access';
import { configErrors, decayOf, OPTIMIZERS, tauOf, upgradeConfig, type OptimizerName, type TrainConfig } from '../../shared/config';
import { BACKEND_NAMES, type BackendName, type EpochRecord } from '../../shared/events';
import { validationSplitInfoErrors, type ValidationSplitInfo } from '../../shared/validation';
import { LAYER_KIND_ATTR, layerKind, withArticle } from './layerKind';
import { initialScheduleState, scheduleStateErrors, type ScheduleState } from '../engine/training/lrSchedule';
import {
  describeShape,
  emptyParams,
  flatLength,
  layerTensors,
  networkShape,
  paramLayout,
  readoutTensors,
  sameShape,
  tensor,
  type NetworkParams,
  type NetworkShape,
  type OptimizerState,
  type Session,
} from '../engine/model/modelState';

export const SESSION_FORMAT = 'spiking-workbench-session';
export const SESSION_FORMAT_VERSION = 2;

const HISTORY_KEYS = ['epoch', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'train_s', 'eval_s'] as const;
/** History columns of the training protocol; files from before it lack them (no validation, constant rate). */
const PROTOCOL_HISTORY_KEYS = ['val_loss', 'val_acc', 'lr'] as const;

/**
 * How far a stored decay may be from exp(−dt/τ) of its stored τ. Writing τ in float32 and deriving the decay
 * again moves it by a few float32 ulps (≤ 1.2e-7 each below 1); any edit of τ by hand moves it by far more.
 */
const DECAY_TAU_TOLERANCE = 1e-6;

/** The τ datasets of each kind, in the order of the decays they stand for (α first, then β). */
const TAU_NAMES = { lif: ['tau_syn', 'tau_mem'], adlif: ['tau_mem', 'tau_adapt'] } as const;
const READOUT_TAUS = ['tau_syn', 'tau_mem'] as const;

/** A session file that cannot be used; the message names the file and the dataset or attribute at fault. */
export class SessionFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`session file ${file}: ${detail}`);
    this.name = 'SessionFileError';
  }
}

type H5Group = InstanceType<typeof h5wasm.Group>;

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

/** The index of the first NaN or ±Inf, or −1. */
function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

function checkSessionForWrite(s: Session): void {
  const fail = (detail: string): never => {
    throw new Error(`cannot write session: ${detail}`);
  };
  const errors = configErrors(s.config);
  if (errors.length) fail(`invalid config: ${errors.map((e) => e.message).join('; ')}`);
  const { params, optimizer } = s;
  let expected: NetworkShape;
  try {
    expected = networkShape(s.config, params.shape.channels, params.shape.classes);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!sameShape(params.shape, expected)) {
    fail(`the parameters are for a network ${describeShape(params.shape)}, the config gives ${describeShape(expected)}`);
  }
  // The file stores tensors by name, so the layout must be the one the reader will rebuild from the shape.
  const layout = paramLayout(expected);
  if (JSON.stringify(params.layout) !== JSON.stringify(layout)) fail(`the parameter layout is not the one of a network ${describeShape(expected)}`);
  const n = flatLength(layout);
  if (params.flat.length !== n) fail(`the parameter vector has ${params.flat.length} values, expected ${n}`);
  if (optimizer.name !== s.config.optimizer) fail(`optimizer is "${optimizer.name}" but config.optimizer is "${s.config.optimizer}"`);
  for (const key of ['m', 'v'] as const) {
    if (optimizer[key].length !== n) fail(`optimizer ${key} has ${optimizer[key].length} values, expected ${n}`);
  }
  // A NaN written now would make the file unreadable later (the reader refuses it), so refuse it here.
  for (const [what, flat] of [['parameter', params.flat], ['optimizer m', optimizer.m], ['optimizer v', optimizer.v]] as const) {
    const i = firstNonFinite(flat);
    if (i >= 0) {
      const e = layout.find((x) => i >= x.offset && i < x.offset + x.length)!;
      fail(`${what} ${e.name} has the non-finite value ${flat[i]} at index ${i - e.offset}`);
    }
  }
  // τ = −dt/ln(decay) is a finite positive time only for 0 < decay < 1.
  for (const e of layout) {
    if (!e.name.endsWith('/alpha') && !e.name.endsWith('/beta')) continue;
    const d = tensor(params, params.flat, e.name);
    const i = d.findIndex((x) => !(x > 0 && x < 1));
    if (i >= 0) fail(`decay ${e.name}[${i}] is ${d[i]}; a decay must lie strictly between 0 and 1 to have a time constant`);
  }
  if (s.history.length !== s.epochsDone) fail(`history has ${s.history.length} epochs, epochsDone is ${s.epochsDone}`);
  if (s.selected) {
    if (!(Number.isInteger(s.selected.epoch) && s.selected.epoch >= 1 && s.selected.epoch <= s.epochsDone)) fail(`selected epoch ${s.selected.epoch} is not one of the ${s.epochsDone} epochs`);
    if (s.selected.params.flat.length !== n || JSON.stringify(s.selected.params.layout) !== JSON.stringify(layout)) fail('the selected parameters are not laid out as the network');
    const i = firstNonFinite(s.selected.params.flat);
    if (i >= 0) fail(`the selected parameters have the non-finite value ${s.selected.params.flat[i]} at index ${i}`);
  }
  const sched = scheduleStateErrors(s.schedule);
  if (sched.length) fail(`invalid schedule state: ${sched.map((e) => e.message).join('; ')}`);
  const split = validationSplitInfoErrors(s.validation);
  if (split.length) fail(`invalid validation split: ${split.map((e) => e.message).join('; ')}`);
  if (s.meta.classNames.length !== params.shape.classes) fail(`${s.meta.classNames.length} class names for ${params.shape.classes} classes`);
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
    const [alphaTau, betaTau] = TAU_NAMES[ls.kind];
    writeFloats(f, `${w}/${alphaTau}`, taus(t.alpha), [ls.size]);
    writeFloats(f, `${w}/${betaTau}`, taus(t.beta), [ls.size]);
    if (t.a && t.b) {
      writeFloats(f, `${w}/a`, t.a, [ls.size]);
      writeFloats(f, `${w}/b`, t.b, [ls.size]);
    }
    writeFloats(f, `decays/layer${l}/alpha`, t.alpha, [ls.size]);
    writeFloats(f, `decays/layer${l}/beta`, t.beta, [ls.size]);
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

/** Reads and checks a session file; throws {@link SessionFileError} naming the file and what is wrong. */
export async function readSession(path: string): Promise<Session> {
  try {
    // withHdf5File checks existence, signature and truncation first and turns HDF5 failures into exceptions.
    return await withHdf5File(path, (f) => parseSession(new SessionReader(path, f)));
  } catch (err) {
    if (err instanceof SpikeFileError) throw new SessionFileError(path, err.detail);
    throw err;
  }
}

/** Typed access to a session file's parts, each failure naming the dataset or attribute. */
class SessionReader {
  constructor(
    readonly path: string,
    readonly f: H5File,
  ) {}

  fail(detail: string): never {
    throw new SessionFileError(this.path, detail);
  }

  has(name: string): boolean {
    return this.f.get(name) !== null;
  }

  group(name: string): H5Group {
    const g = this.f.get(name);
    if (!(g instanceof h5wasm.Group)) this.fail(g ? `/${name} is not a group` : `missing group /${name}`);
    return g;
  }

  attr(owner: H5Group, ownerName: string, name: string): unknown {
    const a = owner.attrs[name];
    if (!a) this.fail(`missing attribute ${name} on ${ownerName}`);
    return a.json_value;
  }

  stringAttr(owner: H5Group, ownerName: string, name: string): string {
    const v = this.attr(owner, ownerName, name);
    if (typeof v !== 'string') this.fail(`attribute ${name} on ${ownerName} must be a string (got ${JSON.stringify(v)})`);
    return v;
  }

  intAttr(owner: H5Group, ownerName: string, name: string, min: number): number {
    const v = this.attr(owner, ownerName, name);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.fail(`attribute ${name} on ${ownerName} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
    }
    return v;
  }

  /** A float dataset of exactly `shape` with every value finite, as float32. */
  floats(name: string, shape: number[]): Float32Array {
    const raw = this.numeric(name, shape, 'f');
    const bad = firstNonFinite(raw);
    if (bad >= 0) this.fail(`dataset /${name} has the non-finite value ${raw[bad]} at index ${bad}`);
    return raw instanceof Float32Array ? raw : Float32Array.from(raw);
  }

  numeric(name: string, shape: number[], kind: 'f' | 'i'): ArrayLike<number> & Iterable<number> {
    const d = this.f.get(name);
    if (!(d instanceof h5wasm.Dataset)) this.fail(d ? `/${name} is not a dataset` : `missing dataset /${name}`);
    const got = d.shape ?? [];
    if (got.length !== shape.length || got.some((n, i) => n !== shape[i])) {
      this.fail(`dataset /${name} has shape [${got.join(', ')}], expected [${shape.join(', ')}]`);
    }
    const dtype = typeof d.dtype === 'string' ? d.dtype : JSON.stringify(d.dtype);
    const ok = kind === 'f' ? /^[<>]?[fd]$/.test(dtype) : /^[<>]?[bBhHiI]$/.test(dtype);
    if (!ok) this.fail(`dataset /${name} has type ${dtype}, expected ${kind === 'f' ? 'float' : 'integer'}`);
    const v = d.value;
    if (!ArrayBuffer.isView(v)) this.fail(`dataset /${name} could not be read as numbers`);
    return v as unknown as ArrayLike<number> & Iterable<number>;
  }

  /** The [rows, cols] of a 2-d dataset with no empty dimension. */
  matrixShape(name: string): [number, number] {
    const d = this.f.get(name);
    if (!(d instanceof h5wasm.Dataset)) this.fail(d ? `/${name} is not a dataset` : `missing dataset /${name}`);
    const shape = d.shape ?? [];
    if (shape.length !== 2 || shape.some((n) => n < 1)) this.fail(`dataset /${name} has shape [${shape.join(', ')}], expected 2 non-empty dimensions`);
    return [shape[0], shape[1]];
  }

  /** Time constants (seconds): finite, as {@link floats}, and positive. */
  taus(name: string, size: number): Float32Array {
    const t = this.floats(name, [size]);
    const bad = t.findIndex((x) => !(x > 0));
    if (bad >= 0) this.fail(`dataset /${name} has ${t[bad]} at index ${bad}, expected a time constant > 0 s`);
    return t;
  }

  config(value: unknown): TrainConfig {
    const errors = configErrors(value);
    if (errors.length) this.fail(`attribute config on / is invalid: ${errors.map((e) => e.message).join('; ')}`);
    return value as TrainConfig;
  }
}

/** What the two formats store differently; history and meta are read the same way for both. */
interface NetworkPart {
  config: TrainConfig;
  params: NetworkParams;
  optimizer: OptimizerState;
  /** The dataset whose columns are the classes, for messages about class_names. */
  classesFrom: string;
}

function parseSession(r: SessionReader): Session {
  const root = r.f as H5Group;
  const format = root.attrs.format?.json_value;
  if (format !== SESSION_FORMAT) {
    r.fail(`not a session file (root attribute format is ${JSON.stringify(format ?? null)}, expected "${SESSION_FORMAT}")`);
  }
  const version = r.intAttr(root, '/', 'format_version', 1);
  if (version > SESSION_FORMAT_VERSION) {
    r.fail(`format_version ${version} is newer than this app reads (${SESSION_FORMAT_VERSION}); update the app`);
  }

  const configText = r.stringAttr(root, '/', 'config');
  let configValue: unknown;
  try {
    configValue = JSON.parse(configText);
  } catch (err) {
    r.fail(`attribute config on / is not valid JSON (${(err as Error).message})`);
  }

  const net = version === 1 ? readNetworkV1(r, configValue) : readNetworkV2(r, configValue);
  const classes = net.params.shape.classes;

  const epochsDone = r.intAttr(root, '/', 'epochs_done', 0);
  const columns = Object.fromEntries(
    HISTORY_KEYS.map((k) => [k, Array.from(r.numeric(`history/${k}`, [epochsDone], k === 'epoch' ? 'i' : 'f'))]),
  ) as Record<(typeof HISTORY_KEYS)[number], number[]>;
  const protocol = r.f.get('history/lr') !== null;
  const extra = Object.fromEntries(
    PROTOCOL_HISTORY_KEYS.map((k) => [k, protocol ? Array.from(r.numeric(`history/${k}`, [epochsDone], 'f')) : null]),
  ) as Record<(typeof PROTOCOL_HISTORY_KEYS)[number], number[] | null>;
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  const history: EpochRecord[] = columns.epoch.map((epoch, i) => {
    if (epoch !== i + 1) r.fail(`dataset /history/epoch has ${epoch} at index ${i}, expected ${i + 1}`);
    const lr = extra.lr ? extra.lr[i] : net.config.learningRate;
    if (!(lr > 0)) r.fail(`dataset /history/lr has ${lr} at index ${i}, expected a learning rate > 0`);
    return {
      epoch,
      train_loss: columns.train_loss[i],
      train_acc: columns.train_acc[i],
      val_loss: extra.val_loss ? orNull(extra.val_loss[i]) : null,
      val_acc: extra.val_acc ? orNull(extra.val_acc[i]) : null,
      test_loss: columns.test_loss[i],
      test_acc: columns.test_acc[i],
      lr,
      train_s: columns.train_s[i],
      eval_s: columns.eval_s[i],
    };
  });
  const { schedule, validation, selected } = readProtocol(r, net, epochsDone);

  const meta = r.group('meta');
  const backend = r.stringAttr(meta, '/meta', 'backend');
  if (!BACKEND_NAMES.includes(backend as BackendName)) r.fail(`attribute backend on /meta is "${backend}", expected one of ${BACKEND_NAMES.join(', ')}`);
  const classNamesValue = r.attr(meta, '/meta', 'class_names');
  const classNames = typeof classNamesValue === 'string' ? [classNamesValue] : classNamesValue;
  if (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string')) {
    r.fail('attribute class_names on /meta must be an array of strings');
  }
  if (classNames.length !== classes) {
    r.fail(`attribute class_names on /meta has ${classNames.length} names, ${net.classesFrom} has ${classes} classes`);
  }
  // Sessions before speaker names were recorded have none.
  const speakerNamesValue = 'speaker_names' in meta.attrs ? r.attr(meta, '/meta', 'speaker_names') : undefined;
  const speakerNames = typeof speakerNamesValue === 'string' ? [speakerNamesValue] : speakerNamesValue;
  if (speakerNames !== undefined && (!Array.isArray(speakerNames) || speakerNames.some((c) => typeof c !== 'string'))) {
    r.fail('attribute speaker_names on /meta must be an array of strings');
  }

  return {
    config: net.config,
    params: net.params,
    optimizer: net.optimizer,
    history,
    epochsDone,
    selected,
    schedule,
    validation,
    meta: {
      created: r.stringAttr(meta, '/meta', 'created'),
      appVersion: r.stringAttr(meta, '/meta', 'app_version'),
      backend: backend as BackendName,
      dataset: {
        name: r.stringAttr(meta, '/meta', 'dataset_name'),
        fingerprint: r.stringAttr(meta, '/meta', 'dataset_fingerprint'),
        trainSamples: r.intAttr(meta, '/meta', 'train_samples', 0),
        testSamples: r.intAttr(meta, '/meta', 'test_samples', 0),
      },
      classNames: classNames as string[],
      ...(speakerNames ? { speakerNames: speakerNames as string[] } : {}),
    },
  };
}

/**
 * The training protocol's parts: schedule state and validation split (root attributes, JSON) and the
 * selected epoch's parameters (/selected). A file from before the protocol has none of them: it was trained
 * on its whole training file at a constant rate, and its last epoch is its selected one.
 */
function readProtocol(r: SessionReader, net: NetworkPart, epochsDone: number): Pick<Session, 'schedule' | 'validation' | 'selected'> {
  const root = r.f as H5Group;
  const json = (name: string): unknown => {
    if (!(name in root.attrs)) return undefined;
    try {
      return JSON.parse(r.stringAttr(root, '/', name));
    } catch (err) {
      return r.fail(`attribute ${name} on / is not valid JSON (${(err as Error).message})`);
    }
  };
  const sched = json('schedule');
  let schedule: ScheduleState;
  if (sched === undefined) {
    schedule = { ...initialScheduleState(net.config, net.config.learningRate), epochsDone };
  } else {
    const errors = scheduleStateErrors(sched);
    if (errors.length) r.fail(`attribute schedule on / is invalid: ${errors.map((e) => e.message).join('; ')}`);
    schedule = sched as ScheduleState;
  }
  const split = json('validation');
  let validation: ValidationSplitInfo;
  if (split === undefined) {
    validation = { kind: 'none', trainSamples: r.intAttr(r.group('meta'), '/meta', 'train_samples', 0), validationSamples: 0, seed: null };
  } else {
    const errors = validationSplitInfoErrors(split);
    if (errors.length) r.fail(`attribute validation on / is invalid: ${errors.map((e) => e.message).join('; ')}`);
    validation = split as ValidationSplitInfo;
  }
  let selected: Session['selected'] = epochsDone > 0 ? { epoch: epochsDone, params: { ...net.params, flat: net.params.flat.slice() } } : null;
  const sel = r.f.get('selected');
  if (sel) {
    const epoch = r.intAttr(sel as H5Group, '/selected', 'epoch', 1);
    if (epoch > epochsDone) r.fail(`attribute epoch on /selected is ${epoch}, but the session has ${epochsDone} epochs`);
    const flat = new Float32Array(net.params.flat.length);
    for (const e of net.params.layout) flat.set(r.floats(`selected/${e.name}`, e.shape), e.offset);
    selected = { epoch, params: { ...net.params, flat } };
  }
  return { schedule, validation, selected };
}

/** The optimizer's attributes; the moments are filled in by the caller, laid out as `params`. */
function readOptimizerHead(r: SessionReader, config: TrainConfig, params: NetworkParams): OptimizerState {
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

function readNetworkV2(r: SessionReader, configValue: unknown): NetworkPart {
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

  /** Fills `alpha` and `beta` from /decays or, without it, from exp(−dt/τ) of the τ datasets. */
  const readDecays = (weights: string, decays: string, tauNames: readonly [string, string], alpha: Float32Array, beta: Float32Array) => {
    ([alpha, beta] as const).forEach((target, i) => {
      const tauName = `${weights}/${tauNames[i]}`;
      const taus = r.taus(tauName, target.length);
      const derived = Float32Array.from(taus, (t) => decayOf(t, dt));
      if (!useDecays) {
        target.set(derived);
        return;
      }
      const decayName = `${decays}/${i === 0 ? 'alpha' : 'beta'}`;
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
    readDecays(g, `decays/layer${l}`, TAU_NAMES[ls.kind], t.alpha, t.beta);
    if (t.a && t.b) {
      t.a.set(r.floats(`${g}/a`, [ls.size]));
      t.b.set(r.floats(`${g}/b`, [ls.size]));
    }
  });
  const ro = readoutTensors(params);
  ro.w.set(r.floats('weights/readout/w', [last, classes]));
  readDecays('weights/readout', 'decays/readout', READOUT_TAUS, ro.alpha, ro.beta);

  const optimizer = readOptimizerHead(r, config, params);
  for (const key of ['m', 'v'] as const) {
    for (const e of params.layout) tensor(params, optimizer[key], e.name).set(r.floats(`optimizer/${key}/${e.name}`, e.shape));
  }
  return { config, params, optimizer, classesFrom: '/weights/readout/w' };
}

/**
 * Format 1: one LIF layer (w1 [inputs, H], v1 [H, H] used only when the config was recurrent, w2 [H, K]) and
 * scalar τ, which become every neuron's decay in float32 as the first landing computed them.
 */
function readNetworkV1(r: SessionReader, configValue: unknown): NetworkPart {
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
