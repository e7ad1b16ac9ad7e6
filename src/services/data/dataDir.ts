/**
 * Where downloaded datasets live. Precedence, most specific first:
 *   1. `--data-dir DIR` (one command),
 *   2. the environment variable `SPIKING_WORKBENCH_DATA` (one shell or machine),
 *   3. the `dataDir` setting (the app's preference),
 *   4. the default: `datasets/` inside the app's user-data folder (Electron passes its `userData` path in;
 *      plain Node uses the platform's convention, see {@link platformAppDataDir}).
 * An override names the folder that holds the files itself; only the default adds `datasets/`.
 */
import os from 'node:os';
import path from 'node:path';

export const DATA_DIR_ENV = 'SPIKING_WORKBENCH_DATA';
export const APP_DIR_NAME = 'spiking-workbench';

export type DataDirSource = 'flag' | 'env' | 'setting' | 'default';

export interface DataDirChoice {
  /** Absolute path. */
  path: string;
  source: DataDirSource;
}

export interface DataDirInputs {
  flag?: string | null;
  env?: NodeJS.ProcessEnv;
  setting?: string | null;
  /** The app's user-data folder (Electron's `app.getPath('userData')`); omitted in plain Node. */
  appDataDir?: string;
}

/** The per-user application-data folder of this platform, as Node sees it (no Electron). */
export function platformAppDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // XDG: a relative XDG_DATA_HOME is invalid by the spec and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
  return path.join(base, APP_DIR_NAME);
}

export function defaultDataDir(appDataDir?: string): string {
  return path.join(appDataDir ?? platformAppDataDir(), 'datasets');
}

/** Applies the precedence above; empty strings count as unset. */
export function resolveDataDir(inputs: DataDirInputs = {}): DataDirChoice {
  const env = inputs.env ?? process.env;
  const candidates: [string | null | undefined, DataDirSource][] = [
    [inputs.flag, 'flag'],
    [env[DATA_DIR_ENV], 'env'],
    [inputs.setting, 'setting'],
  ];
  for (const [value, source] of candidates) {
    if (value && value.trim() !== '') return { path: path.resolve(expandHome(value.trim())), source };
  }
  return { path: path.resolve(defaultDataDir(inputs.appDataDir)), source: 'default' };
}

/** `~/x` as typed in a settings field or quoted on a command line (where the shell did not expand it). */
function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}
