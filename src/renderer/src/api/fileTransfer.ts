/**
 * Files between the user's machine and the services. A session file the user drops on the window or picks in the
 * page reaches the services by path in the desktop app (the preload's `workbenchFiles.pathOf`, then the validated
 * `sessions.openFile` call) and by upload in serve mode (its bytes POSTed to the server, which may run elsewhere).
 * Downloads exist in serve mode only: the desktop app's files are already on this machine.
 */
import type { CallReply } from '../../../shared/ipc/callReply';
import { HTTP_FILES_PATH, HTTP_UPLOAD_SESSION_PATH, MAX_SESSION_FILE_BYTES, TOKEN_HEADER, TOKEN_QUERY, sessionSizeRefusal } from '../../../shared/ipc/http';
import { WorkbenchError, type SessionSummary, type WorkbenchApi } from '../../../shared/workbenchApi';
import { pageToken } from './serveBridge';

/** Opens one session file from the page; rejects with the service's one-line refusal for a wrong file. */
export async function openSessionFile(api: WorkbenchApi, file: File): Promise<SessionSummary> {
  if (window.workbench) {
    const path = window.workbenchFiles?.pathOf(file) ?? '';
    if (!path) throw new WorkbenchError(`${file.name}: the app cannot see where this file is saved; save it to disk and open it with Open…`);
    return api.sessions.openFile(path);
  }
  return uploadSession(file);
}

async function uploadSession(file: File): Promise<SessionSummary> {
  // Refused here already: the server would refuse it too, but only after the bytes crossed the network.
  if (file.size > MAX_SESSION_FILE_BYTES) throw new WorkbenchError(sessionSizeRefusal(file.name, file.size));
  const token = pageToken();
  let response: Response;
  try {
    response = await fetch(`${window.location.origin}${HTTP_UPLOAD_SESSION_PATH}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...(token && { [TOKEN_HEADER]: token }) },
      body: file,
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new WorkbenchError(`${file.name}: the upload did not reach the workbench server (${(err as Error).message})`);
  }
  let reply: CallReply<SessionSummary>;
  try {
    reply = (await response.json()) as CallReply<SessionSummary>;
  } catch {
    throw new WorkbenchError(`${file.name}: the workbench server answered ${response.status} ${response.statusText} without a reply`);
  }
  if (!reply.ok) throw new WorkbenchError(reply.error);
  return reply.value;
}

/** Where serve mode downloads a file of the data directory (a summary's or export's `dataPath`); null in the desktop app. */
export function downloadUrl(dataPath: string): string | null {
  if (window.workbench) return null;
  const token = pageToken();
  const path = dataPath.split('/').map(encodeURIComponent).join('/');
  return `${window.location.origin}${HTTP_FILES_PATH}${path}${token ? `?${TOKEN_QUERY}=${encodeURIComponent(token)}` : ''}`;
}
