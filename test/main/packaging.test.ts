/**
 * The packaging config passes electron-builder's own validation (its JSON schema and deprecation checks), names
 * the four targets and an icon that exists at a size every target accepts. Packaging itself downloads Electron
 * and its tools, which this machine cannot.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('packaging config', () => {
  it("passes electron-builder's validation with AppImage, deb, dmg and nsis and a 1024 px icon", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<Record<string, unknown>>;
      validateConfiguration: (config: Record<string, unknown>, logger: { isEnabled: boolean; add(): void }) => Promise<void>;
    };
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    const targets = ['linux', 'mac', 'win'].flatMap((os) => [(config[os] as { target: string | string[] }).target].flat());
    expect(targets.sort()).toEqual(['AppImage', 'deb', 'dmg', 'nsis']);
    const png = readFileSync('resources/icon.png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    // A config error is caught: the validation is real.
    await expect(validateConfiguration({ ...config, linux: { target: 'AppImage', bogusOption: 1 } }, { isEnabled: false, add: () => undefined })).rejects.toThrow(/Invalid configuration object/);
  });
});
