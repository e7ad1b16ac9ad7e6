/**
 * Serve-mode API fuzz: seeded random and hostile payloads for every method (wrong types, huge arrays and strings,
 * deep nesting, prototype keys, NaN/Infinity in the raw JSON, paths outside the data directory, bodies that are
 * not JSON) get an error reply (400/422, or 200 where the payload happens to be valid), never a crash or a 500;
 * the server keeps answering; nothing is written outside the data directory.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../src/shared/ipc/channels';
import { HTTP_CALL_PATH, TOKEN_HEADER } from '../../src/shared/ipc/http';
import { startServeServer, type RunningServer } from '../../src/serve/server';
import { mix } from '../../src/services/random/hashMix';
import { JsonFileSettingsStore } from '../../src/services/settings/settingsStore';
import { nodeForkLauncher } from '../../src/services/workbench/nodeForkLauncher';
import { WorkbenchService } from '../../src/services/workbench/workbenchService';
import { TRAINING_ENTRY_BUNDLE } from '../nodeBundle';
import { httpRequest } from './serveHelpers';
import { scaled } from '../slowdown';

const TOKEN = 'fuzz-token-0123456789abcdef';
const PER_METHOD = Number(process.env.API_FUZZ_PER_METHOD ?? 40);
let dir: string;
let running: RunningServer;
let service: WorkbenchService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-apifuzz-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  service = new WorkbenchService({
    mode: 'serve',
    dataDir: join(dir, 'data'),
    settings: new JsonFileSettingsStore(join(dir, 'data', 'settings.json')),
    launch: nodeForkLauncher(TRAINING_ENTRY_BUNDLE),
    // No dataset server: a fetch that gets through validation fails at once.
    fetchOptions: { baseUrls: ['http://127.0.0.1:9/'], retries: 0 },
  });
  running = await startServeServer({ api: service.api, token: TOKEN, port: 0, rendererDir });
});

afterAll(async () => {
  await service?.shutdown({ saveUnsaved: false });
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(method: string, body: string) {
  return httpRequest(`http://127.0.0.1:${running.port}${HTTP_CALL_PATH}${method}`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' },
    body,
  });
}

/** Every file under `root` (relative paths), except the data directory. */
function filesOutsideData(root: string, at = ''): string[] {
  const out: string[] = [];
  for (const f of readdirSync(join(root, at))) {
    const rel = join(at, f);
    if (rel === 'data') continue;
    if (statSync(join(root, rel)).isDirectory()) out.push(...filesOutsideData(root, rel));
    else out.push(rel);
  }
  return out;
}

const HOSTILE_STRINGS = ['', '../../../../etc/passwd', '/etc/passwd', '..', 'C:\\Windows\\win.ini', 'shd\u0000.h5', '%2e%2e%2fsecret', 'x'.repeat(100_000), '__proto__', 'demo'];
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0,
  2 ** 53 + 1,
  [],
  {},
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'),
  { kind: 'files', trainPath: '/etc/passwd', testPath: '../../x.h5' },
  { kind: 'catalog', name: '../shd' },
  { kind: 'demo', seed: -5, trainSamples: 1e12 },
  { dataDir: join(tmpdir(), 'elsewhere') },
  Array.from({ length: 50_000 }, (_, i) => i),
];

function deep(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** A random JSON value from a seeded stream. */
function randomValue(next: () => number, depth = 0): unknown {
  switch (next() % (depth > 3 ? 6 : 9)) {
    case 0:
      return HOSTILE_STRINGS[next() % HOSTILE_STRINGS.length];
    case 1:
      return HOSTILE_VALUES[next() % HOSTILE_VALUES.length];
    case 2:
      return (next() % 2000) - 1000;
    case 3:
      return (next() / 2 ** 32) * 10 ** ((next() % 40) - 20);
    case 4:
      return next() % 2 === 0;
    case 5:
      return String.fromCharCode(...Array.from({ length: next() % 20 }, () => next() % 0xffff));
    case 6:
      return Array.from({ length: next() % 5 }, () => randomValue(next, depth + 1));
    default: {
      const keys = ['kind', 'config', 'dataset', 'name', 'path', 'index', 'epochs', 'layers', 'trainPath', '__proto__', 'constructor', 'prototype', 'sampleIndex', 'epoch', 'backend'];
      const o: Record<string, unknown> = {};
      for (let k = next() % 5; k > 0; k--) o[keys[next() % keys.length]] = randomValue(next, depth + 1);
      return o;
    }
  }
}

describe('serve API fuzz', () => {
  it(`${PER_METHOD} random and a set of hostile payloads per method: error replies, no crash, nothing written outside the data dir`, async () => {
    const before = filesOutsideData(dir).sort();
    const bad: string[] = [];
    let calls = 0;
    const check = async (method: string, body: string, what: string) => {
      calls++;
      const r = await post(method, body);
      let reply: { ok?: unknown } | null = null;
      try {
        reply = JSON.parse(r.body);
      } catch {
        /* not JSON: reported below */
      }
      if (![200, 400, 413, 422].includes(r.status) || typeof reply?.ok !== 'boolean') bad.push(`${method} ${what}: ${r.status} ${r.body.slice(0, 200)}`);
      if (r.status === 200 && method === 'training.start') await service.api.training.stop().catch(() => undefined);
    };
    for (const [m, method] of METHODS.entries()) {
      let i = 0;
      const next = () => mix((mix(m + 1) ^ Math.imul(++i, 0x9e3779b1)) >>> 0);
      const raws: [string, string][] = [
        ['not JSON', 'this is not json'],
        ['NaN', '{"args":[NaN]}'],
        ['Infinity', '{"args":[Infinity, -Infinity]}'],
        ['args not a list', '{"args":{"0":1}}'],
        ['no args', '{}'],
        ['a bare list', '[1,2,3]'],
        ['deep nesting', `{"args":${deep(20_000)}}`],
        ['prototype keys', '{"args":[{"__proto__":{"x":1}}],"__proto__":{"args":[]}}'],
        ['huge array', JSON.stringify({ args: [Array.from({ length: 200_000 }, () => 1)] })],
      ];
      for (const [what, body] of raws) await check(method, body, what);
      for (const v of HOSTILE_VALUES) await check(method, JSON.stringify({ args: [v, v] }), `hostile ${JSON.stringify(v)?.slice(0, 40)}`);
      for (let k = 0; k < PER_METHOD; k++) {
        const args = Array.from({ length: next() % 3 }, () => randomValue(next));
        await check(method, JSON.stringify({ args }), `random ${k}`);
      }
    }
    const alive = await post('info', '{"args":[]}');
    expect(alive.status).toBe(200);
    expect(bad).toEqual([]);
    expect(filesOutsideData(dir).sort()).toEqual(before);
    console.log(`serve API fuzz: ${calls} calls over ${METHODS.length} methods, all answered with an error or a result`);
  }, scaled(600_000));
});
