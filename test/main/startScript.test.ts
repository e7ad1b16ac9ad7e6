/**
 * `npm start` where the desktop app cannot start (no Electron binary here, or no display): one line says why, and
 * serve mode starts by itself with the same UI, its URL on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { electronBinary } from '../../scripts/electronBinary.mjs';
import { httpRequest } from '../serve/serveHelpers';
import { scaled } from '../slowdown';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wb-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Found = { path: string } | { reason: string };
const find = electronBinary as (env: NodeJS.ProcessEnv, platform: string, root?: string) => Found;

describe('npm start (scripts/start.mjs)', () => {
  it('names why the desktop app cannot start: no electron package, no binary, no display', () => {
    expect(find({}, 'linux', dir)).toEqual({ reason: 'the electron package is not installed (run npm install)' });
    // A stand-in electron package: first without its downloaded binary, then with one.
    const pkg = join(dir, 'fake', 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    const root = join(dir, 'fake');
    expect(find({}, 'linux', root)).toEqual({ reason: expect.stringMatching(/^no Electron binary: its download at install did not run/) });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(find({ DISPLAY: ':0' }, 'linux', root)).toEqual({ reason: `no Electron binary at ${join(pkg, 'dist', 'electron')} (run "npx install-electron")` });
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(find({}, 'linux', root)).toEqual({ reason: expect.stringMatching(/^no display to open a window on/) });
    expect(find({ DISPLAY: ':0' }, 'linux', root)).toEqual({ path: join(pkg, 'dist', 'electron') });
    expect(find({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', root)).toEqual({ path: join(pkg, 'dist', 'electron') });
    expect(find({}, 'darwin', root)).toEqual({ path: join(pkg, 'dist', 'electron') });
  });

  it('says why in one line and starts serve mode, whose page answers', async () => {
    // No Electron binary can be found at this override, whatever this machine has installed.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0', '--data-dir', dir], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      // Waits on the builds (renderer and bundles), however slow the machine; the test's own timeout bounds it.
      while (!/Serving on /.test(out) && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(err.split('\n')[0]).toMatch(/^npm start: the desktop app cannot start here: (no Electron binary|no display)/);
      expect(err).toMatch(/Starting serve mode instead/);
      const url = /^Serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      expect(url, out + err).not.toBeNull();
      const page = await httpRequest(url![1]);
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/<html/i);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, scaled(300_000));
});
