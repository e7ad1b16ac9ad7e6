/**
 * Preload: exposes exactly the WorkbenchApi contract as `window.workbench`, and beside it the one thing a
 * sandboxed page cannot do itself, the path of a file dropped on the window (`window.workbenchFiles`); nothing
 * else (no ipcRenderer, no Node). Sandboxed, so it is bundled to CommonJS and imports nothing but electron and
 * the shared contract.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { makeWorkbenchApi } from '../shared/apiClient';
import type { CallReply } from '../shared/ipc/callReply';
import { callChannel, EVENT_CHANNEL } from '../shared/ipc/channels';
import type { FileHandOver, WorkbenchEvent } from '../shared/workbenchApi';

const api = makeWorkbenchApi(
  (method, args) => ipcRenderer.invoke(callChannel(method), ...args) as Promise<CallReply>,
  (callback) => {
    const listener = (_event: IpcRendererEvent, payload: WorkbenchEvent) => callback(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
);

contextBridge.exposeInMainWorld('workbench', api);

// The path only: the file is then opened by the services through the validated `sessions.openFile` call.
const files: FileHandOver = { pathOf: (file) => webUtils.getPathForFile(file) };
contextBridge.exposeInMainWorld('workbenchFiles', files);
