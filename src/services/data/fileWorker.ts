/**
 * Entry of the file guard's worker thread (fileGuard.ts): runs reads of users' files (HDF5 through h5wasm), one at
 * a time, and reports progress while it reads, so the guard can stop a read that hangs on a damaged file. h5wasm's
 * own warnings (printed to stderr) stay inside: the thread's console and stdio are silenced below.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BinSpec } from './binning';
import { hdf5Intact, onReading } from './hdf5Access';
import { countReaderActivity } from './readerActivity';

if (!parentPort) throw new Error('fileWorker runs as a worker thread of the file guard');
const port = parentPort;

// What h5wasm prints (emscripten warnings such as "Invalid UTF-8 …", HDF5 diagnostics) is not for the user, and
// the errors it means come back as messages: silenced here, so the thread needs no stdio streams of its own
// (those would keep an idle thread's process alive).
for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) console[k] = () => undefined;
process.stdout.write = (() => true) as typeof process.stdout.write;
process.stderr.write = (() => true) as typeof process.stderr.write;

export type FileTask =
  | { task: 'summarizeFile'; file: string; channels?: number }
  | { task: 'readSpikeFile'; file: string; channels?: number }
  | { task: 'readSpikeIndex'; file: string }
  | { task: 'openBinCache'; file: string; spec: BinSpec; channels?: number; dir?: string }
  | { task: 'readSession'; file: string };

/** What the guard sends: one task at a time per worker, numbered. */
export type FileRequest = FileTask & { id: number };

export type FileWorkerMessage =
  | { type: 'reading'; id: number; dataset: string }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; value: unknown }
  | {
      type: 'error';
      id: number;
      name: string;
      message: string;
      file?: string;
      detail?: string;
      dataset?: string;
      sample?: number;
      /** The refusal was our own check and HDF5 never failed in this thread: it can read the next file. */
      reusable: boolean;
    };

let current = 0;

/** The guard's shared counters (readerActivity.ts): every file read and heartbeat of this thread. */
const { beat, ready } = countReaderActivity((workerData as { activity: SharedArrayBuffer }).activity);

// Start-up, done once before the first task: the readers' code and HDF5 (a 4 MB wasm module) load here, so that
// the guard's CPU budget (fileGuard.ts) counts only the reading of files.
const loaded = Promise.all([import('./shdReader'), import('./binCache'), import('../sessions/sessionRead'), import('h5wasm/node').then((m) => m.default.ready)]).then(ready);

let lastBeat = 0;
let lastDataset = '';
onReading((dataset) => {
  beat();
  if (dataset === null) return;
  const now = Date.now();
  // A heartbeat at most every 200 ms, and at every change of dataset (what a hang message names).
  if (dataset === lastDataset && now - lastBeat < 200) return;
  lastBeat = now;
  lastDataset = dataset;
  port.postMessage({ type: 'reading', id: current, dataset } satisfies FileWorkerMessage);
});

function buffersOf(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): Set<ArrayBuffer> {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
    return out;
  }
  for (const v of Object.values(value as Record<string, unknown>)) buffersOf(v, out, depth + 1);
  return out;
}

async function run(t: FileTask): Promise<unknown> {
  switch (t.task) {
    case 'summarizeFile':
      return (await import('./shdReader')).summarizeFile(t.file, t.channels === undefined ? {} : { channels: t.channels });
    case 'readSpikeFile':
      return (await import('./shdReader')).readSpikeFile(t.file, t.channels === undefined ? {} : { channels: t.channels });
    case 'readSpikeIndex':
      return (await import('./shdReader')).readSpikeIndex(t.file);
    case 'openBinCache':
      return (await import('./binCache')).openBinCache(t.file, t.spec, {
        channels: t.channels,
        dir: t.dir,
        onProgress: (done, total) => port.postMessage({ type: 'progress', id: current, done, total } satisfies FileWorkerMessage),
      });
    case 'readSession':
      return (await import('../sessions/sessionRead')).readSession(t.file);
  }
}

port.on('message', (t: FileRequest) => {
  current = t.id;
  lastDataset = '';
  beat();
  loaded.then(() => run(t)).then(
    (value) => {
      // Typed arrays move to the caller instead of being copied (SHD's spikes: half a gigabyte).
      port.postMessage({ type: 'result', id: t.id, value } satisfies FileWorkerMessage, [...buffersOf(value)]);
    },
    (err: unknown) => {
      const e = err as Error & { file?: string; detail?: string; dataset?: string; sample?: number };
      port.postMessage({
        type: 'error',
        id: t.id,
        reusable: hdf5Intact() && (e?.name === 'SpikeFileError' || e?.name === 'SessionFileError'),
        name: e?.name ?? 'Error',
        message: e?.message ?? String(err),
        ...(e?.file !== undefined && { file: e.file }),
        ...(e?.detail !== undefined && { detail: e.detail }),
        ...(e?.dataset !== undefined && { dataset: e.dataset }),
        ...(e?.sample !== undefined && { sample: e.sample }),
      } satisfies FileWorkerMessage);
    },
  );
});
