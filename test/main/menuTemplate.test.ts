import { describe, expect, it } from 'vitest';
import { debugRequested, menuTemplate } from '../../src/main/menuTemplate';

const roles = (debug: boolean, isMac = false) =>
  JSON.stringify(menuTemplate({ isMac, debug, appName: 'Spiking Workbench', about: { label: 'About' } }))
    .match(/"role":"[a-zA-Z]+"/g)!
    .map((r) => r.slice(8, -1));

describe('application menu', () => {
  it('has no Reload or DevTools in production, both with --debug', () => {
    for (const isMac of [false, true]) {
      expect(roles(false, isMac)).not.toContain('reload');
      expect(roles(false, isMac)).not.toContain('toggleDevTools');
      expect(roles(true, isMac)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
      expect(roles(false, isMac)).toEqual(expect.arrayContaining(['copy', 'selectAll', 'zoomIn']));
    }
    expect(debugRequested(['electron', '.', '--debug'])).toBe(true);
    expect(debugRequested(['electron', '.', '--data-dir', '/x'])).toBe(false);
  });
});
