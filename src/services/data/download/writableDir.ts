/** Creates the data directory if needed and proves it is writable before any byte is downloaded. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR_ENV } from '../dataDir';
import { DownloadError, fsError } from './downloadError';

export async function ensureWritableDir(dataDir: string): Promise<void> {
  const probe = path.join(dataDir, `.write-test-${process.pid}`);
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
      throw new DownloadError(
        'not-writable',
        `data directory ${dataDir} is not writable (${code}): choose another with --data-dir or ${DATA_DIR_ENV}`,
        { cause: err },
      );
    }
    throw fsError(err, 'preparing', dataDir);
  }
}
