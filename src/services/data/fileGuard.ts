/**
 * Reads of users' files that cannot hang or crash the process. A damaged HDF5 file can send HDF5 into an endless
 * loop (a B-tree pointing at itself); JavaScript cannot interrupt that from the same thread. So each read runs
 * in a reader thread (fileWorker.ts) that reports progress per chunk, and the read is stopped (the thread
 * terminated) when it makes no progress for `stallS` seconds, with a message naming the file and the dataset it
 * was stuck in. A healthy file of any size keeps reporting, so the limit is on silence, not on size. h5wasm's
 * stderr warnings stay in the thread. Results come back by transfer (no copy of the spikes).
 *
 * The CLI, the app's training process and serve mode read data and session files through here.
 */
import type { Worker } from 'node:worker_threads';
import type { Session } from '../engine/modelState';
import type { SessionFileError } from '../sessions/sessionFile';
import { findWorkerEntry, startWorkerThread } from '../workerThread';
import type { OpenedBinCache, BinCacheOptions } from './binCache';
import type { BinSpec } from './binning';
import type { DatasetSummary } from './datasetSummary';
import type { FileRequest, FileTask, FileWorkerMessage } from './fileWorker';
import { SpikeFileError } from './hdf5Access';
import type { SpikeFileIndex, ReadSpikeOptions } from './shdReader';
import type { SpikeDataset } from './spikeDataset';

/** Seconds without progress after which a read is stopped (env SPIKING_WORKBENCH_FILE_STALL_S overrides). */
export const DEFAULT_STALL_S = 20;

function stallSeconds(): number {
  const env = Number(process.env.SPIKING_WORKBENCH_FILE_STALL_S);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_STALL_S;
}

const live = new Set<Worker>();

/** File-guard threads not yet exited (tests check that none is left behind). */
export function liveFileWorkers(): number {
  return live.size;
}

function rebuild(m: Extract<FileWorkerMessage, { type: 'error' }>, file: string): Error {
  if (m.name === 'SpikeFileError' && m.file !== undefined && m.detail !== undefined) return new SpikeFileError(m.file, m.detail, m.dataset, m.sample);
  if (m.name === 'SessionFileError' || m.message.includes(file)) {
    const e = new Error(m.message);
    e.name = m.name;
    return e;
  }
  // Anything else (a wasm trap outside the reader's own checks) still names the file, on one line.
  return new SpikeFileError(file, `damaged: the HDF5 reader failed (${m.message.split('\n')[0]})`);
}

/**
 * Up to two reader threads (a train and a test file load together), kept while their reads succeed so that
 * h5wasm starts once, not per file (a session list reads every session); unref'd while idle so they never keep
 * the process alive. A thread whose read failed or stalled is terminated (a wasm abort leaves h5wasm unusable).
 */
const MAX_READERS = 2;
const idle: Worker[] = [];
let readers = 0;
const queue: (() => void)[] = [];
let nextId = 1;

function startReader(): Worker {
  // The thread silences its own console and stdio (fileWorker.ts): h5wasm's prints are not for the user.
  const thread = startWorkerThread(findWorkerEntry('fileWorker', import.meta.url));
  live.add(thread);
  readers++;
  thread.on('exit', () => {
    live.delete(thread);
    readers--;
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
    queue.shift()?.();
  });
  return thread;
}

async function takeReader(): Promise<Worker> {
  for (;;) {
    const w = idle.pop();
    if (w) return w;
    if (readers < MAX_READERS) return startReader();
    await new Promise<void>((resolve) => queue.push(resolve));
  }
}

function giveBack(w: Worker): void {
  w.unref();
  idle.push(w);
  queue.shift()?.();
}

async function guarded<T>(t: FileTask, onProgress?: (done: number, total: number) => void): Promise<T> {
  const stallMs = stallSeconds() * 1000;
  const thread = await takeReader();
  thread.ref();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    let dataset = '';
    let timer: NodeJS.Timeout;
    const cleanup = () => {
      clearTimeout(timer);
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const fail = (e: Error) => {
      cleanup();
      void thread.terminate();
      reject(e);
    };
    const arm = () => {
      clearTimeout(timer);
      // The error names the dataset it was stuck in (SpikeFileError puts it before the detail).
      timer = setTimeout(() => fail(new SpikeFileError(t.file, `reading made no progress for ${stallMs / 1000} s; the file is probably damaged`, dataset || undefined)), stallMs);
    };
    const onMessage = (m: FileWorkerMessage) => {
      if (m.id !== id) return;
      if (m.type === 'reading') {
        dataset = m.dataset;
        arm();
      } else if (m.type === 'progress') {
        arm();
        onProgress?.(m.done, m.total);
      } else if (m.type === 'result') {
        cleanup();
        giveBack(thread);
        resolve(m.value as T);
      } else fail(rebuild(m, t.file));
    };
    const onError = (e: unknown) => fail(new SpikeFileError(t.file, `reading it failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
    const onExit = (code: number) => fail(new SpikeFileError(t.file, `the reader stopped unexpectedly (exit code ${code})`));
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
    arm();
    thread.postMessage({ ...t, id } satisfies FileRequest);
  });
}

export function summarizeFileGuarded(file: string, opts: ReadSpikeOptions = {}): Promise<DatasetSummary> {
  return guarded({ task: 'summarizeFile', file, ...opts });
}

export function readSpikeFileGuarded(file: string, opts: ReadSpikeOptions = {}): Promise<SpikeDataset> {
  return guarded({ task: 'readSpikeFile', file, ...opts });
}

export function readSpikeIndexGuarded(file: string): Promise<SpikeFileIndex> {
  return guarded({ task: 'readSpikeIndex', file });
}

export function openBinCacheGuarded(file: string, spec: BinSpec, opts: BinCacheOptions = {}): Promise<OpenedBinCache> {
  return guarded({ task: 'openBinCache', file, spec, ...(opts.channels !== undefined && { channels: opts.channels }), ...(opts.dir && { dir: opts.dir }) }, opts.onProgress);
}

/** readSession in the guard; its refusals keep their SessionFileError name and message. */
export function readSessionGuarded(file: string): Promise<Session> {
  return guarded<Session>({ task: 'readSession', file }).catch((err: unknown) => {
    if (err instanceof SpikeFileError) throw Object.assign(new Error(`session file ${file}: ${err.detail}`), { name: 'SessionFileError' }) as SessionFileError;
    throw err;
  });
}
