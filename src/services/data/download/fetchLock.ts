/**
 * One download at a time per data directory: two processes (the app and a CLI) writing the same `.part` file
 * or manifest would corrupt both. The lock is a file created exclusively, holding the owner's pid; a lock whose
 * process is gone (crash, kill -9) is taken over.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DownloadError, fsError } from './downloadError';

export const LOCK_FILE = '.fetch.lock';

/** Directories locked by this process (its own pid in a lock file is then not stale). */
const heldHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `dataDir`; the returned function releases it. */
export async function acquireFetchLock(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, LOCK_FILE);
  const busy = (who: string) =>
    new DownloadError('busy', `another download into ${dataDir} is running (${who}); wait for it or cancel it`);
  if (heldHere.has(file)) throw busy('in this process');
  // Reserved before the first await, so two fetches started together in this process cannot both get it.
  heldHere.add(file);
  const release = async () => {
    heldHere.delete(file);
    await rm(file, { force: true });
  };
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
        return release;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(err, 'creating', file);
      }
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) throw busy(`process ${pid}`);
      await rm(file, { force: true });
    }
    throw busy('the lock file keeps reappearing');
  } catch (err) {
    heldHere.delete(file);
    throw err;
  }
}
