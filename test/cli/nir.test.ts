/**
 * `export-nir` and `import-nir` as a user runs them: a LIF session out to NIR and back predicts exactly as the
 * original; `--check` simulates the written file next to the engine; an adLIF session is refused with the reason;
 * a file that is not a NIR graph is named as such; a session with learnable delays exports Delay nodes and --check
 * runs them to the engine's predictions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSpikeFile } from '../../src/services/data/shdReader';
import { ShdFileWriter } from '../../src/services/data/shdWriter';
import { readSession } from '../../src/services/sessions/sessionRead';
import { layerTensors } from '../../src/services/engine/model/modelState';
import { wholeSteps } from '../../src/services/engine/model/delayKernel';
import { readNir } from '../../src/services/nir/nirFile';
import { runCli } from './cliProcess';

const FIX = 'test/fixtures/sessions';
const dir = mkdtempSync(join(tmpdir(), 'sw-nir-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export-nir / import-nir', () => {
  it('round-trips a LIF session to the same predictions', async () => {
    const nir = join(dir, 'agreement.nir');
    const ex = await runCli(['export-nir', '--session', `${FIX}/agreement_session.h5`, '--out', nir]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toMatch(/^wrote .*agreement\.nir: 7 nodes, 7 edges$/m);
    const back = join(dir, 'back.h5');
    // What NIR does not carry, given as for train: the committed session's own binning and readout.
    const c = (await readSession(`${FIX}/agreement_session.h5`)).config;
    const im = await runCli(['import-nir', nir, '--out', back, '--nb-steps', String(c.nbSteps), '--max-time', String(c.maxTimeS), '--bins', c.binning, '--readout', c.readout]);
    expect(im.code, im.stderr).toBe(0);
    expect(im.stdout).toMatch(/lif 40-16r-4, pool 1, dt 0\.001 s/);
    const preds = async (session: string) => JSON.parse((await runCli(['evaluate', '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json'])).stdout).predictions as number[];
    expect(await preds(back)).toEqual(await preds(`${FIX}/agreement_session.h5`));
  });

  it('--check runs the written file in the NIR simulator on a test file: the delayed reset predicts as the engine', async () => {
    const nir = join(dir, 'checked.nir');
    const r = await runCli(['export-nir', '--session', `${FIX}/agreement_session.h5`, '--out', nir, '--check', `${FIX}/agreement_test.h5`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { check } = JSON.parse(r.stdout);
    const engine = JSON.parse((await runCli(['evaluate', '--session', `${FIX}/agreement_session.h5`, '--data', `${FIX}/agreement_test.h5`, '--json'])).stdout);
    expect(check.samples).toBe(engine.predictions.length);
    expect(check.engineAccuracy).toBeCloseTo(engine.accuracy, 12);
    expect(check.orders[0]).toEqual({ order: 'delayed', agreement: 1, accuracy: engine.accuracy });
    expect(check.orders[1].order).toBe('immediate');
    expect(check.orders[1].agreement).toBeGreaterThan(0.5);
    const text = await runCli(['export-nir', '--session', `${FIX}/agreement_session.h5`, '--out', nir, '--check', `${FIX}/agreement_test.h5`, '--check-samples', '20']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^checked on 20 samples of .*agreement_test\.h5 \(the engine: [\d.]+ % correct\)/m);
    expect(text.stdout).toMatch(/delayed reset \(the engine's order, snnTorch's default\)\s+100\.0 % of predictions as the engine's/);
    expect(text.stdout).toMatch(/immediate reset \(Norse, Lava, snnTorch's NIR import\)\s+[\d.]+ % of predictions as the engine's/);
    const lone = await runCli(['export-nir', '--session', `${FIX}/agreement_session.h5`, '--out', nir, '--check-samples', '5']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toMatch(/--check-samples needs --check DATA/);
  });

  it('--check on data whose classes differ from the session\'s warns on stderr, and stdout keeps the check', async () => {
    const src = await readSpikeFile(`${FIX}/agreement_test.h5`);
    const renamed = join(dir, 'renamed.h5');
    const w = new ShdFileWriter(renamed, { classNames: ['a', 'b', 'c', 'd'], channels: 40, speakers: false });
    for (let i = 0; i < 30; i++) w.add({ times: src.times.subarray(src.offsets[i], src.offsets[i + 1]), units: src.units.subarray(src.offsets[i], src.offsets[i + 1]), label: src.labels[i] });
    w.finish();
    const r = await runCli(['export-nir', '--session', `${FIX}/agreement_session.h5`, '--out', join(dir, 'renamed.nir'), '--check', renamed, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toEqual([
      `warning: ${renamed} names its classes differently from the session ${FIX}/agreement_session.h5: class 0 is "a" there, "burst-0" in the session (4 of 4 names differ); labels are scored by index`,
    ]);
    expect(JSON.parse(r.stdout).check.samples).toBe(30);
  });

  it('refuses adLIF and files that are not NIR graphs, saying why', async () => {
    const r = await runCli(['export-nir', '--session', `${FIX}/adlif2_session.h5`, '--out', join(dir, 'a.nir')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/adlif2_session\.h5: layer 1 is adLIF, which NIR cannot express/);
    const bad = await runCli(['import-nir', `${FIX}/agreement_session.h5`, '--out', join(dir, 'x.h5')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/agreement_session\.h5: no dataset node\/type \(not a NIR graph file\?\)/);
  });

  it('a session with learnable delays: Delay nodes in whole steps times dt, and --check runs them as the engine does', async () => {
    const session = join(dir, 'delays.h5');
    const train = await runCli([
      'train', '--dataset', 'demo', '--out', session, '--hidden', '24,16', '--nb-steps', '40', '--lr', '0.01', '--weight-scale', '3',
      '--rec-delay-max', '6', '--rec-delay-init', '0:5', '--ff-delay-max', '4', '--ff-delay-init', '0:3', '--epochs', '2', '--seed', '3', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const nir = join(dir, 'delays.nir');
    const r = await runCli(['export-nir', '--session', session, '--out', nir, '--check', 'demo', '--check-samples', '100', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.nodes).toBe(14);
    const stored = await readSession(session);
    const g = await readNir(nir);
    const dt = stored.config.dtS;
    const seconds = (d: Float32Array) => Array.from(wholeSteps(d), (k) => k * dt);
    const [l0, l1] = [layerTensors(stored.params, 0), layerTensors(stored.params, 1)];
    expect(g.nodes.rdelay0.type).toBe('Delay');
    expect(Array.from(g.nodes.rdelay0.params.delay.data as Float64Array)).toEqual(seconds(l0.recDelay!));
    expect(Array.from(g.nodes.delay0.params.delay.data as Float64Array)).toEqual(seconds(l0.ffDelay!));
    expect(Array.from(g.nodes.delay1.params.delay.data as Float64Array)).toEqual(seconds(l1.ffDelay!));
    expect(g.edges).toContainEqual(['rdelay0', 'rec0']);
    expect(g.edges).toContainEqual(['delay1', 'fc_out']);
    // Delays that matter: not all rounded to zero.
    expect(seconds(l0.recDelay!).some((x) => x > 0)).toBe(true);
    const { check } = out;
    expect(check.samples).toBe(100);
    expect(check.orders[0]).toEqual({ order: 'delayed', agreement: 1, accuracy: check.engineAccuracy });
    // A network that fires: the immediate reset, a different network, moves some predictions.
    expect(check.orders[1].agreement).toBeLessThan(1);
  });

  it('a session whose layers have their own delays: only those datasets and Delay nodes, resumed and evaluated', async () => {
    // Layer 1: recurrent delays only; layer 2: feed-forward delays only (per-layer flags).
    const session = join(dir, 'layer-delays.h5');
    const train = await runCli([
      'train', '--dataset', 'demo', '--out', session, '--hidden', '24,16', '--nb-steps', '40', '--lr', '0.01', '--weight-scale', '3',
      '--rec-delay-max', '6,0', '--rec-delay-init', '0:5,0:5', '--ff-delay-max', '0,4', '--ff-delay-init', '0:3', '--epochs', '1', '--seed', '3', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const stored = await readSession(session);
    expect(stored.config.layers.map((l) => [l.recDelayMax, l.ffDelayMax])).toEqual([[6, 0], [0, 4]]);
    expect(stored.params.layout.map((e) => e.name).filter((n) => n.endsWith('_delay'))).toEqual(['layer0/rec_delay', 'layer1/ff_delay']);
    for (const d of layerTensors(stored.params, 1).ffDelay!) expect(d >= 0 && d <= 4).toBe(true);
    // Resumed: the layers keep their own delays, the history goes on.
    const resumed = await runCli(['train', '--resume', session, '--dataset', 'demo', '--epochs', '2']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const again = await readSession(session);
    expect(again.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(again.config.layers).toEqual(stored.config.layers);
    const ev = await runCli(['evaluate', '--session', session, '--data', 'demo', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout).predictions.length).toBeGreaterThan(0);
    const nir = join(dir, 'layer-delays.nir');
    const r = await runCli(['export-nir', '--session', session, '--out', nir, '--check', 'demo', '--check-samples', '60', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const g = await readNir(nir);
    expect(Object.keys(g.nodes).filter((n) => g.nodes[n].type === 'Delay').sort()).toEqual(['delay1', 'rdelay0']);
    expect(g.edges).toContainEqual(['lif0', 'fc1']);
    expect(g.edges).toContainEqual(['delay1', 'fc_out']);
    const { check } = JSON.parse(r.stdout);
    expect(check.orders[0]).toEqual({ order: 'delayed', agreement: 1, accuracy: check.engineAccuracy });
  });
});
