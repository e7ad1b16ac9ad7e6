import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP_CALL_PATH, TOKEN_HEADER } from '../../src/shared/ipc/http';
import { SERVE_BUNDLE } from '../nodeBundle';
import { httpRequest } from './serveHelpers';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wb-serve-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundle `npm run serve` runs, started directly so that SIGTERM reaches the server itself. */
function serve(args: string[]) {
  const child = spawn(process.execPath, [SERVE_BUNDLE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('npm run serve (src/serve/index.ts)', () => {
  it('prints the URL with a token on stdout, answers with that token, and stops cleanly on SIGTERM', async () => {
    const s = serve(['--port', '0', '--data-dir', dir, '--renderer-dir', join(dir, 'no-renderer')]);
    const deadline = Date.now() + 60_000;
    while (!/Serving on /.test(s.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const match = /^Serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{20,}))$/m.exec(s.out());
    expect(match, s.out() + s.err()).not.toBeNull();
    const [, , port, token] = match!;
    const info = await httpRequest(`http://127.0.0.1:${port}${HTTP_CALL_PATH}info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: '{"args":[]}',
    });
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body).value.dataDir).toBe(dir);
    const page = await httpRequest(`http://127.0.0.1:${port}/?token=${token}`);
    expect(page.status).toBe(503);
    expect(page.body).toMatch(/npm run build:renderer/);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('refuses a bad --port with a message and exit code 2', async () => {
    const s = serve(['--port', 'eighty']);
    expect(await s.exited).toBe(2);
    expect(s.err()).toMatch(/--port must be an integer from 0 to 65535 \(got "eighty"\)/);
  });
});
