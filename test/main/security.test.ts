/**
 * Which URLs the app treats as its own pages (navigation, loads, IPC senders). Electron itself is mocked:
 * isAppUrl is plain URL logic, and the rest of security.ts needs a running app.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ session: {}, shell: {} }));
const { isAppUrl, isAllowedExternal, allowPermission } = await import('../../src/main/security');

const RENDERER = join('/opt', 'Spiking Workbench', 'resources', 'app', 'out', 'renderer');

describe('isAppUrl', () => {
  afterEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
  });

  it("accepts the built renderer's own files", () => {
    expect(isAppUrl(pathToFileURL(join(RENDERER, 'index.html')).href, RENDERER)).toBe(true);
    expect(isAppUrl(`${pathToFileURL(join(RENDERER, 'assets', 'index-abc.js')).href}?x=1#y`, RENDERER)).toBe(true);
  });

  it('refuses other local files: an HTML file dropped on the window must not get the workbench API', () => {
    expect(isAppUrl('file:///home/user/Downloads/evil.html', RENDERER)).toBe(false);
    expect(isAppUrl(pathToFileURL(`${RENDERER}-evil/index.html`).href, RENDERER)).toBe(false);
    expect(isAppUrl(`${pathToFileURL(RENDERER).href}/../../../../etc/passwd`, RENDERER)).toBe(false);
    expect(isAppUrl(`${pathToFileURL(RENDERER).href}/%2e%2e/%2e%2e/secret.html`, RENDERER)).toBe(false);
    expect(isAppUrl('https://example.com/', RENDERER)).toBe(false);
    expect(isAppUrl('not a url', RENDERER)).toBe(false);
  });

  it("accepts the dev server's origin only, not a host that merely starts with it", () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    expect(isAppUrl('http://localhost:5173/src/main.ts', RENDERER)).toBe(true);
    expect(isAppUrl('ws://localhost:5173/', RENDERER)).toBe(true);
    expect(isAppUrl('http://localhost:5173.evil.example/', RENDERER)).toBe(false);
    expect(isAppUrl('http://localhost:51730/', RENDERER)).toBe(false);
  });
});

describe('isAllowedExternal', () => {
  it('opens only https links to the hosts the app links to', () => {
    expect(isAllowedExternal('https://zenkelab.org/datasets/')).toBe(true);
    expect(isAllowedExternal('https://github.com/IGITUGraz/SE-adlif')).toBe(true);
    expect(isAllowedExternal('http://zenkelab.org/')).toBe(false);
    expect(isAllowedExternal('https://evil.example/')).toBe(false);
    expect(isAllowedExternal('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternal('not a url')).toBe(false);
  });
});

describe('allowPermission', () => {
  const page = pathToFileURL(join(RENDERER, 'index.html')).href;
  it('grants the microphone to the app\'s own pages and nothing else', () => {
    expect(allowPermission('media', ['audio'], page, RENDERER)).toBe(true);
    expect(allowPermission('media', ['audio', 'video'], page, RENDERER)).toBe(false);
    expect(allowPermission('media', ['video'], page, RENDERER)).toBe(false);
    expect(allowPermission('media', [], page, RENDERER)).toBe(false);
    expect(allowPermission('media', undefined, page, RENDERER)).toBe(false);
    expect(allowPermission('media', ['audio'], 'file:///home/user/evil.html', RENDERER)).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal']) expect(allowPermission(p, ['audio'], page, RENDERER)).toBe(false);
  });
});
