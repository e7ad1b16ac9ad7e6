/**
 * Serve mode's HTTP server: the built renderer and the workbench API for a browser on the same machine
 * (or at the end of an SSH tunnel). Listens on 127.0.0.1 only. Every request must carry the token printed
 * with the URL — as `?token=` or the `x-workbench-token` header; for the page and its assets also the cookie
 * `workbench_token_<port>` set when the page is first opened with the token (cookies reach every port of a
 * host, so the cookie alone never admits the API) — and a Host header naming the loopback address (no
 * DNS-rebinding).
 *
 *   POST /api/call/<method>  body {"args": [...]}  → CallReply: 200 done, 400 bad payload, 422 could not be done
 *   GET  /api/events                              → Server-Sent Events, one WorkbenchEvent per message
 *   POST /api/upload/session?name=FILE  body: the file's bytes → CallReply of its SessionSummary (413 too large)
 *   GET  /api/files/<path in the data dir>        → the file as a download (sessions, NIR exports); 404 outside it
 *   GET  /, /assets/...                           → the renderer (out/renderer-web)
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { errorReply, okReply } from '../shared/ipc/callReply';
import { HTTP_CALL_PATH, HTTP_EVENTS_PATH, HTTP_FILES_PATH, HTTP_UPLOAD_SESSION_PATH, MAX_BODY_BYTES, MAX_SESSION_FILE_BYTES, TOKEN_COOKIE, TOKEN_HEADER, TOKEN_QUERY, sessionSizeRefusal, uploadNameErrors } from '../shared/ipc/http';
import type { SessionSummary, WorkbenchApi } from '../shared/workbenchApi';
import { dispatchCall } from '../services/workbench/dispatch';
import { attachmentHeader, dataFileOf } from './dataFiles';

/** The page may load only itself: no remote scripts, frames, or form posts; fetch and SSE to its own origin. */
export const SERVE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface ServeOptions {
  api: WorkbenchApi;
  token: string;
  /** Folder of the built renderer (index.html and assets/). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Seconds between SSE keep-alive comments (proxies and tunnels drop silent connections). */
  keepAliveS?: number;
  /** Session uploads and downloads from the data directory; without it those endpoints answer 404. */
  files?: ServeFiles;
}

/** What the upload and download endpoints work on (the workbench service, in serve/index.ts). */
export interface ServeFiles {
  /** Downloads come from inside this folder only (dataFiles.ts). */
  dataDir: string;
  /** Imports an uploaded session file, its bytes streamed in; rejects with a one-line message for a wrong file. */
  importSession(fileName: string, body: AsyncIterable<Uint8Array>): Promise<SessionSummary>;
  /** Larger uploads are refused with 413 (default MAX_SESSION_FILE_BYTES). */
  maxSessionBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function baseHeaders(): Record<string, string> {
  return {
    'content-security-policy': SERVE_CSP,
    'x-content-type-options': 'nosniff',
    // The token is in the page URL: never send it on as a Referer.
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...baseHeaders(), 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...baseHeaders(), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text + '\n');
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is read to its end (not stored) so the client gets the 413 instead of a reset socket;
  // a body far beyond the limit is cut off.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * MAX_BODY_BYTES) req.destroy();
    else if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

class BodyTooLarge extends Error {}

/**
 * Answers a request whose body was not (fully) read, then reads what is left of it without keeping it, so the
 * client sees the answer rather than a reset socket; a body that goes on far beyond the limit is cut off.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, errorReply(message));
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 16 * MAX_BODY_BYTES) req.destroy();
  });
  req.resume();
}

/**
 * The request body, stopping with `onOver` once it passes `maxBytes`. The request stays open when reading stops
 * early (a plain for-await would destroy it, and the socket with it), so the refusal can still be answered.
 */
async function* limitedBody(req: IncomingMessage, maxBytes: number, onOver: () => Error): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw onOver();
    yield chunk as Buffer;
  }
}

export async function startServeServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const rendererDir = resolve(opts.rendererDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  const handleCall = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    if (req.method !== 'POST') return sendJson(res, 405, errorReply(`${HTTP_CALL_PATH}${method} takes POST`));
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, errorReply('calls must be sent as application/json'));
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendJson(res, 413, errorReply(`request body over ${MAX_BODY_BYTES} bytes`));
      return sendJson(res, 400, errorReply(`request body is not JSON: ${(err as Error).message}`));
    }
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { args?: unknown }).args)) {
      return sendJson(res, 400, errorReply('request body must be {"args": [...]}'));
    }
    const outcome = await dispatchCall(opts.api, method, (body as { args: unknown[] }).args);
    sendJson(res, outcome.status === 'ok' ? 200 : outcome.status === 'refused' ? 400 : 422, outcome.reply);
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const files = opts.files;
    if (!files) return refuseBody(req, res, 404, `no such endpoint ${url.pathname}`);
    if (req.method !== 'POST') return refuseBody(req, res, 405, `${HTTP_UPLOAD_SESSION_PATH} takes POST`);
    const name = url.searchParams.get('name');
    const problems = uploadNameErrors(name);
    if (problems.length) return refuseBody(req, res, 400, `session upload: ${problems[0].message}`);
    if (!(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
      return refuseBody(req, res, 415, `session upload ${name}: send the file's bytes as application/octet-stream`);
    }
    const maxBytes = files.maxSessionBytes ?? MAX_SESSION_FILE_BYTES;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return refuseBody(req, res, 413, sessionSizeRefusal(name!, declared, maxBytes));
    let over = false;
    const body = limitedBody(req, maxBytes, () => ((over = true), new BodyTooLarge()));
    try {
      sendJson(res, 200, okReply(await files.importSession(name!, body)));
    } catch (err) {
      // The service's message names the file; an upload cut off at the limit gets the limit's message.
      refuseBody(req, res, over ? 413 : 422, over ? sessionSizeRefusal(name!, null, maxBytes) : err instanceof Error ? err.message : String(err));
    }
  };

  const handleFile = async (req: IncomingMessage, res: ServerResponse, relative: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, errorReply(`${HTTP_FILES_PATH} takes GET`));
    const file = opts.files ? await dataFileOf(opts.files.dataDir, relative) : null;
    if (!file) return sendJson(res, 404, errorReply(`no such file in the data directory: ${relative.slice(0, 200)}`));
    const info = await stat(file);
    res.writeHead(200, {
      ...baseHeaders(),
      'content-type': 'application/octet-stream',
      'content-length': String(info.size),
      'content-disposition': attachmentHeader(basename(file)),
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      ...baseHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = opts.api.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), (opts.keepAliveS ?? 15) * 1000);
    const end = () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('error', end);
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string, setCookie: string | null) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const file = normalize(join(rendererDir, relative));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return sendText(res, 404, 'not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      if (pathname === '/') return sendText(res, 503, `the renderer is not built (${join(rendererDir, 'index.html')} missing): run npm run build:renderer`);
      return sendText(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      ...baseHeaders(),
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      'cache-control': 'no-cache',
    };
    if (setCookie) headers['set-cookie'] = setCookie;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (!allowedHosts().has(req.headers.host ?? '')) return sendText(res, 421, `wrong Host header ${JSON.stringify(req.headers.host ?? '')}: use the printed URL`);
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const fromQuery = url.searchParams.get(TOKEN_QUERY);
      const header = req.headers[TOKEN_HEADER];
      // Cookies are shared by every port of a host, so the cookie (named for this port) admits only the page and
      // its assets; the API and the event stream take the token from the header or the query alone, so a cookie
      // that reached another local server cannot be replayed against this one's data.
      const api = url.pathname.startsWith('/api/');
      const cookieName = `${TOKEN_COOKIE}_${port}`;
      const candidates = [typeof header === 'string' ? header : null, fromQuery, api ? null : cookieValue(req.headers.cookie, cookieName)];
      if (!candidates.some((given) => sameToken(given, opts.token))) {
        const message = 'missing or wrong token: open the URL that npm run serve printed';
        return url.pathname.startsWith('/api/') ? sendJson(res, 401, errorReply(message)) : sendText(res, 401, message);
      }
      if (url.pathname.startsWith(HTTP_CALL_PATH)) return handleCall(req, res, url.pathname.slice(HTTP_CALL_PATH.length));
      if (url.pathname === HTTP_EVENTS_PATH) return handleEvents(req, res);
      if (url.pathname === HTTP_UPLOAD_SESSION_PATH) return handleUpload(req, res, url);
      if (url.pathname.startsWith(HTTP_FILES_PATH)) return handleFile(req, res, url.pathname.slice(HTTP_FILES_PATH.length));
      if (url.pathname.startsWith('/api/')) return sendJson(res, 404, errorReply(`no such endpoint ${url.pathname}`));
      // The page is opened with ?token=; the cookie carries it to the assets and reloads of the page (the page
      // keeps the token itself, in sessionStorage, for the API).
      const cookie = fromQuery ? `${cookieName}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/` : null;
      return handleStatic(req, res, url.pathname, cookie);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorReply(`server error: ${(err as Error).message}`));
      else res.destroy();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/?${TOKEN_QUERY}=${opts.token}`,
    port,
    server,
    close: async () => {
      for (const res of streams) res.end();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Browsers and agents keep idle connections open; they would hold close() for their keep-alive timeout.
      server.closeIdleConnections();
      await closed;
    },
  };
}
