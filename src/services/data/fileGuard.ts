/**
 * Reads of users' files that cannot hang or crash the process. A damaged HDF5 file can send HDF5 into an endless
 * loop (a B-tree pointing at itself); JavaScript cannot interrupt that from the same thread. So each read runs
 * in a reader thread (fileWorker.ts), and the read is stopped (the thread terminated), with a message naming the
 * file and the dataset it was stuck in, when the reader's own work shows it is going round in circles
 * (readerActivity.ts counts it in shared memory, also from inside a long HDF5 call):
 * - it spends `stallS` seconds of its own CPU time with no file read and no heartbeat (an endless loop in
 *   memory), or
 * - it reads far more bytes than the file has (several times over) without getting further (a loop through the
 *   file).
 * A busy machine slows a healthy read down but never makes it look like either: the limit is on the reader's
 * work, not on the clock. Only a reader that neither works nor reads for `DEAD_S` of wall time (a hung network
 * file system) is given up on by the clock. h5wasm's stderr warnings stay in the thread. Results come back by
 * transfer (no copy of the spikes).
 *
 * The CLI, the app's training process and serve mode read data and session files through here.
 */
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { findWorkerEntry, startWorkerThread } from '../workerThread';
import type { OpenedBinCache, BinCacheOptions } from './binCache';
import type { BinSpec } from './binning';
import type { DatasetSummary } from './datasetSummary';
import type { FileRequest, FileTask, FileWorkerMessage } from './fileWorker';
import { SpikeFileError } from './hdf5Access';
import { newActivityBuffer, readActivity, readerCpuSeconds } from './readerActivity';
import type { SpikeFileIndex, ReadSpikeOptions } from './shdReader';
import type { SpikeDataset } from './spikeDataset';

/**
 * CPU seconds of its own a reader may spend without reading the file or getting further before the read is
 * stopped (env SPIKING_WORKBENCH_FILE_STALL_S overrides). No healthy read computes that long between two reads.
 */
export const DEFAULT_STALL_S = 3;

/** A read that goes over the file this many times (and at least LOOP_MIN_BYTES) without getting further loops. */
const LOOP_PASSES = 4;
const LOOP_MIN_BYTES = 64 * 2 ** 20;

/** Wall-clock seconds with no CPU use, no read and no heartbeat at all: the file system, not the file, is stuck. */
const DEAD_S = 300;

/** How often the guard looks at a reader's counters. */
const POLL_MS = 200;

function stallSeconds(): number {
  const env = Number(process.env.SPIKING_WORKBENCH_FILE_STALL_S);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_STALL_S;
}

const live = new Set<Worker>();
/** Each reader thread's shared activity counters. */
const activityOf = new WeakMap<Worker, SharedArrayBuffer>();

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
 * the process alive. A thread whose read stalled or in which HDF5 failed is terminated (a wasm abort leaves h5wasm
 * unusable); one that refused a file by our own checks is kept.
 */
const MAX_READERS = 2;
const idle: Worker[] = [];
let readers = 0;
const queue: (() => void)[] = [];
let nextId = 1;

function startReader(): Worker {
  // The thread silences its own console and stdio (fileWorker.ts): h5wasm's prints are not for the user.
  const activity = newActivityBuffer();
  const thread = startWorkerThread(findWorkerEntry('fileWorker', import.meta.url), { workerData: { activity } });
  activityOf.set(thread, activity);
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

/** The file's size, for the loop limit (0 when it cannot be read: the reader will say why). */
function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** One read in a reader thread, stopped when it stalls or loops (above); the typed reads below and readSessionGuarded (sessions/guardedSessionRead.ts) go through it. */
export async function guarded<T>(t: FileTask, onProgress?: (done: number, total: number) => void): Promise<T> {
  const stallCpuS = stallSeconds();
  const loopBytes = Math.max(LOOP_MIN_BYTES, LOOP_PASSES * fileBytes(t.file));
  const thread = await takeReader();
  const activity = activityOf.get(thread)!;
  thread.ref();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    let dataset = '';
    // Marks: the counters and the reader's CPU time when it last got further (progress) or did anything (life).
    let seen = readActivity(activity);
    let bytesAtProgress = seen.readBytes;
    let cpuAtLife = readerCpuSeconds(activity);
    let wallAtLife = Date.now();
    let lastCpu = cpuAtLife;
    const progressed = () => {
      seen = readActivity(activity);
      bytesAtProgress = seen.readBytes;
      cpuAtLife = readerCpuSeconds(activity);
      wallAtLife = Date.now();
    };
    const watch = setInterval(() => {
      const now = readActivity(activity);
      const cpu = readerCpuSeconds(activity);
      if (now.heartbeats !== seen.heartbeats || !now.ready) return progressed();
      if (now.readCalls !== seen.readCalls) {
        seen = now;
        cpuAtLife = cpu;
        wallAtLife = Date.now();
        const read = now.readBytes - bytesAtProgress;
        if (read > loopBytes) fail(stuck(`the reader went over the file ${Math.round(read / Math.max(1, fileBytes(t.file)))} times (${mib(read)}) without getting further; its structure probably loops`));
        return;
      }
      if (cpu - cpuAtLife > stallCpuS) return fail(stuck(`the reader computed for ${Math.round(cpu - cpuAtLife)} s of CPU without reading the file or getting further; its structure probably loops`));
      // CPU time moving is work too (the rule above judges it): the clock judges only a reader doing nothing.
      if (cpu !== lastCpu) {
        lastCpu = cpu;
        wallAtLife = Date.now();
      }
      if (Date.now() - wallAtLife > DEAD_S * 1000) fail(stuck(`reading did nothing for ${DEAD_S} s (no read, no CPU time); the file system may be hung`));
    }, POLL_MS);
    const stuck = (detail: string) => new SpikeFileError(t.file, detail, dataset || undefined);
    const cleanup = () => {
      clearInterval(watch);
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const fail = (e: Error) => {
      cleanup();
      void thread.terminate();
      reject(e);
    };
    const onMessage = (m: FileWorkerMessage) => {
      if (m.id !== id) return;
      if (m.type === 'reading') {
        dataset = m.dataset;
        progressed();
      } else if (m.type === 'progress') {
        progressed();
        onProgress?.(m.done, m.total);
      } else if (m.type === 'result') {
        cleanup();
        giveBack(thread);
        resolve(m.value as T);
      } else if (m.reusable) {
        // A refusal by our own checks (NaN times, wrong layout…): the reader is sound and stays for the next file.
        cleanup();
        giveBack(thread);
        reject(rebuild(m, t.file));
      } else fail(rebuild(m, t.file));
    };
    const onError = (e: unknown) => fail(new SpikeFileError(t.file, `reading it failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
    const onExit = (code: number) => fail(new SpikeFileError(t.file, `the reader stopped unexpectedly (exit code ${code})`));
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
    thread.postMessage({ ...t, id } satisfies FileRequest);
  });
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
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
