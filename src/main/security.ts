/**
 * The window's security: a strict Content-Security-Policy sent as a response header on everything the
 * renderer loads (on top of the meta tag in index.html), no navigation away from the app, no new windows,
 * no permission grants but the microphone for the app's own pages (the Listen view), and nothing loaded from
 * the network.
 */
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { session, shell, type WebContents } from 'electron';

export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** The built renderer (out/renderer, beside this bundle's out/main), as window.ts loads it. */
export const RENDERER_DIR = join(import.meta.dirname, '../renderer');

/**
 * The app's own pages: the built renderer's files, or the dev server in `npm run dev`. Only files inside the
 * renderer folder count: any other file:// page (an HTML file dropped on the window) would otherwise be
 * navigated to and given the workbench API.
 */
export function isAppUrl(url: string, rendererDir: string = RENDERER_DIR): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    let path: string;
    try {
      path = fileURLToPath(parsed);
    } catch {
      return false;
    }
    return path.startsWith(resolve(rendererDir) + sep);
  }
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev === undefined) return false;
  const devUrl = new URL(dev);
  // The dev server's hot-reload socket is the same origin over ws://.
  const socket = new URL(dev.replace(/^http/, 'ws'));
  return parsed.origin === devUrl.origin || parsed.origin === socket.origin;
}

/** The hosts the app's pages link to (datasets, papers, code); anything else is not opened at all. */
export const EXTERNAL_HOSTS: readonly string[] = ['zenkelab.org', 'github.com', 'doi.org', 'arxiv.org', 'www.nature.com', 'neuroir.org', 'www.electronjs.org'];

export function isAllowedExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && EXTERNAL_HOSTS.includes(parsed.hostname);
}

export function installSessionSecurity(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  // Only the app's own files (and the dev server during development) may load: no remote content at all.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = isAppUrl(details.url) || details.url.startsWith('devtools://') || details.url.startsWith('data:') || details.url.startsWith('blob:');
    callback({ cancel: !ok });
  });
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const types = (details as { mediaTypes?: string[] }).mediaTypes;
    callback(allowPermission(permission, types, details.requestingUrl || wc.getURL()));
  });
  ses.setPermissionCheckHandler((_wc, permission, origin, details) => allowPermission(permission, (details as { mediaType?: string }).mediaType ? [(details as { mediaType?: string }).mediaType!] : [], details.requestingUrl || origin));
}

/**
 * The one permission the app grants: the microphone (audio only, never the camera or screen) to its own pages,
 * for the Listen view, which asks when the user presses Record or Live. Everything else is refused.
 */
export function allowPermission(permission: string, mediaTypes: readonly string[] | undefined, url: string, rendererDir: string = RENDERER_DIR): boolean {
  return permission === 'media' && mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'audio') && isAppUrl(url, rendererDir);
}

/** Applied to every WebContents the app creates. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation and data sources open in the user's browser, never inside the app; only https to
    // the hosts the app links to, so a crafted link cannot hand the OS an arbitrary URL or scheme.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
