/**
 * End to end in Debian's Chromium against serve mode with the real services (issue 5 §4): the renderer is
 * built from the current sources, the workbench service and its HTTP server run in this process, training
 * runs in the forked training process. Pick demo data, change τ_mem and epochs, see a bad value refused,
 * train, watch the curves and the table fill, check that rasters and traces are drawn (pixels, not DOM),
 * save, reload, load, resume. A second run trains a small adLIF stack (an adLIF preset when the list has one)
 * and checks the layer picker, the adaptation trace and the τ histograms. A third opens the Spikes tab's
 * augmentation preview with augmentation off, then on, and checks that both rasters are drawn and differ.
 * A fourth picks the webgpu backend, sees its adapter in the picker and trains on it. A fifth builds a sweep
 * from the form on two HDF5 files with τ typed in ms, sees the values train would refuse marked in the preview,
 * runs it here (each run with τ in seconds), sorts and filters its table, draws its scatter plot on labelled axes,
 * opens a run as a session and compares two. Another drops a session file the CLI trained on the window, sees its curves,
 * evaluates it on the demo test set (the accuracy the CLI's `evaluate --selected` prints), checks its NIR export there,
 * and downloads both files. Another repeats the form's run with 2 seeds and sees their report card on the Sessions
 * tab, copies its Markdown and downloads its CSV. Two train the newer kinds: a neuron typed in the form's editor
 * (a typo refused in words, its backward checked before the first epoch, saved, reopened and evaluated) and brf.
 * The last drives one neuron of every kind in the Playground tab, the form's own neuron too, and sees its state
 * traces, spikes, f–I curve and phase portrait drawn.
 * Screenshots of every view go to test/artifacts/e2e/ (gitignored).
 */
import { ADLIF_PROGRAM } from '../fixtures/customNeurons';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeServer, type RunningServer } from '../../src/serve/server';
import { NEURONS } from '../../src/shared/config';
import { EXAMPLE_CUSTOM_SOURCE } from '../../src/shared/customNeuron';
import { PRESETS } from '../../src/shared/presets';
import { ShdFileWriter } from '../../src/services/data/shdWriter';
import { JsonFileSettingsStore } from '../../src/services/settings/settingsStore';
import { nodeForkLauncher } from '../../src/services/workbench/nodeForkLauncher';
import { CLI_BUNDLE, TRAINING_ENTRY_BUNDLE } from '../nodeBundle';
import { runCli } from '../cli/cliProcess';
import { WorkbenchService } from '../../src/services/workbench/workbenchService';
import { describeAdapter } from '../../src/shared/adapterText';
import { webgpuAvailable } from '../services/engine/webgpuAvailable';
import { CHROMIUM, missing } from '../systemPackages';
import { docShot } from './docShots';
import { scaled } from '../slowdown';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test/artifacts/e2e');
const haveChromium = missing('chromium') === null;
const haveEspeak = missing('espeak-ng') === null;

/**
 * Counts painted pixels inside a canvas plot area (the frame, ticks and title around it excluded), ignoring
 * one colour (the threshold line) when asked, so an empty plot with only its axes counts 0.
 */
async function paintedPixels(page: Page, testid: string, ignore?: [number, number, number]): Promise<number> {
  return page.evaluate(
    ({ testid, ignore }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testid}"] canvas`);
      if (!canvas || canvas.width === 0) return -1;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      // plotArea() margins (CSS px) plus 2 px so the frame itself is not counted.
      const x0 = Math.ceil((46 + 2) * scale);
      const y0 = Math.ceil((24 + 2) * scale);
      const x1 = Math.floor(canvas.width - (10 + 2) * scale);
      const y1 = Math.floor(canvas.height - (30 + 2) * scale);
      const data = canvas.getContext('2d')!.getImageData(x0, y0, x1 - x0, y1 - y0).data;
      let n = 0;
      for (let p = 0; p < data.length; p += 4) {
        if (data[p + 3] === 0) continue;
        if (ignore && Math.abs(data[p] - ignore[0]) < 8 && Math.abs(data[p + 1] - ignore[1]) < 8 && Math.abs(data[p + 2] - ignore[2]) < 8) continue;
        n++;
      }
      return n;
    },
    { testid, ignore },
  );
}

/** Pixels of one colour (within a small tolerance, for antialiasing) anywhere on a chart's canvas. */
async function colourPixels(page: Page, testid: string, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(
    ({ testid, rgb }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testid}"] canvas`);
      if (!canvas || canvas.width === 0) return -1;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let p = 0; p < data.length; p += 4) {
        if (data[p + 3] > 200 && Math.abs(data[p] - rgb[0]) < 24 && Math.abs(data[p + 1] - rgb[1]) < 24 && Math.abs(data[p + 2] - rgb[2]) < 24) n++;
      }
      return n;
    },
    { testid, rgb },
  );
}

/**
 * Pixels painted on one of two canvases but not on the other, over the plot area both share: how far apart two
 * rasters of the same size are (their colours aside). -1 when either is missing or the sizes differ.
 */
async function pixelsDiffering(page: Page, a: string, b: string): Promise<number> {
  return page.evaluate(
    ({ a, b }) => {
      const [ca, cb] = [a, b].map((id) => document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"] canvas`));
      if (!ca || !cb || ca.width === 0 || ca.width !== cb.width || ca.height !== cb.height) return -1;
      const [da, db] = [ca, cb].map((c) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
      let n = 0;
      for (let p = 3; p < da.length; p += 4) if ((da[p] === 0) !== (db[p] === 0)) n++;
      return n;
    },
    { a, b },
  );
}

/** The validation curve's colour (chartSeries COLORS.val, #16a34a). */
const VAL_GREEN: [number, number, number] = [22, 163, 74];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The app freshly loaded with the default config, training on two files (checked before going on). */
async function freshFormWithFiles(page: Page, url: string, train: string, test: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.getByTestId('hyperparameter-form').isVisible()).toBe(true);
  await page.getByTestId('reset-config').click();
  await page.getByTestId('dataset-files').check();
  await page.getByTestId('path-train').fill(train);
  await page.getByTestId('path-test').fill(test);
  await page.getByTestId('file-ok-test').waitFor({ timeout: scaled(60_000) });
}

const rows = (page: Page) => page.getByTestId('history-row');

/**
 * One hidden layer and the given form fields (test id → value, in order), then waits until the form is valid: the
 * small runs the tests train in seconds.
 */
async function oneLayerForm(page: Page, fields: Record<string, string>): Promise<void> {
  while ((await page.getByTestId('layer-row').count()) > 1) await page.getByTestId('remove-layer-0').click();
  for (const [id, value] of Object.entries(fields)) await page.getByTestId(id).fill(value);
  await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
}
/** The demo set's size for the user-defined neuron's and brf's runs: large enough that accuracy is well clear of chance. */
const [CUSTOM_TRAIN, CUSTOM_TEST] = [400, 100];

// The webgpu run needs an adapter (SwiftShader in CI); its training process sees the same VK_ICD_FILENAMES.
const gpu = await webgpuAvailable();

describe.skipIf(!haveChromium)('workbench in Chromium (serve mode, real services)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-'));
  let service: WorkbenchService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const rendererDir = join(dir, 'renderer');
    await build({ configFile: join(ROOT, 'vite.renderer.config.ts'), logLevel: 'error', build: { outDir: rendererDir, emptyOutDir: true } });
    const settings = new JsonFileSettingsStore(join(dir, 'settings.json'));
    service = new WorkbenchService({
      mode: 'serve',
      dataDir: join(dir, 'data'),
      settings,
      launch: nodeForkLauncher(TRAINING_ENTRY_BUNDLE),
      sweepCli: { node: process.execPath, entry: CLI_BUNDLE },
    });
    const files = { dataDir: join(dir, 'data'), importSession: (name: string, body: AsyncIterable<Uint8Array>) => service.importSessionUpload(name, body) };
    server = await startServeServer({ api: service.api, token: randomBytes(24).toString('base64url'), port: 0, rendererDir, files });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // A fake microphone (a tone) for the Listen view, granted without a prompt.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    });
    // Clipboard permission for "Copy as TSV"; downloads for "PNG".
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(scaled(60_000));
  }, scaled(120_000));

  afterAll(async () => {
    await browser?.close();
    await service?.shutdown();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }, scaled(60_000));

  /** Opens the page and picks the demo set, by default at 160 / 40 samples (a run takes seconds). */
  async function openOnDemo(train = 160, test = 40): Promise<void> {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('hyperparameter-form').isVisible()).toBe(true);
    await page.getByTestId('dataset-demo').check();
    await page.getByTestId('demo-train').fill(String(train));
    await page.getByTestId('demo-test').fill(String(test));
    await expect.poll(() => page.getByTestId('summary-test-samples').textContent(), { timeout: scaled(60_000) }).toBe(String(test));
  }

  /** Drags files built in the page from these bytes over the window and drops them, as a file manager would. */
  async function dropFiles(files: { name: string; bytes: Buffer }[]): Promise<void> {
    const transfer = await page.evaluateHandle((list) => {
      const t = new DataTransfer();
      for (const f of list) t.items.add(new File([Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0))], f.name));
      return t;
    }, files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })));
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
    expect(await page.getByTestId('drop-banner').textContent()).toBe('Drop a session file (.h5) to open it');
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    expect(await page.getByTestId('drop-banner').count()).toBe(0);
  }

  it('trains demo data, draws curves, rasters and traces, saves, reloads, loads and resumes', async () => {
    // Data: the demo set, small so the run takes seconds.
    await openOnDemo();
    expect(await page.getByTestId('summary-channels').textContent()).toBe('700');
    expect(await page.getByTestId('summary-classes').textContent()).toBe('20');

    // A bad value gets its message next to the input and blocks Train.
    await page.getByTestId('input-tauMemS').fill('-5');
    await expect.poll(() => page.getByTestId('error-tauMemS').textContent()).toBe('τ_mem must be > 0 ms and ≤ 10000 ms (got -5 ms)');
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-blocked').textContent()).toBe('fix 1 value in the form');
    await shot(page, '1-setup-invalid');

    // A bad layer size is refused next to the layer.
    await page.getByTestId('input-tauMemS').fill('20');
    await page.getByTestId('layer-0-size').fill('0');
    await expect.poll(() => page.getByTestId('error-layers.0').textContent()).toBe('Layer 1 size must be ≥ 1 and ≤ 4096, whole number (got 0)');
    expect(await page.getByTestId('start-blocked').textContent()).toBe('fix 1 value in the form');

    // τ_mem 20 ms, 2 epochs; a small hidden layer and batch keep the run short.
    await page.getByTestId('input-epochs').fill('2');
    await page.getByTestId('layer-0-size').fill('32');
    await page.getByTestId('input-batchSize').fill('40');
    expect(await page.getByTestId('error-layers.0').count()).toBe(0);
    expect(await page.getByTestId('error-tauMemS').count()).toBe(0);
    // 20 ms in the form is 0.02 s in the config: β = exp(−1 ms / 20 ms).
    expect(await page.getByTestId('decay-factors').textContent()).toMatch(/β = exp\(−dt\/τ_mem\) = 0\.9512$/);
    await shot(page, '2-setup');
    await docShot(page, 'data-and-model');

    // Record every point count the loss chart shows, to see it update while training rather than once at the end.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { lossPoints: number[] }).lossPoints = seen;
      new MutationObserver(() => {
        const n = Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-points') ?? -1);
        if (n >= 0 && seen[seen.length - 1] !== n) seen.push(n);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points'] });
    });
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(90_000) }).toBe('idle');
    expect(await rows(page).count()).toBe(2);
    // Accuracy is a number, and the chart and table grew with the second epoch.
    expect(await page.getByTestId('test-acc').last().textContent()).toMatch(/^\d+\.\d %$/);
    // Train, validation and test accuracy of 2 epochs, the two ends of the chance line and of the selected-epoch line.
    expect(Number(await page.getByTestId('accuracy-chart').getAttribute('data-points'))).toBe(6 + 2 + 2);
    // The default protocol holds out 10 % of the 160 training samples: 144 train in 4 batches (40, 40, 40, 24)
    // per epoch, plus 2 train, 2 validation and 2 test losses; reached through several updates.
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBe(8 + 6);
    // The validation curve is drawn (its green), and the selected epoch is marked and named.
    expect(await colourPixels(page, 'accuracy-chart', VAL_GREEN)).toBeGreaterThan(30);
    expect(await page.getByTestId('selected-epoch-label').textContent()).toMatch(/^selected \(on validation\): epoch [12] · validation \d+\.\d % · test \d+\.\d %$/);
    const selectedEpoch = Number(/epoch (\d)/.exec((await page.getByTestId('selected-epoch-label').textContent()) ?? '')![1]);
    // How sure the choice is: the smoothed score, its standard error on the validation samples.
    expect(await page.getByTestId('selection-certainty').textContent()).toMatch(
      new RegExp(`^Selection: epoch ${selectedEpoch}: validation [\\d.]+ %, smoothed over 3 epochs [\\d.]+ % ± [\\d.]+ % \\(standard error, \\d+ validation samples\\); `),
    );
    expect(await page.getByTestId('selected-row-mark').count()).toBe(1);
    expect(await rows(page).nth(selectedEpoch - 1).getAttribute('data-selected')).toBe('true');
    expect(await page.getByTestId('val-acc').count()).toBe(2);
    const seen = await page.evaluate(() => (window as unknown as { lossPoints: number[] }).lossPoints);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toBe(14);
    expect(await page.getByTestId('training-progress').textContent()).toMatch(/epoch 2\/2 · batch 4\/4 .*100 %/);
    await shot(page, '3-training');
    await docShot(page, 'training');

    // The numbers copy as TSV with the report's column names; plots export as PNG files.
    await page.getByTestId('copy-tsv').click();
    const tsv = await page.evaluate(() => navigator.clipboard.readText());
    const tsvLines = tsv.trimEnd().split('\n');
    expect(tsvLines[0]).toBe('epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc\ttest_loss\ttest_acc\tlr\ttrain_s\teval_s');
    expect(tsvLines.map((l) => l.split('\t')[0])).toEqual(['epoch', '1', '2']);
    const finalTestAcc = Number(tsvLines[2].split('\t')[6]);
    const selectedTestAcc = Number(tsvLines[selectedEpoch].split('\t')[6]);
    expect(await page.getByTestId('test-acc').last().textContent()).toBe(`${(finalTestAcc * 100).toFixed(1)} %`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('loss-chart-png').click()]);
    expect(download.suggestedFilename()).toBe('loss-nll-spike-regularisers-per-batch-and-per-epoch.png');
    const pngPath = join(ARTIFACTS, 'exported-loss-chart.png');
    await download.saveAs(pngPath);
    expect(readFileSync(pngPath).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    // Spikes of a test sample: input raster 700 × 100, hidden raster, membrane and readout traces.
    await page.getByTestId('tab-spikes').click();
    await page.getByTestId('input-raster').waitFor();
    await page.waitForTimeout(300);
    expect(await paintedPixels(page, 'input-raster')).toBeGreaterThan(200);
    expect(await paintedPixels(page, 'hidden-raster')).toBeGreaterThan(20);
    expect(await paintedPixels(page, 'hidden-trace', [220, 38, 38])).toBeGreaterThan(300);
    expect(await paintedPixels(page, 'readout-trace')).toBeGreaterThan(300);
    // One LIF layer: the picker offers it, no adaptation trace, histograms of τ_syn and τ_mem (one value each).
    expect(await page.getByTestId('layer-picker').locator('option').allTextContents()).toEqual(['layer 1 · lif · 32 neurons']);
    expect(await page.getByTestId('adapt-trace').count()).toBe(0);
    expect(await paintedPixels(page, 'tau-hist-tauMemS')).toBeGreaterThan(100);
    expect(await page.getByTestId('tau-hist-tauMemS-learned').textContent()).toMatch(/mean 20\.0 ms/);
    expect(await page.getByTestId('predicted-class').textContent()).toMatch(/^\d+ “demo-\d+”$/);
    expect(await page.getByTestId('per-class-accuracy').locator('tbody tr').count()).toBe(20);
    await shot(page, '4-spikes');
    await docShot(page, 'spikes');

    // Save, then reload the page: the session is listed with its config and accuracy.
    await page.getByTestId('tab-train').click();
    await page.getByTestId('session-name').fill('e2e tau 20');
    await page.getByTestId('save-session-button').click();
    // Saving lists the sessions again, each read in the file guard's reader thread (from sources its first start takes seconds).
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: scaled(20_000) }).toBe('saved');
    await page.reload();
    await page.getByTestId('tab-sessions').click();
    const row = page.getByTestId('session-row').filter({ hasText: 'e2e tau 20' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/τmem 20 ms/);
    expect(await row.getByTestId('session-acc').textContent()).toBe(`${(finalTestAcc * 100).toFixed(1)} %`);
    // The number to publish: test accuracy at the epoch validation selected, and the split that selected it.
    expect((await row.getByTestId('session-selected-acc').textContent())?.trim()).toBe(`${(selectedTestAcc * 100).toFixed(1)} % (epoch ${selectedEpoch})`);
    expect(await row.getByTestId('session-split').textContent()).toBe('stratified by class');
    await shot(page, '5-sessions');
    await docShot(page, 'sessions');

    // Load: its curves and spikes are shown again.
    await row.getByTestId('load-session').click();
    await page.getByTestId('viewing-session').waitFor();
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(Number(await page.getByTestId('accuracy-chart').getAttribute('data-points'))).toBe(10);
    expect(await page.getByTestId('selected-epoch-label').textContent()).toMatch(new RegExp(`^selected \\(on validation\\): epoch ${selectedEpoch} `));
    await page.getByTestId('tab-spikes').click();
    await page.getByTestId('hidden-raster').waitFor();
    await page.waitForTimeout(300);
    expect(await paintedPixels(page, 'input-raster')).toBeGreaterThan(200);
    expect(await paintedPixels(page, 'readout-trace')).toBeGreaterThan(300);
    await shot(page, '6-loaded-spikes');

    // Resume to epoch 3: one more epoch on the same trajectory.
    await page.getByTestId('tab-sessions').click();
    await row.getByTestId('resume-session').click();
    expect(await page.getByTestId('resume-target').inputValue()).toBe('3');
    await page.getByTestId('resume-start').click();
    // The session's two epochs stay on screen and the third joins them.
    await page.getByTestId('viewing-session').waitFor({ state: 'detached' });
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBe(3);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(90_000) }).toBe('idle');
    expect(await page.getByTestId('viewing-session').count()).toBe(0);
    expect(await rows(page).count()).toBe(3);
    expect(await rows(page).last().locator('td').first().textContent()).toBe('3');
    expect(await page.getByTestId('run-error').count()).toBe(0);
    // Epoch 1 and the last epoch sit a quarter epoch inside the charts' edges, not on them.
    for (const id of ['loss-chart', 'accuracy-chart']) {
      const wrap = page.getByTestId(id).locator('[data-x-min]');
      expect(Number(await wrap.getAttribute('data-x-min')), id).toBeLessThanOrEqual(0.75);
      expect(Number(await wrap.getAttribute('data-x-max')), id).toBe(3.25);
    }
    await shot(page, '7-resumed');

    // Save the continued run too and compare the two sessions side by side.
    await page.getByTestId('session-name').fill('e2e resumed');
    await page.getByTestId('save-session-button').click();
    // Saving lists the sessions again, each read in the file guard's reader thread (from sources its first start takes seconds).
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: scaled(20_000) }).toBe('saved');
    await page.getByTestId('tab-sessions').click();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);
    for (const r of await page.getByTestId('session-row').all()) await r.locator('input[type=checkbox]').check();
    await page.getByTestId('session-compare').waitFor();
    // Train, validation and test per epoch, and each session's selected-epoch line.
    await expect.poll(async () => Number(await page.getByTestId('compare-accuracy').getAttribute('data-points'))).toBe(2 * 3 + 2 + 3 * 3 + 2);
    expect(await page.getByTestId('compare-split').textContent()).toMatch(/stratified by class.*stratified by class/);
    expect(await page.getByTestId('compare-selected-acc').textContent()).toMatch(/\d+\.\d % \(epoch \d\).*\d+\.\d % \(epoch \d\)/);
    const tauMemRow = page.getByTestId('compare-config').locator('tr').filter({ has: page.locator('th', { hasText: /^τ_mem$/ }) });
    expect(await tauMemRow.textContent()).toMatch(/20 ms.*20 ms/);
    expect(await page.getByTestId('compare-config').locator('tr.differs').allTextContents()).toEqual([expect.stringMatching(/^Epochs23$|^Epochs32$/)]);
    await shot(page, '8-compare');
    await docShot(page, 'sessions-compare', page.getByTestId('session-compare'));

    // Delete asks once more in place, then the session is gone from the list.
    const resumedRow = page.getByTestId('session-row').filter({ hasText: 'e2e resumed' });
    await resumedRow.getByTestId('delete-session').click();
    await resumedRow.getByTestId('confirm-delete').click();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(1);
    expect(await page.getByTestId('session-row').textContent()).toMatch(/e2e tau 20/);

    expect(pageErrors).toEqual([]);
  }, scaled(170_000));

  it('trains a small adLIF stack and shows its layers, adaptation and τ histograms', async () => {
    await openOnDemo();

    // An adLIF preset when the shared list has one (its source is shown), else adLIF set through the form.
    const preset = PRESETS.find((p) => p.config.neuron === 'adlif');
    if (preset) {
      await page.getByTestId('preset').selectOption(preset.id);
      expect(await page.getByTestId('preset-description').textContent()).toBe(preset.description);
    } else {
      await page.getByTestId('reset-config').click();
      await page.getByTestId('input-neuron').selectOption('adlif');
    }
    // adLIF's spans replace τ_syn; q appears.
    await page.getByTestId('input-tauAdaptS').waitFor();
    expect(await page.getByTestId('input-tauSynS').count()).toBe(0);
    expect(await page.getByTestId('input-adaptQ').count()).toBe(1);

    // Shrink it so it trains in seconds: two layers of 24 and 16, 2 epochs of 4 batches, T 50, pool 5.
    while ((await page.getByTestId('layer-row').count()) > 2) await page.getByTestId('remove-layer-0').click();
    if ((await page.getByTestId('layer-row').count()) < 2) await page.getByTestId('add-layer').click();
    for (const [i, size] of [[0, '24'], [1, '16']] as const) {
      await page.getByTestId(`layer-${i}-size`).fill(size);
      await page.getByTestId(`layer-${i}-recurrent`).check();
      await page.getByTestId(`layer-${i}-dropout`).fill('0');
    }
    await page.getByTestId('input-tauMemS').fill('5:25');
    await page.getByTestId('input-tauAdaptS').fill('60:300');
    await page.getByTestId('input-learnTau').check();
    await page.getByTestId('input-pool').fill('5');
    await page.getByTestId('input-nbSteps').fill('50');
    await page.getByTestId('input-epochs').fill('2');
    await page.getByTestId('input-batchSize').fill('40');
    // The skip is for softmax-sum only: disabled for max, refused at or above T.
    await page.getByTestId('input-readout').selectOption('max');
    expect(await page.getByTestId('input-readoutSkip').isDisabled()).toBe(true);
    await page.getByTestId('input-readout').selectOption('softmax-sum');
    await page.getByTestId('input-readoutSkip').fill('50');
    await expect.poll(() => page.getByTestId('error-readoutSkip').textContent()).toBe('Readout skip must be below the number of time steps (50), got 50');
    await page.getByTestId('input-readoutSkip').fill('5');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
    expect(await page.getByTestId('decay-factors').textContent()).toMatch(/α = exp\(−dt\/τ_mem\) = 0\.8187…0\.9608/);
    await shot(page, '9-setup-adlif');

    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(90_000) }).toBe('idle');
    expect(await rows(page).count()).toBe(2);
    expect(await page.getByTestId('run-error').count()).toBe(0);

    await page.getByTestId('tab-spikes').click();
    await page.getByTestId('layer-picker').waitFor();
    expect(await page.getByTestId('layer-picker').locator('option').allTextContents()).toEqual(['layer 1 · adlif · 24 neurons', 'layer 2 · adlif · 16 neurons']);
    await page.waitForTimeout(300);
    // Input after pooling is still drawn per data channel; layer 1's membrane and adaptation; its τ histograms.
    expect(await paintedPixels(page, 'input-raster')).toBeGreaterThan(100);
    expect(await paintedPixels(page, 'hidden-trace', [220, 38, 38])).toBeGreaterThan(200);
    expect(await paintedPixels(page, 'adapt-trace')).toBeGreaterThan(200);
    expect(await paintedPixels(page, 'tau-hist-tauMemS')).toBeGreaterThan(100);
    expect(await paintedPixels(page, 'tau-hist-tauAdaptS')).toBeGreaterThan(100);
    expect(await page.getByTestId('tau-hist-tauSynS').count()).toBe(0);
    // Drawn from 5–25 ms and 60–300 ms: the means lie inside the spans.
    const meanOf = async (id: string) => Number(/mean ([\d.]+) ms/.exec((await page.getByTestId(id).textContent()) ?? '')?.[1]);
    const memMean = await meanOf('tau-hist-tauMemS-learned');
    expect(memMean).toBeGreaterThan(5);
    expect(memMean).toBeLessThan(25);
    const adaptMean = await meanOf('tau-hist-tauAdaptS-learned');
    expect(adaptMean).toBeGreaterThan(60);
    expect(adaptMean).toBeLessThan(300);
    await shot(page, '10-spikes-adlif-layer1');
    await docShot(page, 'spikes-adlif');

    // Layer 2: its own raster of 16 neurons, adaptation trace and histograms.
    await page.getByTestId('layer-picker').selectOption('1');
    await expect.poll(() => page.getByTestId('hidden-raster').locator('canvas').getAttribute('aria-label')).toMatch(/over 50 time steps and 16 neurons$/);
    await page.waitForTimeout(300);
    expect(await paintedPixels(page, 'adapt-trace')).toBeGreaterThan(200);
    expect(await paintedPixels(page, 'tau-hist-tauAdaptS')).toBeGreaterThan(100);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tau-hist-tauAdaptS-png').click()]);
    expect(png.suggestedFilename()).toMatch(/^layer-2-.*\.png$/);
    await shot(page, '11-spikes-adlif-layer2');

    // The session list names the model.
    await page.getByTestId('tab-train').click();
    await page.getByTestId('session-name').fill('e2e adlif');
    await page.getByTestId('save-session-button').click();
    // Saving lists the sessions again, each read in the file guard's reader thread (from sources its first start takes seconds).
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: scaled(20_000) }).toBe('saved');
    await page.getByTestId('tab-sessions').click();
    const row = page.getByTestId('session-row').filter({ hasText: 'e2e adlif' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/adlif 24r-16r, pool 5, softmax-sum skip 5 · τmem 5–25 ms · τadapt 60–300 ms · learn τ/);
    // NIR has no adLIF neuron: the button is disabled, with the reason beside it.
    expect(await row.getByTestId('export-nir').isDisabled()).toBe(true);
    expect(await row.getByTestId('nir-unavailable').textContent()).toBe('adLIF has no NIR form');
    expect(await row.getByTestId('nir-unavailable').getAttribute('title')).toMatch(/^adLIF, which NIR cannot express: NIR's neurons are I, LI, IF, LIF, CubaLI and CubaLIF/);

    expect(pageErrors).toEqual([]);
  }, scaled(170_000));

  it('previews a training sample beside the augmented copy training sees, on the Spikes tab', async () => {
    await openOnDemo();
    await page.getByTestId('reset-config').click();
    await page.getByTestId('input-epochs').fill('3');

    // Augmentation off (the defaults): the row says so.
    await page.getByTestId('tab-spikes').click();
    expect(await page.getByTestId('augment-off').textContent()).toBe('Augmentation is off in the form: training sees every sample as it is.');

    // On: deletion, a time shift of up to 20 ms and a channel shift of up to 3.
    await page.getByTestId('tab-setup').click();
    await page.getByTestId('input-augment.deleteP').fill('0.1');
    await page.getByTestId('input-augment.timeShiftS').fill('20');
    await page.getByTestId('input-augment.channelShift').fill('3');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
    await page.getByTestId('tab-spikes').click();
    expect(await page.getByTestId('augment-off').count()).toBe(0);

    // Out of range: one line, checked before asking.
    await page.getByTestId('augment-sample').fill('160');
    await page.getByTestId('augment-show').click();
    await expect.poll(() => page.getByTestId('augment-error').textContent()).toBe('Train sample must be a whole number from 0 to 159 (got "160")');

    // Sample 0 in epoch 2; when the default protocol holds it out for validation, the refusal names one it trains on.
    await page.getByTestId('augment-sample').fill('0');
    await page.getByTestId('augment-epoch').fill('2');
    await page.getByTestId('augment-show').click();
    const answered = async () => (await page.getByTestId('augment-augmented').count()) + (await page.getByTestId('augment-error').count());
    await expect.poll(answered, { timeout: scaled(60_000) }).toBe(1);
    let sample = 0;
    if (await page.getByTestId('augment-error').count()) {
      const refusal = (await page.getByTestId('augment-error').textContent()) ?? '';
      expect(refusal).toMatch(/^train sample 0 is held out for validation by this config \(\d+ of 160 samples\), so training never augments it; the nearest sample it trains on is \d+$/);
      sample = Number(/(\d+)$/.exec(refusal)![1]);
      await page.getByTestId('augment-sample').fill(String(sample));
      await page.getByTestId('augment-show').click();
    }
    await page.getByTestId('augment-augmented').waitFor({ timeout: scaled(60_000) });
    expect(await page.getByTestId('augment-error').count()).toBe(0);
    const label = (id: string) => page.getByTestId(id).locator('canvas').getAttribute('aria-label');
    expect(await label('augment-original')).toMatch(new RegExp(`^Original — train sample ${sample} \\(demo-\\d+\\): \\d+ events over 100 time steps and 700 channels$`));
    expect(await label('augment-augmented')).toMatch(/^Augmented — epoch 2: spike deletion, time shift, channel shift: \d+ events over 100 time steps and 700 channels$/);
    expect(await page.getByTestId('augment-draws').textContent()).toMatch(
      /^This sample in epoch 2: spike deletion \(p = 0\.1\) · time shift [+−]\d+\.\d ms \(of ±20 ms\) · channel shift [+−][0-3] \(of ±3\)$/,
    );
    // Both rasters are drawn, and they differ: deletion alone moves ~10 % of the bins.
    await page.waitForTimeout(300);
    const original = await paintedPixels(page, 'augment-original');
    expect(original).toBeGreaterThan(200);
    expect(await paintedPixels(page, 'augment-augmented')).toBeGreaterThan(200);
    expect(await pixelsDiffering(page, 'augment-original', 'augment-augmented')).toBeGreaterThan(original / 20);
    await shot(page, '12-augment-preview');
    await docShot(page, 'augment-preview', page.getByTestId('augment-preview'));

    // Another epoch draws another copy of the same sample.
    const drawn = await page.getByTestId('augment-draws').textContent();
    await page.getByTestId('augment-epoch').fill('3');
    await page.getByTestId('augment-show').click();
    await expect.poll(() => label('augment-augmented'), { timeout: scaled(60_000) }).toMatch(/^Augmented — epoch 3: /);
    expect((await page.getByTestId('augment-draws').textContent())?.replace('epoch 3', 'epoch 2')).not.toBe(drawn);

    // Off again: the sample is shown alone, with a note instead of an identical second raster.
    await page.getByTestId('tab-setup').click();
    await page.getByTestId('reset-config').click();
    await page.getByTestId('input-epochs').fill('3');
    await page.getByTestId('tab-spikes').click();
    expect(await page.getByTestId('augment-off').count()).toBe(1);
    await page.getByTestId('augment-show').click();
    await page.getByTestId('augment-same').waitFor({ timeout: scaled(60_000) });
    expect(await page.getByTestId('augment-same').textContent()).toBe(`Augmentation was off for this preview: training sees train sample ${sample} exactly as on the left.`);
    expect(await page.getByTestId('augment-original').count()).toBe(1);
    expect(await page.getByTestId('augment-augmented').count()).toBe(0);

    expect(pageErrors).toEqual([]);
  }, scaled(120_000));

  it.skipIf(gpu.ctx === null)(`trains on the webgpu backend, its adapter shown in the picker${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, async () => {
    await openOnDemo();
    await page.getByTestId('reset-config').click();
    await page.locator('input[name="backend"][value="webgpu"]').check();
    await page.getByTestId('probe-backend').click();
    const adapter = describeAdapter(gpu.ctx!.adapter);
    await expect.poll(() => page.getByTestId('backend-adapter').textContent(), { timeout: scaled(60_000) }).toBe(adapter);
    expect(await page.getByTestId('backend-report').textContent()).toMatch(/uses\s+webgpu\s+on/);
    // Small enough for a CPU emulation: one layer of 16, T 20, 4 batches of 40.
    await oneLayerForm(page, { 'layer-0-size': '16', 'input-nbSteps': '20', 'input-epochs': '1', 'input-batchSize': '40' });
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(110_000) }).toBe(1);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(60_000) }).toBe('idle');
    // The run's own report: it ran on webgpu, on that adapter.
    await page.getByTestId('tab-setup').click();
    expect(await page.getByTestId('backend-adapter').textContent()).toBe(adapter);
    await shot(page, '13-webgpu-backend');
    await docShot(page, 'backend-webgpu', page.getByTestId('backend-picker'));
    expect(pageErrors).toEqual([]);
  }, scaled(180_000));

  it('builds a 4-task sweep from the form in its units, previews it through train\'s parser, runs it, and opens and compares its runs', async () => {
    const FIX = resolve(ROOT, 'test/fixtures/sessions');
    await freshFormWithFiles(page, server.url, join(FIX, 'agreement_train.h5'), join(FIX, 'agreement_test.h5'));
    // A small model on the 4-class fixture: one layer, T 20, 3 epochs of 4 batches; the softmax-sum readout skips
    // the first 10 steps, so a sweep value of T = 10 is one train refuses.
    while ((await page.getByTestId('layer-row').count()) > 1) await page.getByTestId('remove-layer-0').click();
    await page.getByTestId('input-nbSteps').fill('20');
    await page.getByTestId('input-maxTimeS').fill('1000');
    await page.getByTestId('input-epochs').fill('3');
    await page.getByTestId('input-batchSize').fill('40');
    await page.getByTestId('input-learningRate').fill('0.01');
    await page.getByTestId('input-readout').selectOption('softmax-sum');
    await page.getByTestId('input-readoutSkip').fill('10');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);

    await page.getByTestId('tab-sweeps').click();
    expect(await page.getByTestId('sweep-data').textContent()).toBe('agreement_train.h5 + agreement_test.h5');
    await page.getByTestId('sweep-name').fill('e2e');
    await page.getByTestId('sweep-field-0').selectOption('hidden');
    await page.getByTestId('sweep-values-0').fill('8, 16');
    await page.getByTestId('sweep-add-field').click();
    await page.getByTestId('sweep-field-1').selectOption('seed');
    await page.getByTestId('sweep-values-1').fill('1, x');
    await expect.poll(() => page.getByTestId('sweep-invalid').textContent()).toBe('Seed: "x" is not a number');
    // τ in ms, as on the form, with the form's range: "20000" would be 20 s, past τ_mem's 10 000 ms.
    await page.getByTestId('sweep-field-1').selectOption('tau-mem');
    expect(await page.getByTestId('sweep-values-1').getAttribute('placeholder')).toBe('values in ms, V or LO:HI, separated by commas');
    await page.getByTestId('sweep-values-1').fill('10, 20000');
    await expect.poll(() => page.getByTestId('sweep-invalid').textContent()).toBe('τ_mem: "20000" must be > 0 ms and ≤ 10000 ms');
    expect(await page.getByTestId('sweep-preview').isDisabled()).toBe(true);
    await page.getByTestId('sweep-values-1').fill('10, 20');
    await expect.poll(() => page.getByTestId('sweep-invalid').count()).toBe(0);

    // Preview through train's parser: T = 10 clashes with the readout skip of 10, so those cells are marked.
    await page.getByTestId('sweep-add-field').click();
    await page.getByTestId('sweep-field-2').selectOption('nb-steps');
    await page.getByTestId('sweep-values-2').fill('20, 10');
    await page.getByTestId('sweep-preview').click();
    await expect.poll(() => page.getByTestId('sweep-task-count').textContent()).toBe('8 tasks');
    expect(await page.getByTestId('sweep-preview-col').allTextContents()).toEqual(['hidden', 'tau-mem (ms)', 'nb-steps']);
    expect(await page.locator('[data-testid^="sweep-cell"][data-flag="tau-mem"]').allTextContents()).toEqual(['10', '10', '20', '20', '10', '10', '20', '20']);
    const bad = page.getByTestId('sweep-cell-bad');
    expect(await bad.count()).toBe(4);
    expect(await bad.evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-flag'), c.textContent, c.getAttribute('title')]))).toEqual(
      Array(4).fill(['nb-steps', '10', '--readout-skip must be below the number of time steps (10), got 10']),
    );
    expect(await page.getByTestId('sweep-bad-tasks').textContent()).toMatch(/train would refuse 4 of them/);
    await shot(page, '13b-sweep-preview-bad-cells');
    // Run here refuses it, naming the first bad task as train would.
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => page.getByTestId('sweep-error').textContent()).toBe('task t001 (hidden=8 tau-mem=0.01 nb-steps=10): --readout-skip must be below the number of time steps (10), got 10');
    await page.getByRole('button', { name: 'remove field 3' }).click();
    await page.getByTestId('sweep-preview').click();
    await expect.poll(() => page.getByTestId('sweep-task-count').textContent()).toBe('4 tasks');
    expect(await page.getByTestId('sweep-cell-bad').count()).toBe(0);
    expect(await page.locator('[data-testid^="sweep-cell"][data-flag="tau-mem"]').allTextContents()).toEqual(['10', '20', '10', '20']);
    // The SLURM files for a cluster, written into their own folder.
    const slurmDir = join(dir, 'sweep-e2e-slurm');
    await page.getByTestId('sweep-dir').fill(slurmDir);
    await page.locator('[data-testid="sweep-builder"] details summary').click();
    await page.getByTestId('slurm-time').fill('01:00:00');
    await page.getByTestId('sweep-slurm').click();
    await expect.poll(() => page.getByTestId('slurm-written').textContent()).toBe(`Wrote ${join(slurmDir, 'sweep.sbatch')}; submit with sbatch ${join(slurmDir, 'sweep.sbatch')}.`);
    expect(readFileSync(join(slurmDir, 'sweep.sbatch'), 'utf8')).toMatch(/^#SBATCH --array=0-3$/m);
    const sweepDir = join(dir, 'sweep-e2e');
    await page.getByTestId('sweep-dir').fill(sweepDir);
    await page.getByTestId('sweep-parallel').fill('2');
    await page.getByTestId('sweep-run').click();
    // Live: the table fills as tasks end.
    const states = () => page.getByTestId('sweep-row').evaluateAll((rs) => rs.map((r) => r.textContent?.replace(/\s+/g, ' ').trim()).join(' | '));
    await expect.poll(() => page.locator('[data-testid="sweep-row"][data-status="done"]').count(), { timeout: scaled(150_000) }).toBe(4).catch(async (e: Error) => {
      throw new Error(`${e.message}; rows: ${await states()}`);
    });
    await expect.poll(() => page.getByTestId('sweep-summary').textContent(), { timeout: scaled(30_000) }).toBe('e2e: 4 tasks — 4 done');
    // The table in the form's units; each run trained with τ_mem in seconds.
    expect(await page.getByTestId('sweep-sort-tau-mem').textContent()).toMatch(/^tau-mem \(ms\)/);
    expect((await page.locator('[data-testid="sweep-value"][data-flag="tau-mem"]').allTextContents()).sort()).toEqual(['10', '10', '20', '20']);
    for (const [id, tau] of [['t000', 0.01], ['t001', 0.02], ['t002', 0.01], ['t003', 0.02]] as const) {
      const report = JSON.parse(readFileSync(join(sweepDir, 'tasks', id, 'report.json'), 'utf8')) as { config: { tauMemS: unknown } };
      expect(report.config.tauMemS).toEqual({ lo: tau, hi: tau });
    }

    // Sorted by the metric, best first; a click on the header turns it round.
    const metrics = async () => (await page.getByTestId('sweep-metric').allTextContents()).map(Number);
    const best = await metrics();
    expect([...best].sort((a, b) => b - a)).toEqual(best);
    await page.getByTestId('sweep-sort-metric').click();
    expect(await metrics()).toEqual([...best].reverse());
    // Filtered to one grid value.
    await page.getByTestId('sweep-filter').fill('hidden=16');
    expect(await page.getByTestId('sweep-row').count()).toBe(2);
    await page.getByTestId('sweep-filter').fill('tau-mem=20');
    expect(await page.getByTestId('sweep-row').count()).toBe(2);
    await page.getByTestId('sweep-filter').fill('');
    // The scatter plot has a point per run, drawn, on a metric axis with several labelled ticks.
    await expect.poll(() => page.getByTestId('sweep-scatter').getAttribute('data-points')).toBe('4');
    expect(await colourPixels(page, 'sweep-scatter', [37, 99, 235])).toBeGreaterThan(40);
    const yTicks = (await page.getByTestId('sweep-scatter-axes').getAttribute('data-y-ticks'))!.split('|');
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    expect(yTicks.every((t) => Number.isFinite(Number(t)))).toBe(true);
    const metricValues = (await page.getByTestId('sweep-metric').allTextContents()).map(Number);
    expect(Number(yTicks[0])).toBeLessThanOrEqual(Math.min(...metricValues));
    expect(Number(yTicks.at(-1))).toBeGreaterThanOrEqual(Math.max(...metricValues));
    await shot(page, '14-sweeps');
    await docShot(page, 'sweeps');

    // The same folder opened afresh (as one copied from a cluster would be).
    await page.reload();
    await expect.poll(() => page.getByTestId('hyperparameter-form').isVisible()).toBe(true);
    await page.getByTestId('tab-sweeps').click();
    await page.getByTestId('sweep-open-dir').fill(sweepDir);
    await page.getByTestId('sweep-open').click();
    await expect.poll(() => page.getByTestId('sweep-row').count()).toBe(4);

    // Compare two runs: both become sessions, side by side on the Sessions tab.
    await page.getByTestId('sweep-pick-t000').check();
    await page.getByTestId('sweep-pick-t003').check();
    await page.getByTestId('sweep-compare').click();
    await page.getByTestId('session-compare').waitFor({ timeout: scaled(30_000) });
    expect(await page.getByTestId('session-compare').textContent()).toMatch(/e2e t000 \(hidden=8 tau-mem=0\.01\)[\s\S]*e2e t003 \(hidden=16 tau-mem=0\.02\)/);
    // Open one run as a session: its curves on the Training tab.
    await page.getByTestId('tab-sweeps').click();
    await page.getByTestId('sweep-open-dir').fill(sweepDir);
    await page.getByTestId('sweep-open').click();
    await page.getByTestId('sweep-open-t001').click();
    await page.getByTestId('viewing-session').waitFor();
    expect(await page.getByTestId('viewing-session').textContent()).toMatch(/e2e t001 \(hidden=8 tau-mem=0\.02\)/);
    expect(await rows(page).count()).toBe(3);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(240_000));

  it('repeats the form\'s run with 2 seeds as a sweep and shows their report card on the Sessions tab', async () => {
    const FIX = resolve(ROOT, 'test/fixtures/sessions');
    await freshFormWithFiles(page, server.url, join(FIX, 'agreement_train.h5'), join(FIX, 'agreement_test.h5'));
    await oneLayerForm(page, { 'input-nbSteps': '20', 'input-maxTimeS': '1000', 'input-epochs': '2', 'input-batchSize': '40', 'input-seed': '4' });
    await page.getByTestId('repeat-seeds-count').fill('2');
    expect(await page.getByTestId('repeat-seeds').textContent()).toContain('Repeat with 2 seeds');
    await page.getByTestId('repeat-seeds').click();

    // The Sessions tab opens on the card of the new folder; it fills in as the seeds end.
    await expect.poll(() => page.getByTestId('sessions-view').isVisible()).toBe(true);
    expect(await page.getByTestId('report-card-dir').inputValue()).toMatch(/\/sweeps\/seeds-\d{8}-\d{6}$/);
    await expect.poll(() => page.getByTestId('report-card-pooled').textContent(), { timeout: scaled(180_000) }).toMatch(/2 of 2 done/);
    await expect.poll(() => page.getByTestId('report-card-headline').textContent()).not.toMatch(/running/);
    const seeds = await page.getByTestId('report-card-seed').allTextContents();
    expect(seeds).toHaveLength(2);
    expect(seeds[0]).toMatch(/^4done/);
    expect(seeds[1]).toMatch(/^5done/);
    expect(await page.getByTestId('report-card-headline').textContent()).toMatch(/^Test accuracy at the selected epoch: \d+\.\d\d % ± \d+\.\d\d % \(mean ± std over 2 seeds\); 95 % interval of the mean/);
    await docShot(page, 'sessions-report-card', page.getByTestId('report-card'));

    await page.getByTestId('report-card-copy').click();
    const md = await page.evaluate(() => navigator.clipboard.readText());
    expect(md.startsWith('# Report card: 2 seeds\n')).toBe(true);
    expect(md).toContain('| 4 | done | 2 |');
    expect(md).toContain('Wilson 95 % score interval');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-card-csv').click()]);
    expect(download.suggestedFilename()).toBe('2-seeds-report-card.csv');
    const csvPath = join(ARTIFACTS, 'report-card.csv');
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, 'utf8').trim().split('\n');
    expect(csv.map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['row,seed,status', 'seed,4,done', 'seed,5,done', 'pooled,4 5,2 done']);
    // The same card lies beside the runs.
    const folder = await page.getByTestId('report-card-dir').inputValue();
    expect(readFileSync(join(folder, 'report-card.md'), 'utf8')).toBe(md);
    await shot(page, '20-report-card');
  }, scaled(300_000));

  it('shows the test set per speaker and the network\'s sparsity after an epoch', async () => {
    // 24 samples of 5 speakers (extra/speaker), trained and tested on the same file.
    const file = resolve(ROOT, 'test/fixtures/shd/f16_fixed_keys.h5');
    await freshFormWithFiles(page, server.url, file, file);
    await page.locator('input[name="backend"][value="wasm"]').check();
    // Strong enough weights that the layer spikes from the start.
    await oneLayerForm(page, { 'layer-0-size': '16', 'input-nbSteps': '30', 'input-epochs': '2', 'input-batchSize': '8', 'input-validationFraction': '0', 'input-weightScale': '4' });
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBe(2);
    await page.getByTestId('tab-spikes').click();
    await page.getByTestId('speaker-accuracy').waitFor({ timeout: scaled(30_000) });
    expect(await page.getByTestId('speaker-row').count()).toBe(5);
    expect(await page.getByTestId('speaker-row').first().textContent()).toMatch(/^0\s*\d of 4\s*[\d.]+ %\s*also in training$/);
    await page.getByTestId('sparsity-panel').waitFor();
    expect(await page.getByTestId('sparsity-layer').count()).toBe(1);
    // The layer's spikes per sample (third cell) are counted, not zero.
    expect(Number(await page.getByTestId('sparsity-layer').locator('td').nth(2).textContent())).toBeGreaterThan(0);
    expect(await page.getByTestId('sparsity-summary').textContent()).toMatch(/SynOps against [\d.e+]+ MACs of the dense network/);
    expect(await page.getByTestId('sparsity-spikes').count()).toBe(1);
    await shot(page, '15-speakers-sparsity');
    await docShot(page, 'sparsity', page.getByTestId('sparsity-panel'));

    // The LIF session out to NIR from the Sessions tab: the file is written where the app says.
    await page.getByTestId('tab-train').click();
    await page.getByTestId('session-name').fill('e2e nir');
    await page.getByTestId('save-session-button').click();
    await page.getByTestId('tab-sessions').click();
    const row = page.getByTestId('session-row').filter({ hasText: 'e2e nir' });
    await row.getByTestId('export-nir').click();
    await expect.poll(() => page.getByTestId('nir-exported').textContent()).toMatch(/^Wrote .*\.nir \(NIR graph, 7 nodes, 7 edges\)\.$/);
    const nirPath = (await page.getByTestId('nir-exported').textContent())!.match(/^Wrote (.*\.nir) /)![1];
    expect(existsSync(nirPath)).toBe(true);
    // Checked on the session's own test file: the delayed order is the engine's, every prediction the same.
    expect(await page.getByTestId('check-nir').textContent()).toBe('Check it on f16_fixed_keys.h5');
    await page.getByTestId('check-nir').click();
    await page.getByTestId('nir-check').waitFor({ timeout: scaled(60_000) });
    expect(await page.getByTestId('nir-check').textContent()).toMatch(/run in a NIR simulator on 24 test samples of .*f16_fixed_keys\.h5/);
    const checkRows = page.getByTestId('nir-check-row');
    expect(await checkRows.count()).toBe(2);
    expect(await checkRows.nth(0).textContent()).toMatch(/^delayed reset \(the engine's order, snnTorch's default\)100\.0 %[\d.]+ %$/);
    expect(await checkRows.nth(1).textContent()).toMatch(/^immediate reset \(Norse, Lava, snnTorch's NIR import\)[\d.]+ %[\d.]+ %$/);
    await shot(page, '15b-nir-check');
    await docShot(page, 'sessions-nir');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(180_000));

  it('shows the training-health notice beside the curves: a silent layer calibrated at initialisation (issue 23)', async () => {
    const file = resolve(ROOT, 'test/fixtures/shd/f16_fixed_keys.h5');
    await freshFormWithFiles(page, server.url, file, file);
    await page.locator('input[name="backend"][value="wasm"]').check();
    // Weights far too weak for the layer to spike: init calibration scales them and the notice says so.
    await oneLayerForm(page, { 'layer-0-size': '16', 'input-nbSteps': '30', 'input-epochs': '1', 'input-batchSize': '8', 'input-validationFraction': '0', 'input-weightScale': '0.001' });
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBe(1);
    await page.getByTestId('tab-train').click();
    const notice = page.getByTestId('health-warnings');
    expect(await notice.locator('li').first().textContent()).toMatch(
      /^Note \(at initialisation\): layer 1 was silent at initialisation \(0\.00 spikes\/neuron\/s, 100 % of neurons never firing on the first 8 training samples\); its input weights were scaled by [\d.]+ to [\d.]+ spikes\/neuron\/s \(init calibration\)$/,
    );
    await shot(page, '15d-health-notice');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(120_000));

  it('shows a notice beside the run when its train and test files number their speakers apart (issue 22)', async () => {
    // Two files as `encode` writes them without one --speakers list: each numbers its own voices from 0.
    const write = (name: string, speakers: string[]) => {
      const path = join(dir, name);
      const w = new ShdFileWriter(path, { classNames: ['low', 'high'], channels: 8, speakers: true, extraText: { encoder: JSON.stringify({ speakers }) } });
      for (let i = 0; i < 16; i++) {
        const label = i % 2;
        w.add({ times: [0.01, 0.02, 0.05, 0.08], units: [4 * label, 4 * label + 1, 4 * label + 2, 4 * label + 3], label, speaker: i % speakers.length });
      }
      w.finish();
      return path;
    };
    const train = write('voices-train.h5', ['amy', 'bob']);
    const test = write('voices-test.h5', ['cat']);
    await freshFormWithFiles(page, server.url, train, test);
    await page.locator('input[name="backend"][value="wasm"]').check();
    await oneLayerForm(page, { 'layer-0-size': '8', 'input-nbSteps': '20', 'input-epochs': '1', 'input-batchSize': '8', 'input-validationFraction': '0' });
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBe(1);
    await page.getByTestId('tab-train').click();
    expect(await page.getByTestId('run-warnings').textContent()).toBe(
      `${train} and ${test} number their speakers apart: speaker 0 is "amy" in one and "cat" in the other (1 of 1 shared ids), ` +
        'so per-speaker results and held-out voices mix different people; encode both with the same --speakers list',
    );
    await shot(page, '15c-speaker-warning');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(120_000));

  it.skipIf(!haveEspeak)(`classifies a dropped WAV on the Listen tab with a session trained on encoded recordings${haveEspeak ? '' : ' (skipped: espeak-ng missing)'}`, async () => {
    // Three spoken words from espeak-ng: four training voices at two speeds, a fifth voice held out.
    const words = ['zero', 'one', 'two'];
    const rec = join(dir, 'speech');
    const speak = (split: string, voice: string, speed: number, word: string) => {
      const folder = join(rec, split, word, voice);
      mkdirSync(folder, { recursive: true });
      execFileSync('espeak-ng', ['-v', `en-us+${voice}`, '-s', String(speed), '-w', join(folder, `s${speed}.wav`), word]);
    };
    for (const w of words) {
      for (const v of ['m1', 'm2', 'f1', 'f2']) for (const sp of [130, 170]) speak('train', v, sp, w);
      speak('test', 'm6', 150, w);
    }
    // "Train on this folder" on the Listen tab: both splits encoded in a training process, then set on the Data tab.
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('hyperparameter-form').isVisible()).toBe(true);
    await page.getByTestId('tab-listen').click();
    await page.locator('[data-testid="listen-view"] details summary').click();
    await page.getByTestId('listen-folder').fill(rec);
    await page.getByTestId('listen-encode').click();
    await page.getByTestId('hyperparameter-form').waitFor({ timeout: scaled(120_000) });
    expect(await page.getByTestId('path-train').inputValue()).toBe(join(dir, 'data', 'encoded', 'speech-train.h5'));
    expect(await page.getByTestId('path-test').inputValue()).toBe(join(dir, 'data', 'encoded', 'speech-test.h5'));
    await page.getByTestId('preset').selectOption('fast');
    await page.locator('input[name="backend"][value="wasm"]').check();
    await page.getByTestId('file-ok-test').waitFor({ timeout: scaled(60_000) });
    await page.getByTestId('input-epochs').fill('20');
    await page.getByTestId('input-batchSize').fill('8');
    await page.getByTestId('input-validationFraction').fill('0');
    await page.getByTestId('input-patience').fill('0');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
    await page.getByTestId('start-training').click();
    // All 20 epochs of this run first: the state reads idle until the run has started, too.
    await expect.poll(() => rows(page).count(), { timeout: scaled(150_000) }).toBe(20);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(30_000) }).toBe('idle');
    await page.getByTestId('tab-train').click();
    await docShot(page, 'training-speech');
    await page.getByTestId('session-name').fill('e2e speech');
    await page.getByTestId('save-session-button').click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: scaled(20_000) }).toBe('saved');

    await page.getByTestId('tab-listen').click();
    await expect.poll(() => page.getByTestId('listen-session').locator('option:checked').textContent()).toBe('e2e speech');
    // A real drop: the held-out voice saying "one".
    const b64 = readFileSync(join(rec, 'test', 'one', 'm6', 's150.wav')).toString('base64');
    const transfer = await page.evaluateHandle((data) => {
      const t = new DataTransfer();
      t.items.add(new File([Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0))], 'one.wav', { type: 'audio/wav' }));
      return t;
    }, b64);
    await page.dispatchEvent('[data-testid="listen-drop"]', 'drop', { dataTransfer: transfer });
    await page.getByTestId('listen-prediction').waitFor({ timeout: scaled(60_000) });
    expect(await page.getByTestId('listen-prediction').textContent()).toMatch(/^\s*e2e speech hears\s+one\s*$/);
    expect(await page.getByTestId('listen-result').locator('h3').textContent()).toMatch(/^one\.wav: [\d.]+ s at 22050 Hz$/);
    expect(await page.getByTestId('listen-scores').locator('li').count()).toBe(3);
    expect(await paintedPixels(page, 'listen-raster')).toBeGreaterThan(100);
    // One time axis for the four plots: each runs from 0 to the clip's length on the same pixels, and none has data
    // past the clip's end (the probability curve used to run over the session's whole 1.4 s window).
    const duration = Number((await page.getByTestId('listen-result').locator('h3').textContent())!.match(/: ([\d.]+) s at/)![1]);
    const axes = await page.evaluate(() =>
      ['listen-waveform', 'listen-cochleagram', 'listen-raster', 'listen-over-time'].map((id) => {
        const d = document.querySelector<HTMLElement>(`[data-testid="${id}"] [data-x-max]`)!.dataset;
        return { id, min: Number(d.xMin), max: Number(d.xMax), end: Number(d.dataEnd), left: Number(d.areaLeft), width: Number(d.areaWidth) };
      }),
    );
    for (const a of axes) {
      expect([a.id, a.min, a.max, a.left, a.width]).toEqual([a.id, 0, axes[0].max, axes[0].left, axes[0].width]);
      expect(a.end, a.id).toBeLessThanOrEqual(a.max);
      expect(a.end, a.id).toBeGreaterThan(0);
    }
    expect(axes[0].max).toBeCloseTo(duration, 2);
    expect(axes[0].width).toBeGreaterThan(300);
    // The curve reaches the last 14 ms step that ends inside the clip.
    expect(axes[3].end).toBeGreaterThan(axes[3].max - 0.015);
    expect(await paintedPixels(page, 'listen-over-time')).toBeGreaterThan(100);
    await shot(page, '16-listen');
    await docShot(page, 'listen');

    // The microphone (Chromium's fake device: a tone): recorded, encoded and heard.
    await page.getByTestId('listen-record').click();
    await expect.poll(() => page.getByTestId('listen-result').locator('h3').textContent(), { timeout: scaled(60_000) }).toMatch(/^2 s from the microphone: [12]\.\d+ s at \d+ Hz$/);
    await page.getByTestId('listen-prediction').waitFor();
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(300_000));

  it('opens a session file the CLI trained when it is dropped on the window, evaluates it, exports it to NIR and downloads both', async () => {
    // `train` on the CLI, as on a cluster: the demo set (800/200, seed 0), a small layer, two epochs.
    const cliSession = join(dir, 'cli-demo.h5');
    const trained = await runCli(['train', '--dataset', 'demo', '--epochs', '2', '--hidden', '16', '--batch', '100', '--backend', 'cpu', '--json', '--out', cliSession]);
    expect(trained.code, trained.stderr).toBe(0);
    const report = JSON.parse(trained.stdout) as { history: { test_acc: number }[]; selected_epoch: number };
    expect(report.history).toHaveLength(2);

    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('hyperparameter-form').isVisible()).toBe(true);

    // A wrong file first: refused in one line naming it, nothing added.
    await dropFiles([{ name: 'notes.h5', bytes: Buffer.from('not a session\n') }]);
    await expect.poll(() => page.getByTestId('messages').textContent()).toMatch(/session file notes\.h5: not an HDF5 file \(no HDF5 signature found\)/);
    const before = (await service.api.sessions.list()).length;
    await page.getByTestId('clear-messages').click();

    // The CLI's file: uploaded, opened and shown at once with its curves (two epochs, with validation).
    await dropFiles([{ name: 'cli-demo.h5', bytes: readFileSync(cliSession) }]);
    await page.getByTestId('viewing-session').waitFor({ timeout: scaled(60_000) });
    expect(await page.getByTestId('viewing-session').textContent()).toMatch(/Viewing saved session demo · lif 16 · 2 epochs · test [\d.]+% \(demo,\s+[^)]*, 2 epochs\)/);
    await expect.poll(() => rows(page).count()).toBe(2);
    // Train, validation and test accuracy of 2 epochs, the chance line's and the selected epoch line's two ends.
    expect(Number(await page.getByTestId('accuracy-chart').getAttribute('data-points'))).toBe(6 + 2 + 2);
    expect(await colourPixels(page, 'accuracy-chart', VAL_GREEN)).toBeGreaterThan(30);
    const testAccs = await page.getByTestId('test-acc').allTextContents();
    expect(testAccs).toEqual(report.history.map((h) => `${(100 * h.test_acc).toFixed(1)} %`));
    await shot(page, '17-opened-cli-session');

    // In the list, with where it came from; the file kept is the CLI's, byte for byte.
    const sessions = await service.api.sessions.list();
    expect(sessions).toHaveLength(before + 1);
    const opened = sessions.find((s) => s.origin?.fileName === 'cli-demo.h5')!;
    expect(opened.origin).toMatchObject({ path: null, fileName: 'cli-demo.h5' });
    expect(opened.datasetRef).toEqual({ kind: 'demo' });
    expect(readFileSync(join(dir, 'data', opened.dataPath)).equals(readFileSync(cliSession))).toBe(true);
    await page.getByTestId('tab-sessions').click();
    const row = page.locator(`[data-testid="session-row"][data-session-id="${opened.id}"]`);
    expect(await row.getByTestId('session-origin').textContent()).toBe('opened from cli-demo.h5');

    // Evaluated on the demo test set it records: "evaluating…" while the training process runs it, then the accuracy
    // that `evaluate --selected` on the CLI prints for the same file and data, on the same backend.
    const evaluateButton = row.getByTestId('evaluate-session');
    expect(await evaluateButton.textContent()).toBe('Evaluate on the test set of demo');
    await evaluateButton.click();
    await expect.poll(() => evaluateButton.textContent()).toBe('evaluating…');
    await page.getByTestId('session-evaluation').waitFor({ timeout: scaled(120_000) });
    expect(await evaluateButton.textContent()).toBe('Evaluate on the test set of demo');
    const details = (await page.getByTestId('session-evaluation').textContent())!.replace(/\s+/g, ' ');
    const backend = /weights of the selected epoch \((\d+)\), on (\w+); mean NLL/.exec(details);
    expect(backend, details).not.toBeNull();
    expect(Number(backend![1])).toBe(report.selected_epoch);
    const cliEval = await runCli(['evaluate', '--session', cliSession, '--data', 'demo', '--selected', '--json', '--backend', backend![2]]);
    expect(cliEval.code, cliEval.stderr).toBe(0);
    const evaluated = JSON.parse(cliEval.stdout) as { accuracy: number; per_class: { name: string; samples: number; correct: number; accuracy: number | null }[] };
    const correct = evaluated.per_class.reduce((n, c) => n + c.correct, 0);
    expect(await page.getByTestId('evaluation-accuracy').textContent()).toBe(`${(100 * evaluated.accuracy).toFixed(1)} % (${correct} of 200) on demo`);
    expect(await page.getByTestId('evaluation-class').allTextContents()).toEqual(
      evaluated.per_class.map((c) => `${c.name}${c.correct}/${c.samples}${c.accuracy === null ? '—' : `${(100 * c.accuracy).toFixed(0)} %`}`),
    );
    expect(await page.getByTestId('evaluation-warnings').count()).toBe(0);
    await shot(page, '17b-evaluated-cli-session');

    // Checked: its NIR export runs next to the engine on the demo test set, the engine as the CLI measured it.
    await row.getByTestId('export-nir').click();
    await expect.poll(() => page.getByTestId('nir-exported').textContent()).toMatch(/^Wrote .*\.nir \(NIR graph, \d+ nodes, \d+ edges\)\.$/);
    expect(await page.getByTestId('check-nir').textContent()).toBe('Check it on the test set of demo');
    await page.getByTestId('check-nir').click();
    await page.getByTestId('nir-check').waitFor({ timeout: scaled(120_000) });
    const selectedAcc = report.history[report.selected_epoch - 1].test_acc;
    expect((await page.getByTestId('nir-check').textContent())!.replace(/\s+/g, ' ')).toContain(`on 200 test samples of demo (the engine gets ${(100 * selectedAcc).toFixed(1)} % right)`);
    expect(await page.getByTestId('nir-check-row').nth(0).textContent()).toMatch(/^delayed reset .*\)100\.0 %[\d.]+ %$/);

    // Downloads: the NIR file and the session file, as attachments with the bytes on the server.
    const [nirDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-nir').click()]);
    expect(nirDownload.suggestedFilename()).toBe(`${opened.id}.nir`);
    const nirSaved = join(dir, 'downloaded.nir');
    await nirDownload.saveAs(nirSaved);
    expect(readFileSync(nirSaved).equals(readFileSync(join(dir, 'data', 'exports', `${opened.id}.nir`)))).toBe(true);
    const [sessionDownload] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-session').click()]);
    expect(sessionDownload.suggestedFilename()).toBe(`${opened.id}.h5`);
    const sessionSaved = join(dir, 'downloaded.h5');
    await sessionDownload.saveAs(sessionSaved);
    expect(readFileSync(sessionSaved).equals(readFileSync(cliSession))).toBe(true);
    await shot(page, '18-opened-cli-session-nir');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(240_000));

  it('trains a neuron typed in the form: checked as typed, its backward checked before the first epoch, saved, reopened and evaluated', async () => {
    await openOnDemo(CUSTOM_TRAIN, CUSTOM_TEST);
    await page.getByTestId('reset-config').click();
    // Picking custom opens the editor on the example program (LIF in the language), checked.
    await page.getByTestId('input-neuron').selectOption('custom');
    const editor = page.getByTestId('custom-neuron-editor');
    await editor.waitFor();
    expect(await page.getByTestId('custom-source').inputValue()).toBe(EXAMPLE_CUSTOM_SOURCE);
    expect(await page.getByTestId('custom-ok').textContent()).toMatch(/^2 states \(U, I\), 2 parameters \(0 learned\)/);

    // A typo: its line and a suggestion in words, under the text; Start is blocked, the editor gives the reason.
    await page.getByTestId('custom-source').fill(ADLIF_PROGRAM.replace('(J - w)', '(Jx - w)'));
    await expect.poll(() => page.getByTestId('custom-errors').textContent()).toBe('line 8: unknown name Jx; did you mean J?');
    expect(await page.getByTestId('custom-source').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-blocked').textContent()).toBe('fix 1 value in the form');
    expect(await page.getByTestId('unshown-error').count()).toBe(0);

    // Fixed: adLIF with four learned parameters and a constant.
    await page.getByTestId('custom-source').fill(ADLIF_PROGRAM);
    await page.getByTestId('custom-name').fill('e2e adlif');
    await expect.poll(() => page.getByTestId('custom-ok').textContent()).toBe(
      '2 states (u, w), 4 parameters (4 learned), 1 constant, 4 update lines; the membrane shown is U',
    );
    await oneLayerForm(page, { 'layer-0-size': '32', 'input-weightScale': '4', 'input-surrogateScale': '10', 'input-learningRate': '0.01', 'input-epochs': '3', 'input-batchSize': '50', 'input-validationFraction': '0' });
    await page.getByTestId('layer-0-dropout').fill('0');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
    expect(await page.getByTestId('start-training').isDisabled()).toBe(false);
    await docShot(page, 'custom-neuron', editor);

    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(120_000) }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(120_000) }).toBe('idle');
    expect(await rows(page).count()).toBe(3);
    expect(await page.getByTestId('run-error').count()).toBe(0);
    // The finite-difference check ran before the first epoch, and says so above the curves.
    const note = page.getByTestId('health-warnings').locator('li').filter({ hasText: 'finite differences' });
    expect(await note.textContent()).toMatch(
      /^Note \(at initialisation\): the custom neuron e2e adlif: its derived backward agrees with finite differences at all \d+ derivatives checked \(worst relative difference [\d.e+-]+\)$/,
    );
    const testAccs = await page.getByTestId('test-acc').allTextContents();
    const finalAcc = Number(testAccs[2].replace(' %', ''));
    // Chance is 5 % on the demo's 20 classes.
    expect(finalAcc, testAccs.join(', ')).toBeGreaterThanOrEqual(30);
    await shot(page, '20-custom-neuron-trained');

    // Saved, then its file opened again as another session (as a file from elsewhere would be), with its program.
    await page.getByTestId('session-name').fill('e2e custom');
    await page.getByTestId('save-session-button').click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: scaled(20_000) }).toBe('saved');
    const saved = (await service.api.sessions.list()).find((x) => x.name === 'e2e custom')!;
    expect(saved.config.customNeuron).toEqual({ name: 'e2e adlif', source: ADLIF_PROGRAM, surrogate: 'fast-sigmoid' });
    await dropFiles([{ name: 'e2e-custom.h5', bytes: readFileSync(join(dir, 'data', saved.dataPath)) }]);
    await expect.poll(async () => (await service.api.sessions.list()).some((x) => x.origin?.fileName === 'e2e-custom.h5'), { timeout: scaled(60_000) }).toBe(true);
    const opened = (await service.api.sessions.list()).find((x) => x.origin?.fileName === 'e2e-custom.h5')!;
    expect(opened.id).not.toBe(saved.id);
    expect(opened.config.customNeuron).toEqual(saved.config.customNeuron);
    await page.getByTestId('viewing-session').waitFor({ timeout: scaled(60_000) });
    await expect.poll(() => page.getByTestId('test-acc').allTextContents()).toEqual(testAccs);

    // Evaluated on the demo test set in the training process: the accuracy training reported for the kept epoch.
    await page.getByTestId('tab-sessions').click();
    const row = page.locator(`[data-testid="session-row"][data-session-id="${opened.id}"]`);
    expect(await row.getByTestId('session-origin').textContent()).toBe('opened from e2e-custom.h5');
    expect(await row.textContent()).toMatch(/custom “e2e adlif” 32r, pool 1, max · T 100 · lr 0\.01 adam · B 50/);
    // NIR has no primitive for a program: the button says so instead.
    expect(await row.getByTestId('export-nir').isDisabled()).toBe(true);
    await row.getByTestId('evaluate-session').click();
    await page.getByTestId('session-evaluation').waitFor({ timeout: scaled(120_000) });
    expect(await page.getByTestId('evaluation-accuracy').textContent()).toMatch(new RegExp(`^${finalAcc.toFixed(1).replace('.', '\\.')} % \\(\\d+ of ${CUSTOM_TEST}\\) on demo$`));
    expect(await page.getByTestId('evaluation-warnings').count()).toBe(0);
    await shot(page, '21-custom-neuron-evaluated');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(300_000));

  it('trains brf on the demo set: its own fields in the form, accuracy above chance', async () => {
    await openOnDemo(CUSTOM_TRAIN, CUSTOM_TEST);
    await page.getByTestId('reset-config').click();
    await page.getByTestId('input-neuron').selectOption('brf');
    // BRF's ω, damping offset, δ and γ replace τ_syn and τ_mem; adLIF's q does not appear.
    await page.getByTestId('input-brfOmega').waitFor();
    for (const id of ['input-brfBOffset', 'input-brfDt', 'input-brfGamma']) expect(await page.getByTestId(id).count(), id).toBe(1);
    for (const id of ['input-adaptQ', 'input-tauSynS', 'input-tauMemS']) expect(await page.getByTestId(id).count(), id).toBe(0);
    await oneLayerForm(page, { 'layer-0-size': '64', 'input-weightScale': '2', 'input-learningRate': '0.01', 'input-epochs': '3', 'input-batchSize': '50' });
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(90_000) }).toBe('idle');
    expect(await rows(page).count()).toBe(3);
    expect(await page.getByTestId('run-error').count()).toBe(0);
    // Chance is 5 % on the demo's 20 classes.
    const testAccs = await page.getByTestId('test-acc').allTextContents();
    expect(Number(testAccs[2].replace(' %', '')), testAccs.join(', ')).toBeGreaterThanOrEqual(30);
    await shot(page, '22-brf-training');
    await docShot(page, 'brf-training');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(170_000));

  it('trains a lif layer with learnable recurrent delays on wasm: the delay fields, the delay histogram initial against latest', async () => {
    await openOnDemo(CUSTOM_TRAIN, CUSTOM_TEST);
    await page.getByTestId('reset-config').click();
    // The spans and σ appear once a maximum is on.
    expect(await page.getByTestId('input-recDelayInit').count()).toBe(0);
    expect(await page.getByTestId('input-delaySigma').count()).toBe(0);
    await page.locator('input[name="backend"][value="wasm"]').check();
    await oneLayerForm(page, {
      'layer-0-size': '32',
      'input-recDelayMax': '6',
      'input-recDelayInit': '0:5',
      'input-delaySigma': '2',
      'input-weightScale': '2',
      'input-learningRate': '0.01',
      'input-epochs': '3',
      'input-batchSize': '50',
    });
    expect(await page.getByTestId('layer-0-recurrent').isChecked()).toBe(true);
    expect(await page.getByTestId('input-ffDelayInit').count()).toBe(0);
    expect(await page.getByTestId('input-delaySigmaDecay').count()).toBe(1);
    await page.getByTestId('start-training').click();
    await expect.poll(() => rows(page).count(), { timeout: scaled(90_000) }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(120_000) }).toBe('idle');
    expect(await page.getByTestId('run-error').count()).toBe(0);
    expect(await rows(page).count()).toBe(3);
    expect(await page.getByTestId('app-meta').textContent()).toMatch(/backend: wasm/);
    // Chance is 5 % on the demo's 20 classes.
    const testAccs = await page.getByTestId('test-acc').allTextContents();
    expect(Number(testAccs[2].replace(' %', '')), testAccs.join(', ')).toBeGreaterThanOrEqual(20);

    await page.getByTestId('tab-spikes').click();
    await page.getByTestId('delay-hist-rec').waitFor();
    await page.waitForTimeout(300);
    expect(await paintedPixels(page, 'delay-hist-rec')).toBeGreaterThan(100);
    expect(await page.getByTestId('delay-hist-ff').count()).toBe(0);
    expect(await page.getByTestId('delay-hist-rec').locator('canvas').getAttribute('aria-label')).toBe('Layer 1 recurrent delay: initial vs latest epoch: histogram of recurrent delay over 24 bins');
    // Drawn uniformly from 0–5 steps: the initial mean lies well inside; the latest stays in [0, 6] (clamped).
    const meanOf = async (id: string) => Number(/mean ([\d.]+) steps/.exec((await page.getByTestId(id).textContent()) ?? '')?.[1]);
    const initial = await meanOf('delay-hist-rec-initial');
    expect(initial).toBeGreaterThan(1.5);
    expect(initial).toBeLessThan(3.5);
    const latest = await meanOf('delay-hist-rec-learned');
    expect(latest).toBeGreaterThanOrEqual(0);
    expect(latest).toBeLessThanOrEqual(6);
    await shot(page, '23-delays');
    await docShot(page, 'delays', page.getByTestId('delay-hist-rec'));
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(200_000));

  it('gives each layer its own delays in the layer table: recurrent ones in layer 1 only, trained on wasm, histograms and the saved session say so', async () => {
    await openOnDemo(160, 40);
    await page.getByTestId('reset-config').click();
    await page.locator('input[name="backend"][value="wasm"]').check();
    await oneLayerForm(page, { 'layer-0-size': '16', 'input-nbSteps': '30', 'input-epochs': '2', 'input-batchSize': '40' });
    await page.getByTestId('add-layer').click();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBe(2);
    // Empty: the Delays group's value (0, off), shown as the placeholder; the group's spans and σ stay hidden.
    expect(await page.getByTestId('layer-0-recDelayMax').inputValue()).toBe('');
    expect(await page.getByTestId('layer-0-recDelayMax').getAttribute('placeholder')).toBe('0');
    expect(await page.getByTestId('input-recDelayInit').count()).toBe(0);
    // A recurrent delay on a layer without recurrence is refused in the layer's row, in the form's words; the
    // input of a layer without recurrence and without a value of its own is disabled.
    await page.getByTestId('layer-1-recDelayMax').fill('6');
    await page.getByTestId('layer-1-recurrent').uncheck();
    await expect.poll(() => page.getByTestId('error-layers.1').textContent()).toBe(
      'Layer 2 recurrent delay max 6: recurrent delays need recurrent weights; make layer 2 recurrent or set its recurrent delay max to 0',
    );
    await page.getByTestId('layer-1-recDelayMax').fill('');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
    expect(await page.getByTestId('layer-1-recDelayMax').isDisabled()).toBe(true);
    await page.getByTestId('layer-1-recurrent').check();
    await page.getByTestId('layer-0-recDelayMax').fill('6');
    await page.getByTestId('layer-1-recDelayMax').fill('0');
    // A layer's own maximum brings the group's initial span and σ (what that layer draws from and trains with).
    await page.getByTestId('input-recDelayInit').fill('0:5');
    await page.getByTestId('input-delaySigma').fill('2');
    await page.getByTestId('input-weightScale').fill('2');
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(0);
    expect(await page.getByTestId('input-ffDelayInit').count()).toBe(0);
    await docShot(page, 'layer-delays', page.getByTestId('layer-editor'));
    await page.getByTestId('start-training').click();
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: scaled(120_000) }).toBe('idle');
    expect(await page.getByTestId('run-error').count()).toBe(0);
    expect(await rows(page).count()).toBe(2);

    await page.getByTestId('tab-spikes').click();
    await page.getByTestId('delay-hist-rec').waitFor();
    // Layer 1's histogram spans its own maximum, 0–6 steps; layer 2 has none.
    const meanOf = async (id: string) => Number(/mean ([\d.]+) steps/.exec((await page.getByTestId(id).textContent()) ?? '')?.[1]);
    expect(await meanOf('delay-hist-rec-initial')).toBeLessThanOrEqual(5);
    await page.getByTestId('layer-picker').selectOption('1');
    await expect.poll(() => page.getByTestId('delay-hist-rec').count()).toBe(0);
    expect(await page.getByTestId('delay-hist-ff').count()).toBe(0);

    await page.getByTestId('tab-train').click();
    await page.getByTestId('session-name').fill('e2e layer delays');
    await page.getByTestId('save-session-button').click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: scaled(20_000) }).toBe('saved');
    await page.getByTestId('tab-sessions').click();
    const row = page.getByTestId('session-row').filter({ hasText: 'e2e layer delays' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/lif 2×16r, pool 1, max · τsyn 5 ms · τmem 10 ms · rec delay ≤ 6,0 σ 2 · T 30/);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(200_000));

  it('drives one neuron of every kind in the playground, the form\'s own neuron too: traces of every state, spikes, the f–I curve and the phase portrait', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('hyperparameter-form').isVisible()).toBe(true);
    await page.getByTestId('reset-config').click();
    await page.getByTestId('tab-playground').click();
    const kindOptions = () => page.getByTestId('playground-kind').locator('option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    // The built-in kinds while the form's neuron is one of them.
    await expect.poll(async () => (await kindOptions()).map(([k]) => k)).toEqual(NEURONS.filter((k) => k !== 'custom'));
    // The form's own neuron joins them, named, once the form holds a sound program.
    await page.getByTestId('tab-setup').click();
    await page.getByTestId('input-neuron').selectOption('custom');
    await page.getByTestId('custom-source').fill(ADLIF_PROGRAM);
    await page.getByTestId('custom-name').fill('e2e adlif');
    await page.getByTestId('custom-ok').waitFor();
    await page.getByTestId('tab-playground').click();
    await expect.poll(kindOptions).toContainEqual(['custom', 'custom: e2e adlif']);
    const kinds = (await kindOptions()).map(([k]) => k!);
    expect(kinds).toEqual(NEURONS);
    // It opens on the form's neuron: its parameters at the middle of the program's ranges, its constant shown.
    expect(await page.getByTestId('playground-kind').inputValue()).toBe('custom');
    expect(await page.getByTestId('playground-param-alpha').inputValue()).toBe('0.945');
    expect(await page.getByTestId('playground-const-q').textContent()).toBe('q = 30');
    for (const kind of kinds) {
      await page.getByTestId('playground-kind').selectOption(kind);
      await page.getByTestId('playground-shape').selectOption('step');
      // Every parameter of the kind has its input, filled from its description.
      const params = await page.locator('[data-testid^="playground-param-"]').evaluateAll((es) => es.map((e) => e.getAttribute('data-testid')));
      expect(params.length, kind).toBeGreaterThan(0);
      await page.getByTestId('playground-run').click();
      const result = page.locator(`[data-testid="playground-result"][data-neuron="${kind}"]`);
      await result.waitFor();
      const states = await result.locator('figure[data-testid^="playground-trace-state-"]').evaluateAll((es) => es.map((e) => e.getAttribute('data-testid')!));
      expect(states.length, kind).toBeGreaterThanOrEqual(2);
      for (const id of ['playground-trace-input', ...states, 'playground-trace-record-mem']) {
        await expect.poll(() => paintedPixels(page, id), { message: `${kind} ${id}` }).toBeGreaterThan(50);
      }
      await expect.poll(() => paintedPixels(page, 'playground-spikes'), { message: `${kind} spikes` }).toBeGreaterThan(0);
      expect(await page.getByTestId('playground-rate-text').textContent()).toMatch(/^[1-9]\d* spikes? in 500\.0 ms: [\d.]+ Hz$/);
      // The f–I curve: its points drawn (the series' blue), firing somewhere in the sweep and faster at a larger current.
      expect(await page.getByTestId('playground-fi').getAttribute('data-points')).toBe('21');
      await expect.poll(() => colourPixels(page, 'playground-fi', [37, 99, 235]), { message: `${kind} f–I` }).toBeGreaterThan(50);
      expect(await page.getByTestId('playground-fi-text').getAttribute('data-rises'), kind).toBe('true');
      expect(await page.getByTestId('playground-fi-text').textContent()).toMatch(/^fires from J = /);
      // The phase portrait of the first two states, then of the first against the last.
      expect(await page.getByTestId('playground-phase-x').inputValue()).toBe(states[0].replace('playground-trace-state-', ''));
      expect(await page.getByTestId('playground-phase-y').inputValue()).toBe(states[1].replace('playground-trace-state-', ''));
      await expect.poll(() => paintedPixels(page, 'playground-phase'), { message: `${kind} phase` }).toBeGreaterThan(50);
      await shot(page, `19-playground-${kind}`);
    }
    // A parameter of the form's neuron outside its program's range is marked and not run.
    await page.getByTestId('playground-kind').selectOption('custom');
    await page.getByTestId('playground-param-alpha').fill('0.5');
    await expect.poll(() => page.getByTestId('playground-param-alpha-error').textContent()).toBe('params.alpha must be a number ≥ 0.9 and ≤ 0.99 (got 0.5)');
    expect(await page.getByTestId('playground-run').isDisabled()).toBe(true);
    // A bad value is marked and not run; the kind's own inputs come back with the kind (brf: the picture the guide describes).
    await page.getByTestId('playground-kind').selectOption('brf');
    await page.getByTestId('playground-steps').fill('0');
    await page.getByTestId('playground-steps-error').waitFor();
    expect(await page.getByTestId('playground-steps-error').textContent()).toBe('steps must be an integer ≥ 1 and ≤ 10000 (got 0)');
    expect(await page.getByTestId('playground-run').isDisabled()).toBe(true);
    await page.getByTestId('playground-steps').fill('500');
    await expect.poll(() => page.getByTestId('playground-invalid').count()).toBe(0);
    await page.getByTestId('playground-steps').blur();
    await page.locator('[data-testid="playground-result"][data-neuron="brf"]').waitFor();
    await docShot(page, 'playground');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, scaled(120_000));
});
