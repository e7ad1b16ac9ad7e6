/**
 * Electron main: wiring only. Builds the workbench service (settings in electron-store, training in a
 * utility process), registers the validated IPC handlers, opens the locked-down window. Every decision
 * lives in a service.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { resolveDataDir } from '../services/data/dataDir';
import { WorkbenchService } from '../services/workbench/workbenchService';
import { ElectronSettingsStore } from './electronSettingsStore';
import { registerIpcHandlers } from './ipcHandlers';
import { installMenu } from './menu';
import { debugRequested } from './menuTemplate';
import { installSessionSecurity, lockDownContents } from './security';
import { utilityProcessLauncher } from './utilityProcessLauncher';
import { createMainWindow } from './window';

/** `--data-dir=DIR` (or `--data-dir DIR`) on the command line, as the CLI and serve mode take it. */
function dataDirFlag(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice('--data-dir='.length) : argv[i + 1];
}

/** The native open dialog for one HDF5 file: its path, or null when cancelled. */
async function pickHdf5File(title: string): Promise<string | null> {
  const win = BrowserWindow.getFocusedWindow();
  const options = {
    title,
    properties: ['openFile' as const],
    filters: [
      { name: 'HDF5', extensions: ['h5', 'hdf5'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

app.on('web-contents-created', (_event, contents) => lockDownContents(contents));

async function start(): Promise<void> {
  await app.whenReady();
  installSessionSecurity();
  const settings = new ElectronSettingsStore();
  const dataDir = resolveDataDir({ flag: dataDirFlag(process.argv), setting: settings.get().dataDir, appDataDir: app.getPath('userData') }).path;
  const service = new WorkbenchService({
    mode: 'electron',
    dataDir,
    settings,
    launch: utilityProcessLauncher(join(import.meta.dirname, 'trainingProcess.js')),
    // Sweep tasks are the headless CLI's `train`, each in its own process: Electron's binary acting as Node.
    sweepCli: { node: process.execPath, entry: join(import.meta.dirname, 'cli.js'), env: { ELECTRON_RUN_AS_NODE: '1' } },
    versions: {
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      v8: process.versions.v8,
    },
    pickFile: () => pickHdf5File('Open an SHD-layout HDF5 file'),
    pickSessionFile: () => pickHdf5File('Open a session file (trained by the app, the CLI or a sweep)'),
  });
  registerIpcHandlers(service.api);
  const debug = debugRequested(process.argv);
  installMenu(() => service.info(), debug);

  const hooks = { isTraining: () => service.training, stopTraining: () => service.shutdown({ saveUnsaved: true }), debug };
  createMainWindow(hooks);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(hooks);
  });

  // Quitting (menu, Cmd+Q) with a run still going: stop it cleanly first.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !service.training) return;
    event.preventDefault();
    quitting = true;
    void service.shutdown({ saveUnsaved: true }).finally(() => app.quit());
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

start().catch((err: unknown) => {
  dialog.showErrorBox('Spiking Workbench could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
