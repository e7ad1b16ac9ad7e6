/** The `settings.*` calls: the stored settings, with the default dataset filled in, and checked patches. */
import { settingsErrors } from '../../shared/ipc/settingsPayloads';
import type { Settings } from '../../shared/workbenchApi';
import { listDatasets } from '../data/datasetStatus';
import { SettingsError } from '../settings/settingsSchema';
import { fail, type WorkbenchServiceOptions } from './workbenchOptions';

export class SettingsCalls {
  constructor(private readonly opts: WorkbenchServiceOptions) {}

  /** The stored settings; a dataset never chosen is SHD once it is downloaded and verified, else the demo set. */
  async getSettings(): Promise<Settings> {
    const settings = this.opts.settings.get();
    if (settings.lastDataset === null) {
      const shd = (await listDatasets(this.opts.dataDir)).find((d) => d.name === 'shd');
      settings.lastDataset = shd?.available ? { kind: 'catalog', name: 'shd' } : { kind: 'demo' };
    }
    return settings;
  }

  setSettings(patch: Partial<Settings>): Settings {
    const errors = settingsErrors(patch, true);
    if (errors.length) fail(errors, 'invalid settings');
    try {
      return this.opts.settings.set(patch);
    } catch (err) {
      if (err instanceof SettingsError) fail(err.fieldErrors, 'invalid settings');
      throw err;
    }
  }
}
