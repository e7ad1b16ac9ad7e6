/**
 * The sessions folder: one HDF5 session file per saved run (`<id>.h5`, written by sessions/sessionWrite.ts)
 * plus a small JSON sidecar (`<id>.json`) holding what the list shows and what the HDF5 file does not keep:
 * the user's name for it, the dataset reference, and the last probe and confusion matrix, so a loaded
 * session shows its rasters and traces without the data. A session file opened from outside (importFile) gets a
 * sidecar too, recording where it came from. A session file without a sidecar (copied in by hand) is listed from
 * the HDF5 file alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ProbeRecord } from '../../shared/events';
import { initNetwork } from '../engine/model/init';
import { layerTaus } from '../engine/model/layerTaus';
import { datasetRefErrors } from '../../shared/ipc/datasetPayloads';
import { sessionIdErrors } from '../../shared/ipc/sessionPayloads';
import type { DatasetRef, LoadedSession, SessionOrigin, SessionSummary } from '../../shared/workbenchApi';
import type { Session } from '../engine/model/modelState';
import { writeSession } from '../sessions/sessionWrite';
import { datasetRefOf } from '../sessions/sessionDataset';
import { importSessionFile, type SessionSource } from '../sessions/sessionImport';
import { readSessionGuarded } from '../sessions/guardedSessionRead';

const SIDECAR_VERSION = 1;

interface Sidecar {
  version: number;
  name: string;
  datasetRef: DatasetRef | null;
  probe: ProbeRecord | null;
  confusion: number[][] | null;
  /** Set for a session opened from a file (absent in sidecars written before imports existed). */
  origin?: SessionOrigin;
}

export interface SaveExtras {
  name?: string;
  datasetRef: DatasetRef | null;
  probe: ProbeRecord | null;
  confusion: number[][] | null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Sortable and readable: 20250101-120000-ab12. */
function newSessionId(now = new Date()): string {
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

function datasetLabel(name: string): string {
  return name.includes('/') || name.includes('\\') ? basename(name) : name;
}

function defaultName(session: Session): string {
  const last = session.history.at(-1);
  const acc = last ? ` · test ${(last.test_acc * 100).toFixed(1)}%` : '';
  return `${datasetLabel(session.meta.dataset.name)} · ${session.config.neuron} ${session.config.layers.map((l) => l.size).join('-')} · ${session.epochsDone} epochs${acc}`;
}

function summarize(id: string, session: Session, sidecar: Sidecar | null, sizeBytes: number): SessionSummary {
  const last = session.history.at(-1);
  const selectedEpoch = session.selected?.epoch ?? null;
  const selected = session.history.find((r) => r.epoch === selectedEpoch);
  return {
    id,
    name: sidecar?.name ?? defaultName(session),
    created: session.meta.created,
    dataset: datasetLabel(session.meta.dataset.name),
    datasetRef: sidecar?.datasetRef ?? null,
    config: session.config,
    epochs: session.epochsDone,
    finalTestAcc: last?.test_acc ?? null,
    finalTrainAcc: last?.train_acc ?? null,
    selectedEpoch,
    testAccSelected: selected?.test_acc ?? null,
    validation: session.validation,
    backend: session.meta.backend,
    sizeBytes,
    dataPath: `sessions/${id}.h5`,
    origin: sidecar?.origin ?? null,
  };
}

function parseOrigin(v: unknown): SessionOrigin | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const ok = (o.path === null || typeof o.path === 'string') && typeof o.fileName === 'string' && typeof o.importedAt === 'string';
  return ok ? { path: o.path as string | null, fileName: o.fileName as string, importedAt: o.importedAt as string } : undefined;
}

function parseSidecar(text: string): Sidecar | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const s = v as Record<string, unknown>;
  if (s.version !== SIDECAR_VERSION || typeof s.name !== 'string') return null;
  const datasetRef = s.datasetRef === null || datasetRefErrors(s.datasetRef).length ? null : (s.datasetRef as DatasetRef);
  const probe = typeof s.probe === 'object' && s.probe !== null ? (s.probe as ProbeRecord) : null;
  const confusion = Array.isArray(s.confusion) ? (s.confusion as number[][]) : null;
  const origin = parseOrigin(s.origin);
  return { version: SIDECAR_VERSION, name: s.name, datasetRef, probe, confusion, ...(origin && { origin }) };
}

export class SessionStore {
  constructor(readonly dir: string) {}

  /** The session file of `id`; the id is checked so no id can name a file outside the folder. */
  pathOf(id: string): string {
    const problems = sessionIdErrors(id);
    if (problems.length) throw new Error(problems[0].message);
    return join(this.dir, `${id}.h5`);
  }

  private sidecarPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  async save(session: Session, extras: SaveExtras): Promise<SessionSummary> {
    await mkdir(this.dir, { recursive: true });
    const id = newSessionId();
    const sidecar: Sidecar = {
      version: SIDECAR_VERSION,
      name: extras.name?.trim() || defaultName(session),
      datasetRef: extras.datasetRef,
      probe: extras.probe,
      confusion: extras.confusion,
    };
    // The sidecar first: a session file is what makes a session exist, so it must never lack its sidecar.
    await this.writeSidecar(id, sidecar);
    await writeSession(this.pathOf(id), session);
    return summarize(id, session, sidecar, (await stat(this.pathOf(id))).size);
  }

  private async writeSidecar(id: string, sidecar: Sidecar): Promise<void> {
    const temp = `${this.sidecarPath(id)}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(sidecar));
    await rename(temp, this.sidecarPath(id));
  }

  /**
   * A session file from outside (a path, or an upload's bytes) copied in under a fresh id (sessions/sessionImport.ts),
   * named as it would be by default, with its origin and the dataset its meta names (sessionDataset.ts) recorded.
   * `maxBytes` lowers the size limit (tests).
   */
  async importFile(source: SessionSource, maxBytes?: number): Promise<SessionSummary> {
    const id = newSessionId();
    let sidecar: Sidecar | null = null;
    try {
      const { session, path } = await importSessionFile(source, {
        dir: this.dir,
        id,
        ...(maxBytes !== undefined && { maxBytes }),
        describe: async (session, origin) => {
          sidecar = { version: SIDECAR_VERSION, name: defaultName(session), datasetRef: datasetRefOf(session.meta), probe: null, confusion: null, origin };
          await this.writeSidecar(id, sidecar);
        },
      });
      return summarize(id, session, sidecar, (await stat(path)).size);
    } catch (err) {
      // A sidecar written before a failed rename describes nothing.
      if (sidecar && !(await exists(this.pathOf(id)))) await rm(this.sidecarPath(id), { force: true });
      throw err;
    }
  }

  private async readSidecar(id: string): Promise<Sidecar | null> {
    try {
      return parseSidecar(await readFile(this.sidecarPath(id), 'utf8'));
    } catch {
      return null;
    }
  }

  /** Newest first. A session file that cannot be read is left out of the list, not fatal to it. */
  async list(): Promise<SessionSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const ids = names.filter((n) => n.endsWith('.h5')).map((n) => n.slice(0, -3)).filter((id) => sessionIdErrors(id).length === 0);
    const out: SessionSummary[] = [];
    for (const id of ids) {
      try {
        const path = this.pathOf(id);
        const session = await readSessionGuarded(path);
        out.push(summarize(id, session, await this.readSidecar(id), (await stat(path)).size));
      } catch {
        // An unreadable file (half-copied, another format) is skipped; load(id) reports why.
      }
    }
    return out.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.id < b.id ? 1 : -1));
  }

  async readCheckpoint(id: string): Promise<Session> {
    const path = this.pathOf(id);
    if (!(await exists(path))) throw new Error(`no session "${id}" in ${this.dir}`);
    return readSessionGuarded(path);
  }

  /** The session and the name the list shows for it: messages name a session as the user knows it, not by id. */
  async readNamed(id: string): Promise<{ session: Session; name: string }> {
    const session = await this.readCheckpoint(id);
    return { session, name: (await this.readSidecar(id))?.name ?? defaultName(session) };
  }

  async load(id: string): Promise<LoadedSession> {
    const session = await this.readCheckpoint(id);
    const sidecar = await this.readSidecar(id);
    const summary = summarize(id, session, sidecar, (await stat(this.pathOf(id))).size);
    return {
      summary,
      config: session.config,
      history: session.history,
      meta: { ...session.meta, dataset: { ...session.meta.dataset }, classNames: [...session.meta.classNames] },
      probe: sidecar?.probe ?? null,
      confusion: sidecar?.confusion ?? null,
      // The same seed and shape give the same initial network, so the "initial" τ need not be stored.
      initialTaus: layerTaus(initNetwork(session.params.shape, session.config), session.config.dtS),
      taus: layerTaus(session.params, session.config.dtS),
    };
  }

  async delete(id: string): Promise<void> {
    const path = this.pathOf(id);
    if (!(await exists(path))) throw new Error(`no session "${id}" in ${this.dir}`);
    await rm(path);
    await rm(this.sidecarPath(id), { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
