/**
 * Serve mode's files: a session file uploaded from a browser joins the list; session files and NIR exports download
 * as attachments; nothing outside the data directory can be downloaded, however the path is spelled; wrong, badly
 * named and oversized uploads are refused with one line each (413 before or while the body arrives).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FILES_PATH, HTTP_UPLOAD_SESSION_PATH, TOKEN_HEADER } from '../../src/shared/ipc/http';
import type { SessionSummary } from '../../src/shared/workbenchApi';
import { startServeServer, type RunningServer } from '../../src/serve/server';
import { writeSession } from '../../src/services/sessions/sessionWrite';
import { JsonFileSettingsStore } from '../../src/services/settings/settingsStore';
import { nodeForkLauncher } from '../../src/services/workbench/nodeForkLauncher';
import { WorkbenchService } from '../../src/services/workbench/workbenchService';
import { TRAINING_ENTRY_BUNDLE } from '../nodeBundle';
import { sampleSession } from '../services/sessions/sampleSession';
import { httpRequest } from './serveHelpers';

const TOKEN = 'files-token-0123456789abcdef';
const MAX_BYTES = 200_000;
let dir: string;
let dataDir: string;
let running: RunningServer;
let base: string;
let service: WorkbenchService;
let sessionBytes: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-files-'));
  dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the data directory');
  await writeSession(join(dir, 'run.h5'), sampleSession());
  sessionBytes = readFileSync(join(dir, 'run.h5'));
  expect(sessionBytes.length).toBeLessThan(MAX_BYTES);
  service = new WorkbenchService({ mode: 'serve', dataDir, settings: new JsonFileSettingsStore(join(dataDir, 'settings.json')), launch: nodeForkLauncher(TRAINING_ENTRY_BUNDLE) });
  const files = { dataDir, importSession: (name: string, body: AsyncIterable<Uint8Array>) => service.importSessionUpload(name, body), maxSessionBytes: MAX_BYTES };
  running = await startServeServer({ api: service.api, token: TOKEN, port: 0, rendererDir, files });
  base = `http://127.0.0.1:${running.port}`;
});

afterAll(async () => {
  await service?.shutdown();
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

function upload(name: string, body: Uint8Array | Uint8Array[], headers: Record<string, string> = {}) {
  const sized: Record<string, string> = Array.isArray(body) ? {} : { 'content-length': String(body.length) };
  return httpRequest(`${base}${HTTP_UPLOAD_SESSION_PATH}?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'application/octet-stream', ...sized, ...headers },
    body,
  });
}

/** GET of a path as written (not normalised by a URL parser first). */
const download = (rawPath: string, token = TOKEN) => httpRequest(`${base}${HTTP_FILES_PATH}${rawPath}${token ? `?token=${token}` : ''}`);

describe('session uploads and file downloads', () => {
  let uploaded: SessionSummary;

  it('imports an uploaded session file, which joins the list with its origin', async () => {
    const r = await upload('cluster run.h5', sessionBytes);
    expect(r.status).toBe(200);
    const reply = JSON.parse(r.body) as { ok: true; value: SessionSummary };
    expect(reply.ok).toBe(true);
    uploaded = reply.value;
    expect(uploaded.origin).toMatchObject({ path: null, fileName: 'cluster run.h5' });
    expect(uploaded.dataPath).toBe(`sessions/${uploaded.id}.h5`);
    expect((await service.api.sessions.list()).map((s) => s.id)).toEqual([uploaded.id]);
  });

  it('downloads the session file as an attachment, the bytes uploaded', async () => {
    const r = await download(uploaded.dataPath);
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${uploaded.id}.h5"; filename*=UTF-8''${uploaded.id}.h5`);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.bytes.equals(sessionBytes)).toBe(true);
  });

  it('downloads a NIR export', async () => {
    const exported = await service.api.sessions.exportNir(uploaded.id);
    expect(exported.dataPath).toBe(`exports/${uploaded.id}.nir`);
    const r = await download(exported.dataPath);
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${uploaded.id}\\.nir"`));
    expect(r.bytes.equals(readFileSync(exported.path))).toBe(true);
  });

  it('needs the token', async () => {
    expect((await download(uploaded.dataPath, '')).status).toBe(401);
    expect((await download(uploaded.dataPath, 'wrong')).status).toBe(401);
    const r = await httpRequest(`${base}${HTTP_UPLOAD_SESSION_PATH}?name=a.h5`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: sessionBytes });
    expect(r.status).toBe(401);
  });

  it('serves nothing outside the data directory, however the path is spelled', async () => {
    symlinkSync(join(dir, 'secret.txt'), join(dataDir, 'link.txt'));
    writeFileSync(join(dataDir, 'sessions', '.half.h5.123.import.tmp'), 'in progress');
    const attempts = [
      '..%2Fsecret.txt',
      '%2e%2e%2fsecret.txt',
      'sessions%2F..%2F..%2Fsecret.txt',
      'sessions/..%2F..%2Fsecret.txt',
      '..%5Csecret.txt',
      `%2F${encodeURIComponent(join(dir, 'secret.txt').slice(1))}`,
      encodeURIComponent(join(dir, 'secret.txt')),
      'link.txt',
      'sessions/.half.h5.123.import.tmp',
      'sessions',
      'sessions/',
      'sessions//x.h5',
      'missing.h5',
      '%E0%A4%A',
      'a%00b',
    ];
    for (const path of attempts) {
      const r = await download(path);
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: expect.stringMatching(/^no such file in the data directory: /) });
    }
    // A raw ../ is resolved by the URL parser before routing: it leaves /api/files/ and finds nothing either.
    const raw = await download('../../secret.txt');
    expect(raw.status).toBe(404);
    expect(raw.body).not.toContain('outside the data directory');
  });

  it('refuses an upload that is not a session file, naming it', async () => {
    const r = await upload('notes.h5', Buffer.from('not a session at all\n'.repeat(10)));
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: 'session file notes.h5: not an HDF5 file (no HDF5 signature found)', fieldErrors: [] });
  });

  it('refuses an oversized upload with 413: by its Content-Length, or once a chunked body passes the limit', async () => {
    const big = new Uint8Array(MAX_BYTES + 1);
    const declared = await upload('huge.h5', big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toBe('huge.h5: 200001 bytes is over the 200000 bytes limit for a session file');
    const chunks = Array.from({ length: 30 }, () => new Uint8Array(10_000));
    const streamed = await upload('huge.h5', chunks);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toBe('huge.h5: it is over the 200000 bytes limit for a session file');
    // Nothing half-written was left, and the list is as it was.
    expect((await service.api.sessions.list()).map((s) => s.id)).toEqual([uploaded.id]);
  });

  it('refuses an upload without a plain file name, of the wrong type, or not a POST', async () => {
    const folder = await upload('../evil.h5', sessionBytes);
    expect(folder.status).toBe(400);
    expect(JSON.parse(folder.body).error).toBe('session upload: name must be a file name without folders or control characters (got "../evil.h5")');
    const nameless = await httpRequest(`${base}${HTTP_UPLOAD_SESSION_PATH}`, { method: 'POST', headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'application/octet-stream' }, body: sessionBytes });
    expect(nameless.status).toBe(400);
    const json = await upload('a.h5', sessionBytes, { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const get = await httpRequest(`${base}${HTTP_UPLOAD_SESSION_PATH}?name=a.h5&token=${TOKEN}`);
    expect(get.status).toBe(405);
    expect((await service.api.sessions.list()).length).toBe(1);
  });
});
