import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonFileSettingsStore } from '../../../src/services/settings/settingsStore';
import { nodeForkLauncher } from '../../../src/services/workbench/nodeForkLauncher';
import { WorkbenchService } from '../../../src/services/workbench/workbenchService';
import { TRAINING_ENTRY_BUNDLE } from '../../nodeBundle';
import { startMirror } from '../data/download/mirrorServer';

const dir = mkdtempSync(join(tmpdir(), 'wb-default-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the default dataset', () => {
  it('is the demo set until SHD is downloaded and verified, then SHD; a chosen dataset stays chosen', async () => {
    const settings = new JsonFileSettingsStore(join(dir, 'settings.json'));
    const mirror = await startMirror({ 'shd_train.h5.gz': gzipSync(Buffer.from('train bytes')), 'shd_test.h5.gz': gzipSync(Buffer.from('test bytes')) });
    const service = new WorkbenchService({
      mode: 'serve',
      dataDir: join(dir, 'data'),
      settings,
      launch: nodeForkLauncher(TRAINING_ENTRY_BUNDLE),
      fetchOptions: { baseUrls: [mirror.url], retries: 0 },
    });
    try {
      expect(settings.get().lastDataset).toBeNull();
      expect((await service.getSettings()).lastDataset).toEqual({ kind: 'demo' });

      await service.fetchDataset('shd');
      expect((await service.getSettings()).lastDataset).toEqual({ kind: 'catalog', name: 'shd' });

      service.setSettings({ lastDataset: { kind: 'demo', seed: 4 } });
      expect((await service.getSettings()).lastDataset).toEqual({ kind: 'demo', seed: 4 });
    } finally {
      await service.shutdown();
      await mirror.close();
    }
  });
});
