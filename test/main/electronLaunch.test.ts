/**
 * Launches the real app with Playwright's `_electron` and checks the security and the preload contract.
 * Skips itself, saying why, where no Electron binary is installed (this test never triggers the download
 * that `require('electron')` would) or where there is no display to open a window on.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { electronBinary as findElectron } from '../../scripts/electronBinary.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

const electronBinary = findElectron as () => { path: string } | { reason: string };

describe('the Electron app', () => {
  it('opens a sandboxed window whose only API is the workbench contract, and refuses bad payloads', async (ctx) => {
    const found = electronBinary();
    if ('reason' in found) {
      process.stderr.write(`electron launch test skipped: ${found.reason}\n`);
      ctx.skip(found.reason);
      return;
    }
    execFileSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-electron-'));
    const app = await electron.launch({
      executablePath: found.path,
      args: [join(ROOT, 'out/main/index.js'), `--data-dir=${dataDir}`],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.title()).toBe('Spiking Workbench');

      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0].webContents;
        return (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      });
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });

      const surface = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        keys: Object.keys(window.workbench ?? {}).sort(),
        training: Object.keys(window.workbench?.training ?? {}).sort(),
        files: Object.keys(window.workbenchFiles ?? {}),
      }));
      expect(surface.require).toBe('undefined');
      expect(surface.process).toBe('undefined');
      expect(surface.keys).toEqual(['datasets', 'info', 'onEvent', 'probeBackend', 'sessions', 'settings', 'training']);
      expect(surface.training).toEqual(['pause', 'resume', 'setProbeSample', 'start', 'status', 'stop']);
      // Beside the API, only the path of a dropped file (a sandboxed page cannot see it).
      expect(surface.files).toEqual(['pathOf']);

      const info = await page.evaluate(() => window.workbench!.info());
      expect(info).toMatchObject({ mode: 'electron', nativeFileDialog: true, dataDir });
      expect(info.versions.electron).toMatch(/^\d+\./);

      const refused = await page.evaluate(() =>
        window.workbench!.training.start({ config: { hidden: -1 }, dataset: { kind: 'demo' }, backend: 'cpu' } as never).then(
          () => 'accepted',
          (e: Error) => e.message,
        ),
      );
      expect(refused).toMatch(/training\.start: .*hidden must be an integer/);
      // Main survived the bad payload.
      expect((await page.evaluate(() => window.workbench!.settings.get())).backend).toBeDefined();

      const opened = await page.evaluate(() => window.open('https://example.com') === null);
      expect(opened).toBe(true);
      const before = page.url();
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
