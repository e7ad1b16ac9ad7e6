/** The application menu and the about box (app, runtime and backend versions). */
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppInfo } from '../shared/workbenchApi';

export function aboutText(info: AppInfo): string {
  const v = info.versions;
  const backend = info.backends.lastReport;
  const lines = [
    `Spiking Workbench ${info.appVersion}`,
    '',
    `Electron ${v.electron ?? '?'} · Chromium ${v.chrome ?? '?'} · Node ${v.node} · V8 ${v.v8 ?? '?'}`,
    `TensorFlow.js ${v.tfjs ?? '(not loaded yet)'}`,
    backend
      ? `Backend: ${backend.name} (tfjs "${backend.tfBackend}")${backend.skipped.map((s) => `\n  ${s.name} skipped: ${s.reason}`).join('')}`
      : `Backend preference: ${info.backends.preference} (none used yet)`,
    `Installed: ${info.backends.options.map((o) => `${o.name}${o.installed ? '' : ' (not installed)'}`).join(', ')}`,
    `Data: ${info.dataDir}`,
    `Platform: ${info.platform}`,
  ];
  return lines.join('\n');
}

export async function showAbout(getInfo: () => AppInfo): Promise<void> {
  const options = { type: 'info' as const, title: 'About Spiking Workbench', message: 'Spiking Workbench', detail: aboutText(getInfo()), buttons: ['OK'] };
  const win = BrowserWindow.getFocusedWindow();
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

export function installMenu(getInfo: () => AppInfo): void {
  const about: MenuItemConstructorOptions = { label: 'About Spiking Workbench', click: () => void showAbout(getInfo) };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ label: app.name, submenu: [about, { type: 'separator' as const }, { role: 'quit' as const }] }] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    // Copy and select-all so numbers in the UI can be copied.
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Help', submenu: [about] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
