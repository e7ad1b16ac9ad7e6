/** Small HTTP helpers for the serve-mode tests: plain node:http, so headers like Host can be set freely. */
import { request } from 'node:http';
import { scaled } from '../slowdown';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as it came (downloads). */
  bytes: Buffer;
}

/** `body` as one string or buffer, or as several chunks (then sent chunked, without a Content-Length). */
export function httpRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array | Uint8Array[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', reject);
    if (Array.isArray(opts.body)) for (const chunk of opts.body) req.write(chunk);
    else if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Opens the event stream and collects every event until closed. */
export function openEventStream(url: string, headers: Record<string, string> = {}) {
  const events: unknown[] = [];
  const waiters: { test: (e: unknown) => boolean; resolve: (e: unknown) => void }[] = [];
  let status = 0;
  let buffer = '';
  const req = request(url, { headers }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        for (const line of block.split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const event = JSON.parse(line.slice(6));
          events.push(event);
          for (const w of [...waiters]) {
            if (w.test(event)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(event);
            }
          }
        }
      }
    });
  });
  req.on('error', () => {});
  req.end();
  const opened = new Promise<void>((resolve) => req.on('response', () => resolve()));
  return {
    events,
    opened,
    status: () => status,
    /** Resolves with the first event (already seen or to come) that passes `test`. */
    waitFor<T>(test: (e: unknown) => boolean, timeoutMs = scaled(60_000)): Promise<T> {
      const seen = events.find(test);
      if (seen) return Promise.resolve(seen as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events).slice(0, 2000)}`)), timeoutMs);
        waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e as T)) });
      });
    },
    close: () => req.destroy(),
  };
}
