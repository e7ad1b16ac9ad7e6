import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSession, writeSession } from '../../../src/services/sessions/sessionFile';
import { rewriteH5 } from './h5Rewrite';
import { pythonMissing, runPythonJson } from './referencePython';
import { sampleSession } from './sampleSession';

const dir = mkdtempSync(join(tmpdir(), 'sw-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session file round trip', () => {
  it('reads back exactly what was written', async () => {
    const s = sampleSession({ inputs: 9, hidden: 6, classes: 4, epochs: 3, config: { optimizer: 'adamax', recurrent: false } });
    const path = join(dir, 'round.h5');
    await writeSession(path, s);
    const back = await readSession(path);
    expect(back.config).toEqual(s.config);
    expect(back.config.seed).toBe(4294967295);
    expect(back.weights).toEqual(s.weights);
    expect(back.weights.w1).toBeInstanceOf(Float32Array);
    expect(back.optimizer).toEqual(s.optimizer);
    expect(back.history).toEqual(s.history);
    expect(back.epochsDone).toBe(3);
    expect(back.meta).toEqual(s.meta);
  });

  it('stores a session with no epochs yet', async () => {
    const s = sampleSession({ epochs: 0 });
    const path = join(dir, 'empty-history.h5');
    await writeSession(path, s);
    const back = await readSession(path);
    expect(back.history).toEqual([]);
    expect(back.epochsDone).toBe(0);
  });

  it('replaces an existing file and leaves no temporary file behind', async () => {
    const path = join(dir, 'replace', 'r.h5');
    rmSync(join(dir, 'replace'), { recursive: true, force: true });
    mkdirSync(join(dir, 'replace'));
    await writeSession(path, sampleSession({ epochs: 1 }));
    await writeSession(path, sampleSession({ epochs: 2 }));
    expect((await readSession(path)).epochsDone).toBe(2);
    expect(readdirSync(join(dir, 'replace'))).toEqual(['r.h5']);
  });

  it('refuses to write an inconsistent session and keeps the previous file', async () => {
    const path = join(dir, 'keep.h5');
    await writeSession(path, sampleSession({ epochs: 1 }));
    const before = readFileSync(path);
    const bad = sampleSession({ epochs: 2 });
    bad.optimizer.m.v1 = new Float32Array(3);
    await expect(writeSession(path, bad)).rejects.toThrow(/optimizer m\.v1 has 3 values, expected 25/);
    const badHist = sampleSession({ epochs: 2 });
    badHist.epochsDone = 3;
    await expect(writeSession(path, badHist)).rejects.toThrow(/history has 2 epochs, epochsDone is 3/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeSession(join(dir, 'no-such-dir', 's.h5'), sampleSession())).rejects.toThrow(/cannot write session .*s\.h5: folder .*no-such-dir does not exist/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('h5py reads what we write', () => {
  const missing = pythonMissing(['numpy', 'h5py']);
  it.skipIf(missing !== null)('weights as float32 [inputs,H], [H,H], [H,classes]; config as JSON; history columns', async () => {
    const s = sampleSession({ inputs: 8, hidden: 5, classes: 3, epochs: 2 });
    const path = join(dir, 'h5py.h5');
    await writeSession(path, s);
    const script = `
import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
w = {k: f["weights"][k] for k in ("w1", "v1", "w2")}
print(json.dumps({
  "dtypes": [str(w[k].dtype) for k in ("w1", "v1", "w2")],
  "shapes": [list(w[k].shape) for k in ("w1", "v1", "w2")],
  "w1_row1": [float(x) for x in w["w1"][1]],
  "w2_last": float(w["w2"][4, 2]),
  "config": json.loads(f.attrs["config"]),
  "test_acc": [float(x) for x in f["history/test_acc"][()]],
  "class_names": [x.decode() if isinstance(x, bytes) else str(x) for x in f["meta"].attrs["class_names"]],
  "m_shape": list(f["optimizer/m/v1"].shape),
}))`;
    const out = runPythonJson(['-c', script, path]) as Record<string, unknown>;
    expect(out.dtypes).toEqual(['float32', 'float32', 'float32']);
    expect(out.shapes).toEqual([[8, 5], [5, 5], [5, 3]]);
    expect(out.w1_row1).toEqual(Array.from(s.weights.w1.subarray(5, 10)));
    expect(out.w2_last).toBe(s.weights.w2[4 * 3 + 2]);
    expect(out.config).toEqual(s.config);
    expect(out.test_acc).toEqual(s.history.map((h) => h.test_acc));
    expect(out.class_names).toEqual(s.meta.classNames);
    expect(out.m_shape).toEqual([5, 5]);
  });
});

describe('broken session files are refused, naming file and dataset', () => {
  const good = join(dir, 'good.h5');
  const broken = (name: string) => join(dir, `broken-${name}.h5`);
  const prepare = async () => writeSession(good, sampleSession({ inputs: 7, hidden: 5, classes: 3, epochs: 2 }));

  it('a missing file', async () => {
    await expect(readSession(join(dir, 'nope.h5'))).rejects.toThrow(/session file .*nope\.h5: no such file/);
  });

  it('a file that is not HDF5', async () => {
    const p = broken('text');
    writeFileSync(p, 'epoch,loss\n1,2.3\n'.repeat(100));
    await expect(readSession(p)).rejects.toThrow(/broken-text\.h5: not an HDF5 file/);
  });

  it('a truncated file (a write cut short by a crash, before atomic writes)', async () => {
    await prepare();
    const p = broken('cut');
    const bytes = readFileSync(good);
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readSession(p)).rejects.toThrow(/session file .*broken-cut\.h5: truncated file/);
  });

  it('an HDF5 file that is not a session', async () => {
    await prepare();
    const p = broken('format');
    await rewriteH5(good, p, { drop: ['/@format'] });
    await expect(readSession(p)).rejects.toThrow(/broken-format\.h5: not a session file/);
  });

  const cases: [string, Parameters<typeof rewriteH5>[2], RegExp][] = [
    ['no-v1', { drop: ['/weights/v1'] }, /missing dataset \/weights\/v1/],
    ['no-w1', { drop: ['/weights/w1'] }, /missing dataset \/weights\/w1/],
    ['v1-shape', { datasets: { '/weights/v1': { data: new Float32Array(20), shape: [5, 4] } } }, /dataset \/weights\/v1 has shape \[5, 4\], expected \[5, 5\]/],
    ['w2-1d', { datasets: { '/weights/w2': { data: new Float32Array(15), shape: [15] } } }, /dataset \/weights\/w2 has shape \[15\], expected 2 non-empty dimensions/],
    ['moment-shape', { datasets: { '/optimizer/v/w2': { data: new Float32Array(12), shape: [4, 3] } } }, /\/optimizer\/v\/w2 has shape \[4, 3\], expected \[5, 3\]/],
    ['int-weights', { datasets: { '/weights/w2': { data: new Int32Array(15), shape: [5, 3] } } }, /dataset \/weights\/w2 has type <i, expected float/],
    ['config-json', { attrs: { '/@config': '{"hidden": 5,' } }, /attribute config on \/ is not valid JSON/],
    ['config-value', { attrs: { '/@config': 'CONFIG:tauSynS=-1' } }, /attribute config on \/ is invalid: tauSynS must be a number > 0/],
    ['config-hidden', { attrs: { '/@config': 'CONFIG:hidden=6' } }, /\/weights\/w1 has 5 hidden columns, config\.hidden is 6/],
    ['history-length', { datasets: { '/history/test_acc': { data: new Float64Array(1), shape: [1] } } }, /dataset \/history\/test_acc has shape \[1\], expected \[2\]/],
    ['history-epoch', { datasets: { '/history/epoch': { data: new Int32Array([1, 3]), shape: [2] } } }, /\/history\/epoch has 3 at index 1, expected 2/],
    ['classes', { attrs: { '/meta@class_names': ['a', 'b'] } }, /class_names on \/meta has 2 names, \/weights\/w2 has 3 classes/],
    ['optimizer', { attrs: { '/optimizer@name': 'sgd' } }, /attribute name on \/optimizer is "sgd"/],
    ['no-meta', { drop: ['/meta'] }, /missing group \/meta/],
    ['newer', { attrs: { '/@format_version': 2 } }, /format_version 2 is newer than this app reads/],
  ];
  for (const [name, edit, message] of cases) {
    it(name, async () => {
      await prepare();
      const p = broken(name);
      const config = edit.attrs?.['/@config'];
      if (typeof config === 'string' && config.startsWith('CONFIG:')) {
        const [key, value] = config.slice(7).split('=');
        edit.attrs!['/@config'] = JSON.stringify({ ...sampleSession().config, hidden: 5, [key]: Number(value) });
      }
      await rewriteH5(good, p, edit);
      const err = await readSession(p).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(new RegExp(`^session file .*broken-${name}\\.h5: `));
      expect(err?.message).toMatch(message);
    });
  }

  it('the unmodified copy of the good file still reads (the rewrite helper itself is faithful)', async () => {
    await prepare();
    const p = broken('none');
    await rewriteH5(good, p, {});
    expect(await readSession(p)).toEqual(await readSession(good));
  });
});
