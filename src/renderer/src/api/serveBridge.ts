/**
 * The WorkbenchApi over HTTP, for a browser talking to `npm run serve`: calls are POSTs of JSON, events
 * arrive on one Server-Sent Events stream. The token comes from the page URL (`?token=`, kept in sessionStorage
 * for reloads) and goes with every call (header) and the event stream (query); the server's cookie admits only
 * the page and its assets.
 */
import { makeWorkbenchApi } from '../../../shared/apiClient';
import type { CallReply } from '../../../shared/ipc/callReply';
import type { MethodName } from '../../../shared/ipc/channels';
import { HTTP_CALL_PATH, HTTP_EVENTS_PATH, TOKEN_HEADER, TOKEN_QUERY } from '../../../shared/ipc/http';
import type { WorkbenchApi, WorkbenchEvent } from '../../../shared/workbenchApi';

export interface ServeBridgeOptions {
  /** Origin of the server; default: the page's own. */
  baseUrl?: string;
  /** Default: `?token=` of the page URL. */
  token?: string;
}

/**
 * The token of this page: from `?token=` when the page was opened with the printed URL (then kept in this tab's
 * sessionStorage, which is per origin, port included), else from sessionStorage (a reload of the bare address).
 * The API does not accept the cookie, which other local ports receive too.
 */
export function pageToken(): string {
  const KEY = 'workbench_token';
  const fromUrl = new URLSearchParams(window.location.search).get(TOKEN_QUERY);
  try {
    if (fromUrl) window.sessionStorage.setItem(KEY, fromUrl);
    return fromUrl ?? window.sessionStorage.getItem(KEY) ?? '';
  } catch {
    return fromUrl ?? ''; // storage disabled
  }
}

export function createServeBridge(options: ServeBridgeOptions = {}): WorkbenchApi {
  const base = options.baseUrl ?? window.location.origin;
  const token = options.token ?? pageToken();

  const call = async (method: MethodName, args: unknown[]): Promise<CallReply> => {
    let response: Response;
    try {
      response = await fetch(`${base}${HTTP_CALL_PATH}${method}`, {
        method: 'POST',
        headers: token ? { 'content-type': 'application/json', [TOKEN_HEADER]: token } : { 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
        credentials: 'same-origin',
      });
    } catch (err) {
      return { ok: false, error: `the workbench server did not answer (${(err as Error).message})`, fieldErrors: [] };
    }
    try {
      return (await response.json()) as CallReply;
    } catch {
      return { ok: false, error: `the workbench server answered ${response.status} ${response.statusText} without a reply`, fieldErrors: [] };
    }
  };

  // One stream shared by every subscriber, opened on the first and closed after the last.
  const listeners = new Set<(event: WorkbenchEvent) => void>();
  let source: EventSource | null = null;
  const subscribe = (callback: (event: WorkbenchEvent) => void) => {
    listeners.add(callback);
    if (!source) {
      const url = token ? `${base}${HTTP_EVENTS_PATH}?${TOKEN_QUERY}=${encodeURIComponent(token)}` : `${base}${HTTP_EVENTS_PATH}`;
      source = new EventSource(url, { withCredentials: false });
      source.onmessage = (message: MessageEvent<string>) => {
        let event: WorkbenchEvent;
        try {
          event = JSON.parse(message.data) as WorkbenchEvent;
        } catch {
          return;
        }
        for (const listener of [...listeners]) listener(event);
      };
    }
    return () => {
      listeners.delete(callback);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };

  return makeWorkbenchApi(call, subscribe);
}

let cached: WorkbenchApi | undefined;

/** The API the renderer uses: the preload's in the Electron app, the HTTP bridge in a browser. */
export function workbenchApi(): WorkbenchApi {
  if (window.workbench) return window.workbench;
  cached ??= createServeBridge();
  return cached;
}
