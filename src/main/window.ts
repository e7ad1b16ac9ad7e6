/** The main window: sandboxed, isolated renderer with the preload's API and nothing else. */
import { join } from 'node:path';
import { BrowserWindow, dialog } from 'electron';
import { lockDownContents } from './security';

export interface WindowHooks {
  /** True while a training run is active: closing then asks first. */
  isTraining: () => boolean;
  /** Stops the run cleanly (batch finished), saves its last completed epoch, resolves when its process exited. */
  stopTraining: () => Promise<unknown>;
  /** Started with --debug: DevTools can open (they cannot otherwise, not even by shortcut). */
  debug: boolean;
}

export function createMainWindow(hooks: WindowHooks): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Spiking Workbench',
    // resources/icon.png: beside out/ in the repository and in the packaged app (electron-builder.yml `files`).
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: hooks.debug,
      // A middle click on a link must not open a window either (setWindowOpenHandler covers the rest).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  lockDownContents(win.webContents);
  win.once('ready-to-show', () => win.show());

  let closeConfirmed = false;
  win.on('close', (event) => {
    if (closeConfirmed || !hooks.isTraining()) return;
    event.preventDefault();
    void dialog
      .showMessageBox(win, {
        type: 'question',
        buttons: ['Stop, save and close', 'Keep training'],
        defaultId: 1,
        cancelId: 1,
        title: 'Training in progress',
        message: 'A training run is in progress.',
        detail: 'Closing stops the run after the current batch and saves its last completed epoch as a session.',
      })
      .then(async ({ response }) => {
        if (response !== 0) return;
        closeConfirmed = true;
        await hooks.stopTraining();
        if (!win.isDestroyed()) win.close();
      });
  });

  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}
