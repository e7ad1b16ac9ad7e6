/**
 * One GET over node's http/https with redirects followed, an idle timeout on the socket (a stalled transfer
 * fails instead of hanging) and cancellation by AbortSignal. Failures become {@link DownloadError}s.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { DownloadError, cancelledError, networkError } from './downloadError';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body stream; the caller must consume or destroy it. */
  body: IncomingMessage;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface HttpGetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** No byte received for this long → the request fails (retryable). */
  idleTimeoutMs: number;
  maxRedirects?: number;
}

const USER_AGENT = 'spiking-workbench dataset downloader';

export function httpGet(url: string, opts: HttpGetOptions, redirectsLeft = opts.maxRedirects ?? 5): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(cancelledError(`request for ${url}`));
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return reject(new DownloadError('bad-response', `not a valid URL: ${url}`));
    }
    const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
    if (!client) return reject(new DownloadError('bad-response', `unsupported URL scheme ${parsed.protocol} in ${url} (use http or https)`));

    const req = client.get(parsed, { headers: { 'user-agent': USER_AGENT, ...opts.headers } });
    const onAbort = () => req.destroy(cancelledError(`request for ${url}`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const detach = () => opts.signal?.removeEventListener('abort', onAbort);
    let response: IncomingMessage | null = null;
    // The socket timeout also covers the body: once the response arrived, destroying it hands its reader this error.
    req.setTimeout(opts.idleTimeoutMs, () => {
      const err = Object.assign(new Error(`no data for ${opts.idleTimeoutMs} ms`), { code: 'SW_IDLE_TIMEOUT' });
      if (response) response.destroy(err);
      else req.destroy(err);
    });
    req.on('error', (err) => {
      detach();
      reject(opts.signal?.aborted ? cancelledError(`request for ${url}`) : networkError(err, url));
    });
    req.on('response', (res) => {
      response = res;
      res.on('close', detach);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && status !== 304 && location) {
        res.resume();
        detach();
        if (redirectsLeft <= 0) return reject(new DownloadError('bad-response', `too many redirects fetching ${url}`));
        const next = new URL(location, parsed).toString();
        httpGet(next, opts, redirectsLeft - 1).then(resolve, reject);
        return;
      }
      resolve({ status, headers: res.headers, body: res, url });
    });
  });
}

/** Reads a small body (md5sums.txt) as text, refusing anything over `maxBytes`. */
export async function readBodyText(res: HttpResponse, maxBytes = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new DownloadError('bad-response', `${res.url}: response larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    throw networkError(err, res.url);
  }
  return Buffer.concat(chunks).toString('utf8');
}
