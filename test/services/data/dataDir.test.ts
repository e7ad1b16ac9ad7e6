import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { platformAppDataDir, resolveDataDir } from '../../../src/services/data/dataDir';

describe('resolveDataDir', () => {
  const env = { SPIKING_WORKBENCH_DATA: '/from/env' };

  it('takes the flag over the env var over the setting over the default', () => {
    expect(resolveDataDir({ flag: '/from/flag', env, setting: '/from/setting', appDataDir: '/app' })).toEqual({ path: '/from/flag', source: 'flag' });
    expect(resolveDataDir({ env, setting: '/from/setting', appDataDir: '/app' })).toEqual({ path: '/from/env', source: 'env' });
    expect(resolveDataDir({ env: {}, setting: '/from/setting', appDataDir: '/app' })).toEqual({ path: '/from/setting', source: 'setting' });
    expect(resolveDataDir({ env: {}, setting: '  ', appDataDir: '/app' })).toEqual({ path: '/app/datasets', source: 'default' });
  });

  it('makes relative paths absolute and expands ~', () => {
    expect(resolveDataDir({ flag: 'rel/dir', env: {} }).path).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir({ flag: '~/sw', env: {} }).path).toBe(path.join(os.homedir(), 'sw'));
  });

  it('follows each platform convention without Electron', () => {
    expect(platformAppDataDir('linux', { XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe('/xdg/spiking-workbench');
    expect(platformAppDataDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/share/spiking-workbench');
    expect(platformAppDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/spiking-workbench');
    expect(platformAppDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\spiking-workbench');
  });
});
