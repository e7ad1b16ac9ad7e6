/**
 * The application menu's template, Electron-free (types only) so a plain-Node test can check it. The production
 * menu has no Reload (it would drop a live run's page state) and no DevTools; `--debug` brings both back.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  isMac: boolean;
  /** Started with --debug: Reload and DevTools in the View menu. */
  debug: boolean;
  appName: string;
  about: MenuItemConstructorOptions;
}

export function menuTemplate({ isMac, debug, appName, about }: MenuOptions): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ label: appName, submenu: [about, { type: 'separator' as const }, { role: 'quit' as const }] }] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    // Copy and select-all so numbers in the UI can be copied.
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [
        ...(debug ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Help', submenu: [about] },
  ];
}

/** Whether the app was started with --debug (Reload, DevTools). */
export function debugRequested(argv: readonly string[]): boolean {
  return argv.includes('--debug');
}
