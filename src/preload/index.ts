/** Preload: exposes the typed contract to the renderer through contextBridge, nothing else. */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('workbench', { version: '0.1.0' });
