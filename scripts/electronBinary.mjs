/**
 * Where the Electron executable is, found the way electron's own index.js finds it but without its download
 * fallback (which fails offline with a message that names no way out), or why the desktop app cannot start here:
 * no binary (its postinstall download did not run), or no display to open a window on (Linux without X or
 * Wayland). Used by `npm start` (scripts/start.mjs) and the Electron launch test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ path: string } | { reason: string }} */
export function electronBinary(env = process.env, platform = process.platform, root = ROOT) {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { reason: 'the electron package is not installed (run npm install)' };
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) {
    return {
      reason:
        'no Electron binary: its download at install did not run or failed (offline, or npm skipped its install script; ' +
        'Electron 42\'s installer also wants Node ≥ 22.12). Run "npx install-electron" where the network allows',
    };
  }
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const path = join(dist, readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(path)) return { reason: `no Electron binary at ${path} (run "npx install-electron")` };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { reason: 'no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset; over SSH or on a server, use serve mode, or xvfb-run for a virtual display)' };
  }
  return { path };
}
