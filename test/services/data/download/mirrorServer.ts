/**
 * A dataset mirror for the download tests: a real node http server on 127.0.0.1 (random port) serving files
 * under /datasets/ (and redirects from /moved/) and an md5sums.txt, with switches for the failures the downloader must survive.
 * Every request is recorded.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface MirrorBehaviour {
  /** Answer Range requests with the whole file and 200, as servers without Range support do. */
  ignoreRange?: boolean;
  /** For these files, the first `times` responses stop after `afterBytes` of the file and the connection is destroyed. */
  drop?: Record<string, { afterBytes: number; times: number }>;
  /** For these files, the first `times` responses send up to `afterBytes` of the file, then go silent. */
  stall?: Record<string, { afterBytes: number; times: number }>;
  /** For these files, the first `times` responses have this status. */
  failStatus?: Record<string, { status: number; times: number }>;
  /** Send bodies in chunks of this size with this delay between them (to cancel mid-transfer). */
  chunk?: { bytes: number; delayMs: number };
}

export interface RecordedRequest {
  file: string;
  range: string | undefined;
  status: number;
}

export interface MirrorServer {
  /** Base URL, ending in /datasets/. */
  url: string;
  /** Served files by name (md5sums.txt included). */
  files: Map<string, Buffer>;
  requests: RecordedRequest[];
  behaviour: MirrorBehaviour;
  /** Sets md5sums.txt from the .gz files, with `override` md5s (e.g. a wrong one). */
  writeMd5Sums(override?: Record<string, string>): void;
  close(): Promise<void>;
}

export function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

export async function startMirror(files: Record<string, Buffer>, behaviour: MirrorBehaviour = {}): Promise<MirrorServer> {
  const sockets = new Set<Socket>();
  const counts = new Map<string, number>();

  const mirror: MirrorServer = {
    url: '',
    files: new Map(Object.entries(files)),
    requests: [],
    behaviour,
    writeMd5Sums(override = {}) {
      const lines = [...mirror.files.entries()]
        .filter(([name]) => name.endsWith('.gz'))
        .map(([name, data]) => `${override[name] ?? md5(data)}  ${name}`);
      mirror.files.set('md5sums.txt', Buffer.from(lines.join('\n') + '\n'));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0];
    // /moved/X answers with a redirect to /datasets/X, as a mirror that moved would.
    if (urlPath.startsWith('/moved/')) {
      mirror.requests.push({ file: urlPath, range: req.headers.range, status: 301 });
      res.writeHead(301, { location: `/datasets/${urlPath.slice('/moved/'.length)}` }).end();
      return;
    }
    const file = urlPath.startsWith('/datasets/') ? decodeURIComponent(urlPath.slice('/datasets/'.length)) : '';
    const range = req.headers.range;
    const n = (counts.get(file) ?? 0) + 1;
    counts.set(file, n);
    const b = mirror.behaviour;
    const reply = (status: number, headers: Record<string, string | number> = {}) => {
      mirror.requests.push({ file, range, status });
      res.writeHead(status, headers);
    };

    const fail = b.failStatus?.[file];
    if (fail && n <= fail.times) return void reply(fail.status), res.end('failure for the test');
    const body = mirror.files.get(file);
    if (!body) return void reply(404), res.end('not found');

    let start = 0;
    const m = range && !b.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m && Number(m[1]) >= body.length) return void reply(416, { 'content-range': `bytes */${body.length}` }), res.end();
    if (m) start = Number(m[1]);
    const part = body.subarray(start);
    const headers: Record<string, string | number> = { 'content-length': part.length };
    if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    reply(m ? 206 : 200, headers);

    const drop = b.drop?.[file];
    if (drop && n <= drop.times) {
      // Destroyed a moment after the bytes left, so the client has read them (a reset could discard them).
      res.write(part.subarray(0, Math.max(0, drop.afterBytes - start)), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    const stall = b.stall?.[file];
    if (stall && n <= stall.times) {
      res.write(part.subarray(0, Math.max(0, stall.afterBytes - start)));
      return;
    }
    const chunk = b.chunk;
    if (!chunk) return void res.end(part);
    let offset = 0;
    const sendNext = () => {
      if (res.destroyed) return;
      if (offset >= part.length) return void res.end();
      res.write(part.subarray(offset, offset + chunk.bytes));
      offset += chunk.bytes;
      setTimeout(sendNext, chunk.delayMs);
    };
    sendNext();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/datasets/`;
  mirror.writeMd5Sums();
  return mirror;
}
