/**
 * Opening session files from outside the sessions folder: a good file is copied in under the fresh id, byte for
 * byte, with its origin; every wrong file (not HDF5, truncated, HDF5 but not a session, too large, missing, a
 * folder) is refused with one line naming it as the user knows it, and leaves nothing in the sessions folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSession } from '../../../src/services/sessions/sessionWrite';
import { importSessionFile, SessionImportError, type SessionSource } from '../../../src/services/sessions/sessionImport';
import { SessionStore } from '../../../src/services/workbench/sessionStore';
import type { SessionOrigin } from '../../../src/shared/workbenchApi';
import { sampleSession } from './sampleSession';

const root = mkdtempSync(join(tmpdir(), 'sw-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NOT_A_SESSION = resolve(import.meta.dirname, '../../fixtures/shd/f16_fixed_keys.h5');
const good = join(root, 'cli run.h5');
await writeSession(good, sampleSession());
const goodBytes = readFileSync(good);

let n = 0;
function freshDir(): string {
  const d = join(root, `sessions-${n++}`);
  mkdirSync(d);
  return d;
}

/** An upload's body in chunks of `size` bytes, as a request streams it. */
async function* chunks(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function upload(fileName: string, bytes: Uint8Array): SessionSource {
  return { kind: 'upload', fileName, body: chunks(bytes) };
}

const described: SessionOrigin[] = [];
const target = (dir: string, maxBytes?: number) => ({
  dir,
  id: 'imported-1',
  ...(maxBytes !== undefined && { maxBytes }),
  now: new Date('2026-02-03T04:05:06.000Z'),
  describe: async (_s: unknown, origin: SessionOrigin) => void described.push(origin),
});

/** Refused with a one-line SessionImportError whose message matches, and the folder left empty. */
async function expectRefused(source: SessionSource, message: RegExp, maxBytes?: number): Promise<void> {
  const dir = freshDir();
  const before = described.length;
  const err = await importSessionFile(source, target(dir, maxBytes)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SessionImportError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message).not.toContain('\n');
  expect((err as Error).message).not.toMatch(/import\.tmp/);
  expect(readdirSync(dir)).toEqual([]);
  expect(described.length).toBe(before);
}

describe('importSessionFile', () => {
  it('copies a session file in under the id, byte for byte, describing it before it appears', async () => {
    const dir = freshDir();
    let seenBeforeRename: string[] = [];
    const imported = await importSessionFile(
      { kind: 'path', path: good },
      { ...target(dir), describe: async () => void (seenBeforeRename = readdirSync(dir).filter((f) => !f.startsWith('.'))) },
    );
    expect(imported.path).toBe(join(dir, 'imported-1.h5'));
    expect(readFileSync(imported.path).equals(goodBytes)).toBe(true);
    expect(imported.origin).toEqual({ path: good, fileName: 'cli run.h5', importedAt: '2026-02-03T04:05:06.000Z' });
    expect(imported.session.epochsDone).toBe(2);
    expect(imported.session.meta.dataset.name).toBe('unit-test');
    // When the caller describes it, the session file is not in place yet (the list cannot show it half-made).
    expect(seenBeforeRename).toEqual([]);
    expect(readdirSync(dir)).toEqual(['imported-1.h5']);
  });

  it('takes an upload streamed in chunks, its origin the uploaded name without a path', async () => {
    const dir = freshDir();
    const imported = await importSessionFile(upload('from colleague.h5', goodBytes), target(dir));
    expect(readFileSync(imported.path).equals(goodBytes)).toBe(true);
    expect(imported.origin).toEqual({ path: null, fileName: 'from colleague.h5', importedAt: '2026-02-03T04:05:06.000Z' });
  });

  it('refuses a file that is not HDF5, naming it', async () => {
    const text = join(root, 'notes.h5');
    writeFileSync(text, 'these are my notes, not a session\n'.repeat(20));
    await expectRefused({ kind: 'path', path: text }, new RegExp(`^session file ${text}: not an HDF5 file \\(no HDF5 signature found\\)$`));
    await expectRefused(upload('notes.h5', readFileSync(text)), /^session file notes\.h5: not an HDF5 file \(no HDF5 signature found\)$/);
  });

  it('refuses an empty file', async () => {
    await expectRefused(upload('empty.h5', new Uint8Array(0)), /^session file empty\.h5: not an HDF5 file \(empty file\)$/);
  });

  it('refuses a truncated session file, naming it', async () => {
    const cut = join(root, 'cut.h5');
    writeFileSync(cut, goodBytes.subarray(0, Math.floor(goodBytes.length / 2)));
    await expectRefused({ kind: 'path', path: cut }, new RegExp(`^session file ${cut}: truncated file: ${Math.floor(goodBytes.length / 2)} bytes on disk`));
    await expectRefused(upload('cut.h5', goodBytes.subarray(0, 600)), /^session file cut\.h5: truncated file/);
  });

  it('refuses an HDF5 file that is not a session (a dataset), naming it', async () => {
    await expectRefused({ kind: 'path', path: NOT_A_SESSION }, new RegExp(`^session file ${NOT_A_SESSION}: .*(missing|format)`));
    await expectRefused(upload('f16_fixed_keys.h5', readFileSync(NOT_A_SESSION)), /^session file f16_fixed_keys\.h5: /);
  });

  it('refuses a file over the size limit before copying it (path) or as soon as the upload passes it', async () => {
    const limit = goodBytes.length - 1;
    await expectRefused({ kind: 'path', path: good }, new RegExp(`^${good}: ${goodBytes.length} bytes is over the ${limit} bytes limit for a session file$`), limit);
    await expectRefused(upload('big.h5', goodBytes), new RegExp(`^big\\.h5: it is over the ${limit} bytes limit for a session file$`), limit);
  });

  it('refuses a missing path and a folder', async () => {
    await expectRefused({ kind: 'path', path: join(root, 'nowhere.h5') }, new RegExp(`^${join(root, 'nowhere.h5')}: no such file$`));
    await expectRefused({ kind: 'path', path: root }, new RegExp(`^${root}: not a file$`));
  });

  it('removes the temp file of an import whose process died, and keeps a live one', async () => {
    const dir = freshDir();
    // pid 2^22 + 1 is above Linux's pid_max default of 4 194 304: no live process has it.
    const dead = '.x.h5.4194305.import.tmp';
    const live = `.y.h5.${process.ppid}.import.tmp`;
    writeFileSync(join(dir, dead), 'half');
    writeFileSync(join(dir, live), 'half');
    await importSessionFile({ kind: 'path', path: good }, target(dir));
    expect(readdirSync(dir).sort()).toEqual([live, 'imported-1.h5'].sort());
  });
});

describe('SessionStore.importFile', () => {
  it('lists the opened session with its origin, data path and a default name, next to a saved one', async () => {
    const store = new SessionStore(freshDir());
    const saved = await store.save(sampleSession(), { datasetRef: null, probe: null, confusion: null });
    const opened = await store.importFile({ kind: 'path', path: good });
    expect(opened.id).not.toBe(saved.id);
    expect(opened).toMatchObject({ dataPath: `sessions/${opened.id}.h5`, epochs: 2, dataset: 'unit-test', datasetRef: null });
    expect(opened.origin).toMatchObject({ path: good, fileName: 'cli run.h5' });
    expect(opened.name).toBe('unit-test · lif 5 · 2 epochs · test 40.0%');
    const listed = await store.list();
    expect(listed.map((s) => s.id).sort()).toEqual([saved.id, opened.id].sort());
    expect(listed.find((s) => s.id === opened.id)!.origin).toEqual(opened.origin);
    expect(listed.find((s) => s.id === saved.id)!.origin).toBeNull();
    // It loads like any other (the session the list shows is the one on disk).
    expect((await store.load(opened.id)).history.length).toBe(2);
  });

  it('leaves neither a session nor a sidecar behind when it refuses a file', async () => {
    const dir = freshDir();
    const store = new SessionStore(dir);
    await expect(store.importFile({ kind: 'path', path: NOT_A_SESSION })).rejects.toThrow(SessionImportError);
    expect(readdirSync(dir)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });
});
