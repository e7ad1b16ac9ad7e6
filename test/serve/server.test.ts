import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/shared/config';
import { HTTP_CALL_PATH, TOKEN_HEADER } from '../../src/shared/ipc/http';
import { startServeServer, type RunningServer } from '../../src/serve/server';
import { makeDemoDataset } from '../../src/services/data/demoData';
import { JsonFileSettingsStore } from '../../src/services/settings/settingsStore';
import { augmentPreview } from '../../src/services/workbench/augmentPreview';
import { nodeForkLauncher } from '../../src/services/workbench/nodeForkLauncher';
import { TRAINING_ENTRY_BUNDLE } from '../nodeBundle';
import { WorkbenchService } from '../../src/services/workbench/workbenchService';
import { httpRequest, openEventStream } from './serveHelpers';

const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let running: RunningServer;
let base: string;
let service: WorkbenchService;
let mirror: Server;
let mirrorUrl: string;

function call(method: string, args: unknown, headers: Record<string, string> = { [TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' }) {
  return httpRequest(`${base}${HTTP_CALL_PATH}${method}`, { method: 'POST', headers, body: JSON.stringify({ args }) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-serve-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Spiking Workbench</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer folder');
  // A dataset mirror that has nothing: every download fails with 404.
  mirror = createServer((_req, res) => res.writeHead(404).end('not here'));
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', () => r()));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
  service = new WorkbenchService({
    mode: 'serve',
    dataDir: join(dir, 'data'),
    settings: new JsonFileSettingsStore(join(dir, 'data', 'settings.json')),
    launch: nodeForkLauncher(TRAINING_ENTRY_BUNDLE),
    fetchOptions: { baseUrls: [mirrorUrl], retries: 0 },
  });
  running = await startServeServer({ api: service.api, token: TOKEN, port: 0, rendererDir });
  base = `http://127.0.0.1:${running.port}`;
});

afterAll(async () => {
  await running?.close();
  await new Promise<void>((r) => mirror?.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('serve mode HTTP server', () => {
  it('prints a loopback URL with the token', () => {
    expect(running.url).toBe(`http://127.0.0.1:${running.port}/?token=${TOKEN}`);
    expect(running.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses every request without the right token', async () => {
    const page = await httpRequest(`${base}/`);
    expect(page.status).toBe(401);
    expect(page.body).toMatch(/missing or wrong token/);
    const api = await call('info', [], { 'content-type': 'application/json' });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: expect.stringMatching(/token/) });
    const wrong = await call('info', [], { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN.replace('0', '1') });
    expect(wrong.status).toBe(401);
    const events = await httpRequest(`${base}/api/events?token=nope`);
    expect(events.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await httpRequest(`${base}/?token=${TOKEN}`, { headers: { host: 'evil.example:80' } });
    expect(r.status).toBe(421);
  });

  it('serves the page with a strict CSP and a token cookie, named for its port, that admits the assets but not the API', async () => {
    const page = await httpRequest(`${base}/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Spiking Workbench</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe(`workbench_token_${running.port}=${TOKEN}`);
    // Cookies reach every port of the host: one that leaked to another local server must not open the API.
    const byCookie = await call('info', [], { 'content-type': 'application/json', cookie });
    expect(byCookie.status).toBe(401);
    const events = await httpRequest(`${base}/api/events`, { headers: { cookie } });
    expect(events.status).toBe(401);
    // Another port's cookie admits nothing here.
    const other = await httpRequest(`${base}/assets/app.js`, { headers: { cookie: `workbench_token_1=${TOKEN}` } });
    expect(other.status).toBe(401);
    const asset = await httpRequest(`${base}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/text\/javascript/);
    expect(asset.body).toBe('console.log("app");');
    const escape = await httpRequest(`${base}/..%2fsecret.txt`, { headers: { cookie } });
    expect(escape.status).toBe(404);
    expect(escape.body).not.toContain('outside');
  });

  it('answers a valid call', async () => {
    const r = await call('info', []);
    expect(r.status).toBe(200);
    const reply = JSON.parse(r.body);
    expect(reply.ok).toBe(true);
    expect(reply.value).toMatchObject({ mode: 'serve', apiVersion: 1, nativeFileDialog: false, dataDir: join(dir, 'data') });
    expect(reply.value.backends.options.map((o: { name: string }) => o.name)).toEqual(['webgpu', 'gpu', 'native', 'wasm', 'cpu']);
    // Dawn's binding ships with the app; whether it finds an adapter is known after a probe.
    expect(reply.value.backends.options[0]).toEqual({ name: 'webgpu', installed: true });
    // This machine has neither native package: the picker says so, with what the GPU build needs.
    const gpu = reply.value.backends.options[1];
    expect(gpu.installed).toBe(false);
    expect(gpu.reason).toMatch(/^not installed \(@tensorflow\/tfjs-node-gpu\) \(.*CUDA 11\.2 and cuDNN 8\.1\)$/);
  });

  it('answers a bad payload with 400 and the problems, and keeps serving', async () => {
    const bad = await call('training.start', [{ config: { ...DEFAULT_CONFIG, tauMemS: { lo: -1, hi: 0.01 }, epochs: 0 }, dataset: { kind: 'demo' }, backend: 'cpu' }]);
    expect(bad.status).toBe(400);
    const reply = JSON.parse(bad.body);
    expect(reply.ok).toBe(false);
    expect(reply.error).toBe('training.start: epochs must be an integer ≥ 1 and ≤ 100000 (got 0); tauMemS.lo must be a number > 0 and ≤ 10 (got -1)');
    expect(reply.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual(['epochs', 'tauMemS.lo']);

    const notJson = await httpRequest(`${base}${HTTP_CALL_PATH}info`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' },
      body: '{args:',
    });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error).toMatch(/not JSON/);
    expect((await call('nope.nothing', [])).status).toBe(400);
    expect(JSON.parse((await call('info', 'x')).body).error).toBe('request body must be {"args": [...]}');
    const form = await httpRequest(`${base}${HTTP_CALL_PATH}info`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'text/plain' },
      body: '{"args":[]}',
    });
    expect(form.status).toBe(415);
    const huge = await call('datasets.openFile', ['x'.repeat(1_100_000)]);
    expect(huge.status).toBe(413);

    expect((await call('info', [])).status).toBe(200);
  });

  it('answers a valid call that cannot be done with 422 and the reason', async () => {
    const r = await call('sessions.load', ['20990101-000000-abcd']);
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body).error).toBe(`no session "20990101-000000-abcd" in ${join(dir, 'data', 'sessions')}`);
    const pause = await call('training.pause', []);
    expect(JSON.parse(pause.body)).toMatchObject({ ok: false, error: 'no training run to pause' });
  });

  it('previews a training sample and its augmented copy, and refuses a bad request (400) or a sample out of range (422)', async () => {
    const config = { ...DEFAULT_CONFIG, nbSteps: 40, epochs: 2, validationFraction: 0, augment: { ...DEFAULT_CONFIG.augment, channelShift: 4, deleteP: 0.2 } };
    const request = { dataset: { kind: 'demo', trainSamples: 20, testSamples: 10 }, config, sampleIndex: 3, epoch: 2 };
    const r = await call('datasets.augmentPreview', [request]);
    expect(r.status).toBe(200);
    const preview = JSON.parse(r.body).value;
    // Computed in the training process, it is what the service function gives on the same demo file.
    expect(preview).toEqual(augmentPreview(makeDemoDataset({ seed: 0, split: 'train', samples: 20 }), request));
    expect(preview).toMatchObject({ sampleIndex: 3, trainPartIndex: 3, epoch: 2, nbSteps: 40, channels: 700, blendPartner: null });
    expect(preview.applied).toEqual(['spike deletion (p = 0.2)', expect.stringMatching(/^channel shift [+−][0-4] \(of ±4\)$/)]);
    expect(preview.original.t.length).toBeGreaterThan(100);
    expect(preview.augmented).not.toEqual(preview.original);

    const bad = await call('datasets.augmentPreview', [{ ...request, epoch: 3 }]);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({
      ok: false,
      error: "datasets.augmentPreview: epoch must be at most the config's 2 epochs (got 3)",
      fieldErrors: [{ field: 'epoch' }],
    });
    const far = await call('datasets.augmentPreview', [{ ...request, sampleIndex: 20 }]);
    expect(far.status).toBe(422);
    expect(JSON.parse(far.body).error).toBe('train sample 20 is out of range: the training file has 20 samples (0…19)');
  });

  it('stores settings through the API and refuses invalid ones', async () => {
    const set = await call('settings.set', [{ backend: 'wasm', probeSample: 4 }]);
    expect(set.status).toBe(200);
    expect(JSON.parse(set.body).value).toMatchObject({ backend: 'wasm', probeSample: 4 });
    expect(JSON.parse((await call('settings.get', [])).body).value.backend).toBe('wasm');
    const bad = await call('settings.set', [{ dataDir: 3 }]);
    expect(bad.status).toBe(400);
    expect(new JsonFileSettingsStore(join(dir, 'data', 'settings.json')).get().backend).toBe('wasm');
  });

  it('streams events: a failing download reports its progress and its error', async () => {
    const stream = openEventStream(`${base}/api/events?token=${TOKEN}`);
    await stream.opened;
    expect(stream.status()).toBe(200);
    const r = await call('datasets.fetch', ['shd']);
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body).error).toMatch(/404/);
    const error = await stream.waitFor<{ progress: { phase: string; message: string } }>(
      (e) => (e as { kind: string }).kind === 'download' && (e as { progress: { phase: string } }).progress.phase === 'error',
    );
    expect(error.progress.message).toMatch(/404/);
    expect(stream.events.some((e) => (e as { kind: string; progress?: { phase: string } }).progress?.phase === 'connecting')).toBe(true);
    stream.close();
  });

  it('streams a training run started over HTTP, then saves it as a session', async () => {
    const stream = openEventStream(`${base}/api/events?token=${TOKEN}`);
    await stream.opened;
    // 20 demo samples are one per class: too few to hold any out, so this run trains without a validation set.
    const config = { ...DEFAULT_CONFIG, layers: [{ size: 16, recurrent: true, dropout: 0 }], nbSteps: 20, batchSize: 10, epochs: 1, validationFraction: 0 };
    const started = await call('training.start', [{ config, dataset: { kind: 'demo', trainSamples: 20, testSamples: 10 }, backend: 'cpu' }]);
    expect(started.status).toBe(200);
    const { runId } = JSON.parse(started.body).value;
    const isRun = (type: string) => (e: unknown) => {
      const ev = e as { kind: string; runId?: string; event?: { type: string } };
      return ev.kind === 'train' && ev.runId === runId && ev.event?.type === type;
    };
    const done = await stream.waitFor<{ event: { reason: string; history: unknown[] } }>(isRun('done'));
    expect(done.event.reason).toBe('completed');
    expect(done.event.history).toHaveLength(1);
    expect(stream.events.filter(isRun('batch'))).toHaveLength(2);
    expect(stream.events.filter(isRun('probe'))).toHaveLength(1);
    await stream.waitFor((e) => (e as { kind: string; state?: string }).kind === 'state' && (e as { state: string }).state === 'idle');
    const saved = await call('sessions.save', ['over http']);
    expect(saved.status).toBe(200);
    expect(JSON.parse(saved.body).value).toMatchObject({ name: 'over http', epochs: 1, dataset: 'demo' });
    const sessions = await stream.waitFor<{ sessions: { name: string }[] }>((e) => (e as { kind: string }).kind === 'sessions');
    expect(sessions.sessions.map((s) => s.name)).toEqual(['over http']);
    stream.close();
  });
});
