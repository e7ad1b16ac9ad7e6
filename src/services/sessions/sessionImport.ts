/**
 * Opening a session file from outside the app's sessions folder (a CLI run, a cluster's, a sweep's, a
 * colleague's) by Open…, a drop on the window, or an upload to serve mode. The bytes are staged in a temp file
 * inside the sessions folder, checked with the reader every session load uses (readSessionGuarded: a damaged file
 * cannot hang or crash the process), described by the caller (the session store writes its sidecar), and only
 * then renamed to `<id>.h5`. So a refused, failed or interrupted import leaves nothing the list would show, and
 * the temp files of a process killed mid-import are removed by the next import. Every refusal is one line that
 * names the file as the user knows it (its path, or the uploaded file's name), never the temp file.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { MAX_SESSION_FILE_BYTES, sessionSizeRefusal } from '../../shared/ipc/http';
import type { SessionOrigin } from '../../shared/workbenchApi';
import { readSessionGuarded } from './guardedSessionRead';
import type { Session } from '../engine/model/modelState';

/** Where the bytes come from: a path on this machine, or a body streamed in (serve mode's upload). */
export type SessionSource = { kind: 'path'; path: string } | { kind: 'upload'; fileName: string; body: AsyncIterable<Uint8Array> };

/** A file refused as a session: the message is one line naming it. */
export class SessionImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionImportError';
  }
}

export interface ImportTarget {
  /** The sessions folder. */
  dir: string;
  /** The fresh id the file is kept under (`<dir>/<id>.h5`). */
  id: string;
  /** Larger files are refused (default {@link MAX_SESSION_FILE_BYTES}). */
  maxBytes?: number;
  /** Called with the checked session before it is renamed into place: what the store keeps beside it goes here. */
  describe(session: Session, origin: SessionOrigin): Promise<void>;
  now?: Date;
}

export interface ImportedSession {
  session: Session;
  origin: SessionOrigin;
  /** `<dir>/<id>.h5`. */
  path: string;
}

const TEMP_SUFFIX = '.import.tmp';

function tooLarge(label: string, bytes: number | null, maxBytes: number): SessionImportError {
  return new SessionImportError(sessionSizeRefusal(label, bytes, maxBytes));
}

/** Temp files of imports whose process is gone (killed mid-import): removed, as writeSession does for its own. */
async function removeStaleImports(dir: string): Promise<void> {
  for (const f of await readdir(dir)) {
    if (!f.startsWith('.') || !f.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(f.slice(0, -TEMP_SUFFIX.length).split('.').at(-1));
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') await rm(join(dir, f), { force: true });
    }
  }
}

/** A path to import: present, a regular file, within the limit (checked before a byte is copied). */
async function checkSourcePath(path: string, maxBytes: number): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SessionImportError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})`}`);
  }
  if (!info.isFile()) throw new SessionImportError(`${path}: not a file`);
  if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
}

/** Writes `body` to `temp`, stopping as soon as it passes `maxBytes`. */
async function stage(body: AsyncIterable<Uint8Array>, temp: string, label: string, maxBytes: number): Promise<void> {
  const out = await open(temp, 'wx');
  try {
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(label, null, maxBytes);
      await out.write(chunk);
    }
  } finally {
    await out.close();
  }
}

/** Imports one session file into `target.dir` under `target.id`; see the file comment. */
export async function importSessionFile(source: SessionSource, target: ImportTarget): Promise<ImportedSession> {
  const maxBytes = target.maxBytes ?? MAX_SESSION_FILE_BYTES;
  const label = source.kind === 'path' ? resolve(source.path) : source.fileName;
  const origin: SessionOrigin = {
    path: source.kind === 'path' ? label : null,
    fileName: basename(label),
    importedAt: (target.now ?? new Date()).toISOString(),
  };
  if (source.kind === 'path') await checkSourcePath(label, maxBytes);
  await mkdir(target.dir, { recursive: true });
  await removeStaleImports(target.dir);
  const temp = join(target.dir, `.${target.id}.h5.${process.pid}${TEMP_SUFFIX}`);
  const path = join(target.dir, `${target.id}.h5`);
  try {
    await stage(source.kind === 'path' ? createReadStream(label) : source.body, temp, label, maxBytes);
    let session: Session;
    try {
      session = await readSessionGuarded(temp);
    } catch (err) {
      // The reader names the file it read: the temp copy. The user knows it by its own name.
      const message = (err instanceof Error ? err.message : String(err)).split(temp).join(label).split('\n')[0];
      throw new SessionImportError(message.includes(label) ? message : `${label}: ${message}`);
    }
    await target.describe(session, origin);
    await rename(temp, path);
    return { session, origin, path };
  } finally {
    await rm(temp, { force: true });
  }
}
