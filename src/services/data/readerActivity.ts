/**
 * What a file-guard reader thread has done, counted in memory shared with the guard (fileGuard.ts), so the guard can
 * tell a busy machine from a broken file by the work the reader does rather than by the clock:
 * - every read the HDF5 library makes from the file (h5wasm's NODERAWFS goes through `fs.readSync`, wrapped here)
 *   and the bytes it asked for;
 * - every heartbeat from the reading code (`noteReading`: a dataset looked up, a chunk of samples read).
 * The counters are written by the reader thread while it is inside a long HDF5 call (the wrapper is JavaScript
 * that wasm calls), so the guard sees them move even when the thread cannot answer messages.
 */
import fs from 'node:fs';

/**
 * Slots of the shared counters; `threadId` is the reader's OS thread id (Linux), for its CPU time; `ready` is 1 once
 * the thread has loaded its code and HDF5 (what it computes before that is start-up, not reading).
 */
export const ACTIVITY = { readCalls: 0, readBytes: 1, heartbeats: 2, threadId: 3, ready: 4 } as const;
const SLOTS = 5;

export function newActivityBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * BigInt64Array.BYTES_PER_ELEMENT);
}

export interface ActivitySnapshot {
  readCalls: number;
  readBytes: number;
  heartbeats: number;
  ready: boolean;
}

export function readActivity(buf: SharedArrayBuffer): ActivitySnapshot {
  const a = new BigInt64Array(buf);
  return {
    readCalls: Number(Atomics.load(a, ACTIVITY.readCalls)),
    readBytes: Number(Atomics.load(a, ACTIVITY.readBytes)),
    heartbeats: Number(Atomics.load(a, ACTIVITY.heartbeats)),
    ready: Atomics.load(a, ACTIVITY.ready) === 1n,
  };
}

/**
 * In the reader thread: counts every `fs.readSync` of this thread (h5wasm's file reads and ours) into `buf`.
 * `fs` is the one module object `require('fs')` gives h5wasm too, so patching it here covers HDF5's reads.
 * Returns the heartbeat counter's bump, and the mark that start-up is over.
 */
export function countReaderActivity(buf: SharedArrayBuffer): { beat: () => void; ready: () => void } {
  const a = new BigInt64Array(buf);
  const tid = ownThreadId();
  if (tid !== null) Atomics.store(a, ACTIVITY.threadId, BigInt(tid));
  const readSync = fs.readSync;
  fs.readSync = function countedReadSync(this: unknown, ...args: Parameters<typeof fs.readSync>): number {
    const n = (readSync as (...a: unknown[]) => number).apply(this, args);
    Atomics.add(a, ACTIVITY.readCalls, 1n);
    Atomics.add(a, ACTIVITY.readBytes, BigInt(n));
    return n;
  } as typeof fs.readSync;
  return {
    beat: () => void Atomics.add(a, ACTIVITY.heartbeats, 1n),
    ready: () => {
      Atomics.store(a, ACTIVITY.ready, 1n);
      Atomics.add(a, ACTIVITY.heartbeats, 1n);
    },
  };
}

/** This thread's OS id on Linux ("/proc/thread-self" links to "<pid>/task/<tid>"), else null. */
function ownThreadId(): number | null {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every mainstream Linux architecture). */
const TICKS_PER_S = 100;

/**
 * CPU seconds the reader thread has used (Linux, from /proc/self/task/TID/stat: utime + stime), or, where that
 * cannot be read, this process's (every thread's), which only makes a stuck reader look busier sooner.
 */
export function readerCpuSeconds(buf: SharedArrayBuffer): number {
  const tid = Number(Atomics.load(new BigInt64Array(buf), ACTIVITY.threadId));
  if (tid > 0) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, inside parentheses): state is the first, utime the 12th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
    } catch {
      // the thread has exited, or no /proc: fall through
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
