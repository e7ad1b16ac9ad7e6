/**
 * IPC wiring, thin: one handler per API method, each validating its payload (dispatchCall → checkCall) and
 * answering a CallReply, never throwing; service events forwarded to every window. Calls from frames that
 * are not the app's own pages are refused.
 */
import { BrowserWindow, ipcMain } from 'electron';
import { errorReply } from '../shared/ipc/callReply';
import { callChannel, EVENT_CHANNEL, METHODS } from '../shared/ipc/channels';
import type { WorkbenchApi, WorkbenchEvent } from '../shared/workbenchApi';
import { dispatchCall } from '../services/workbench/dispatch';
import { isAppUrl } from './security';

export function registerIpcHandlers(api: WorkbenchApi): void {
  for (const method of METHODS) {
    ipcMain.handle(callChannel(method), async (event, ...args: unknown[]) => {
      const url = event.senderFrame?.url ?? '';
      if (!isAppUrl(url)) return errorReply(`call ${method} refused: it came from ${url || 'an unknown frame'}, not the app`);
      return (await dispatchCall(api, method, args)).reply;
    });
  }
  api.onEvent((event: WorkbenchEvent) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
    }
  });
}
