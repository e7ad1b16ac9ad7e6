/**
 * Reading a session file (layout: sessionLayout.ts): checks every dataset's presence, type, shape and finiteness,
 * and the config and the layout it implies, and refuses a broken file with a message naming file and dataset.
 * The network is read per format (sessionNetworkRead.ts, sessionFormatV1.ts); history, protocol and meta the same
 * way for both.
 */
import { SpikeFileError, withHdf5File } from '../data/hdf5Access';
import { BACKEND_NAMES, type BackendName, type EpochRecord } from '../../shared/events';
import { validationSplitInfoErrors, type ValidationSplitInfo } from '../../shared/validation';
import { initialScheduleState, scheduleStateErrors, type ScheduleState } from '../engine/training/lrSchedule';
import type { Session } from '../engine/model/modelState';
import { HISTORY_KEYS, PROTOCOL_HISTORY_KEYS, SESSION_FORMAT, SESSION_FORMAT_VERSION, type H5Group } from './sessionLayout';
import { SessionFileError, SessionReader } from './sessionReader';
import { readNetworkV2, type NetworkPart } from './sessionNetworkRead';
import { readNetworkV1 } from './sessionFormatV1';

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
