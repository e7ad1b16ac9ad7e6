/** The application menu and the about box (app, runtime and backend versions). */
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppInfo } from '../shared/workbenchApi';
import { menuTemplate } from './menuTemplate';

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

export function installMenu(getInfo: () => AppInfo, debug: boolean): void {
  const about: MenuItemConstructorOptions = { label: 'About Spiking Workbench', click: () => void showAbout(getInfo) };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isMac: process.platform === 'darwin', debug, appName: app.name, about })));
}
