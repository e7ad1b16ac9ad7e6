/**
 * Preload: exposes exactly the WorkbenchApi contract as `window.workbench`, nothing else (no ipcRenderer,
 * no Node). Sandboxed, so it is bundled to CommonJS and imports nothing but electron and the shared contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { makeWorkbenchApi } from '../shared/apiClient';
import { callChannel, EVENT_CHANNEL, type CallReply } from '../shared/ipc';
import type { WorkbenchEvent } from '../shared/workbenchApi';

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
