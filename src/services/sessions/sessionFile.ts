/**
 * Session files: one HDF5 file per training session, written with h5wasm and readable by h5py.
 *
 * Layout (format "spiking-workbench-session", version 1):
 *
 *     /                        attrs: format = "spiking-workbench-session", format_version = 1 (int32),
 *                                     epochs_done (int32),
 *                                     config = the TrainConfig as a JSON string (keys and units as in
 *                                              src/shared/config.ts, times in seconds)
 *     /weights/w1              float32 [inputs, hidden]   x·W orientation: I += x_t · W1
 *     /weights/v1              float32 [hidden, hidden]   recurrent: I += S_{t−1} · V1
 *     /weights/w2              float32 [hidden, classes]  readout: F += S_t · W2
 *     /optimizer               attrs: name ("adam" | "adamax"), step (float64; update steps taken)
 *     /optimizer/m/{w1,v1,w2}  float32, shapes as the weights: first moments
 *     /optimizer/v/{w1,v1,w2}  float32, shapes as the weights: second moments (adam) or infinity norms (adamax)
 *     /history/<key>           one dataset per EpochRecord key, [epochs_done] each: epoch (int32), train_loss,
 *                              train_acc, test_loss, test_acc, train_s, eval_s (float64)
 *     /meta                    attrs: created (ISO 8601), app_version, backend, dataset_name,
 *                                     dataset_fingerprint, train_samples, test_samples (int32),
 *                                     class_names (array of strings, one per class)
 *
 * `/weights/*` are exactly what `snn_reference.py --eval-session` reads. In h5py:
 * `w1 = f["weights/w1"][()]`, `cfg = json.loads(f.attrs["config"])`, `acc = f["history/test_acc"][()]`.
 *
 * Writing goes to a temporary name in the destination's folder and is renamed over the destination when
 * complete, so a reader (or a run killed mid-write) never sees half a file. Reading checks every dataset's
 * presence, type and shape, and the config, and refuses a broken file with a message naming file and dataset.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { H5File } from '../data/hdf5Access';
import { hdf5Reason, SpikeFileError, withHdf5File } from '../data/hdf5Access';
import { configErrors, OPTIMIZERS, type OptimizerName, type TrainConfig } from '../../shared/config';
import type { BackendName, EpochRecord } from '../../shared/events';
import { checkWeightShapes, type NetworkWeights, type ParamMoments, type Session } from '../engine/modelState';

export const SESSION_FORMAT = 'spiking-workbench-session';
export const SESSION_FORMAT_VERSION = 1;

const PARAMS = ['w1', 'v1', 'w2'] as const;
type ParamName = (typeof PARAMS)[number];

const HISTORY_KEYS = ['epoch', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'train_s', 'eval_s'] as const;
const BACKENDS: readonly BackendName[] = ['gpu', 'native', 'wasm', 'cpu'];

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

function checkSessionForWrite(s: Session): void {
  const errors = configErrors(s.config);
  if (errors.length) throw new Error(`cannot write session: invalid config: ${errors.map((e) => e.message).join('; ')}`);
  checkWeightShapes(s.weights);
  if (s.weights.hidden !== s.config.hidden) {
    throw new Error(`cannot write session: weights have ${s.weights.hidden} hidden units, config says ${s.config.hidden}`);
  }
  for (const key of ['m', 'v'] as const) {
    for (const p of PARAMS) {
      if (s.optimizer[key][p].length !== s.weights[p].length) {
        throw new Error(`cannot write session: optimizer ${key}.${p} has ${s.optimizer[key][p].length} values, expected ${s.weights[p].length}`);
      }
    }
  }
  if (s.history.length !== s.epochsDone) {
    throw new Error(`cannot write session: history has ${s.history.length} epochs, epochsDone is ${s.epochsDone}`);
  }
  if (s.meta.classNames.length !== s.weights.classes) {
    throw new Error(`cannot write session: ${s.meta.classNames.length} class names for ${s.weights.classes} classes`);
  }
}

function fillSessionFile(f: H5File, s: Session): void {
  f.create_attribute('format', SESSION_FORMAT);
  f.create_attribute('format_version', SESSION_FORMAT_VERSION, null, '<i');
  f.create_attribute('epochs_done', s.epochsDone, null, '<i');
  f.create_attribute('config', JSON.stringify(s.config));

  const { inputs, hidden, classes } = s.weights;
  const shapes: Record<ParamName, [number, number]> = { w1: [inputs, hidden], v1: [hidden, hidden], w2: [hidden, classes] };
  const writeParams = (g: H5Group, values: NetworkWeights | ParamMoments) => {
    for (const p of PARAMS) g.create_dataset({ name: p, data: Float32Array.from(values[p]), shape: shapes[p], dtype: '<f' });
  };
  writeParams(f.create_group('weights'), s.weights);

  const opt = f.create_group('optimizer');
  opt.create_attribute('name', s.optimizer.name);
  opt.create_attribute('step', s.optimizer.step, null, '<d');
  writeParams(opt.create_group('m'), s.optimizer.m);
  writeParams(opt.create_group('v'), s.optimizer.v);

  const hist = f.create_group('history');
  for (const key of HISTORY_KEYS) {
    const column = s.history.map((r) => r[key]);
    if (key === 'epoch') hist.create_dataset({ name: key, data: Int32Array.from(column), shape: [column.length], dtype: '<i' });
    else hist.create_dataset({ name: key, data: Float64Array.from(column), shape: [column.length], dtype: '<d' });
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

  /** A float dataset of exactly `shape`, as float32. */
  floats(name: string, shape: number[]): Float32Array {
    const values = this.numeric(name, shape, 'f');
    return values instanceof Float32Array ? values : Float32Array.from(values);
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
  const errors = configErrors(configValue);
  if (errors.length) r.fail(`attribute config on / is invalid: ${errors.map((e) => e.message).join('; ')}`);
  const config = configValue as TrainConfig;

  // Shapes come from /weights/w1 and w2; everything else must agree with them and with the config.
  const w1Shape = datasetShape(r, 'weights/w1');
  const w2Shape = datasetShape(r, 'weights/w2');
  const [inputs, hidden] = w1Shape;
  const classes = w2Shape[1];
  if (hidden !== config.hidden) r.fail(`dataset /weights/w1 has ${hidden} hidden columns, config.hidden is ${config.hidden}`);
  const shapes: Record<ParamName, number[]> = { w1: [inputs, hidden], v1: [hidden, hidden], w2: [hidden, classes] };
  const readParams = (prefix: string) =>
    Object.fromEntries(PARAMS.map((p) => [p, r.floats(`${prefix}/${p}`, shapes[p])])) as Record<ParamName, Float32Array>;
  const weights: NetworkWeights = { inputs, hidden, classes, ...readParams('weights') };

  const opt = r.group('optimizer');
  const optName = r.stringAttr(opt, '/optimizer', 'name');
  if (!OPTIMIZERS.includes(optName as OptimizerName)) r.fail(`attribute name on /optimizer is "${optName}", expected one of ${OPTIMIZERS.join(', ')}`);
  if (optName !== config.optimizer) r.fail(`attribute name on /optimizer is "${optName}" but config.optimizer is "${config.optimizer}"`);
  const step = r.attr(opt, '/optimizer', 'step');
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    r.fail(`attribute step on /optimizer must be an integer ≥ 0 (got ${JSON.stringify(step)})`);
  }
  const optimizer = { name: optName as OptimizerName, step, m: readParams('optimizer/m'), v: readParams('optimizer/v') };

  const epochsDone = r.intAttr(root, '/', 'epochs_done', 0);
  const columns = Object.fromEntries(
    HISTORY_KEYS.map((k) => [k, Array.from(r.numeric(`history/${k}`, [epochsDone], k === 'epoch' ? 'i' : 'f'))]),
  ) as Record<(typeof HISTORY_KEYS)[number], number[]>;
  const history: EpochRecord[] = columns.epoch.map((epoch, i) => {
    if (epoch !== i + 1) r.fail(`dataset /history/epoch has ${epoch} at index ${i}, expected ${i + 1}`);
    return {
      epoch,
      train_loss: columns.train_loss[i],
      train_acc: columns.train_acc[i],
      test_loss: columns.test_loss[i],
      test_acc: columns.test_acc[i],
      train_s: columns.train_s[i],
      eval_s: columns.eval_s[i],
    };
  });

  const meta = r.group('meta');
  const backend = r.stringAttr(meta, '/meta', 'backend');
  if (!BACKENDS.includes(backend as BackendName)) r.fail(`attribute backend on /meta is "${backend}", expected one of ${BACKENDS.join(', ')}`);
  const classNamesValue = r.attr(meta, '/meta', 'class_names');
  const classNames = typeof classNamesValue === 'string' ? [classNamesValue] : classNamesValue;
  if (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string')) {
    r.fail('attribute class_names on /meta must be an array of strings');
  }
  if (classNames.length !== classes) {
    r.fail(`attribute class_names on /meta has ${classNames.length} names, /weights/w2 has ${classes} classes`);
  }

  return {
    config,
    weights,
    optimizer,
    history,
    epochsDone,
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
    },
  };
}

function datasetShape(r: SessionReader, name: string): [number, number] {
  const d = r.f.get(name);
  if (!(d instanceof h5wasm.Dataset)) r.fail(d ? `/${name} is not a dataset` : `missing dataset /${name}`);
  const shape = d.shape ?? [];
  if (shape.length !== 2 || shape.some((n) => n < 1)) r.fail(`dataset /${name} has shape [${shape.join(', ')}], expected 2 non-empty dimensions`);
  return [shape[0], shape[1]];
}
