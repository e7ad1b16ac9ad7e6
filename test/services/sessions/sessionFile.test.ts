import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_FORMAT_VERSION } from '../../../src/services/sessions/sessionLayout';
import { readSession } from '../../../src/services/sessions/sessionRead';
import { writeSession } from '../../../src/services/sessions/sessionWrite';
import { layerTensors, readoutTensors, tensor, type Session } from '../../../src/services/engine/model/modelState';
import type { TrainConfig } from '../../../src/shared/config';
import { rewriteH5, type Rewrite } from './h5Rewrite';
import { pythonMissing, REFERENCE, referenceMissing, runPythonJson } from './referencePython';
import { sampleSession, type SampleOptions } from './sampleSession';

const dir = mkdtempSync(join(tmpdir(), 'sw-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE_V1 = 'test/fixtures/sessions/agreement_session.h5';
/** A format-2 session written before layers carried the attribute kind (2 adLIF layers). */
const FIXTURE_V2_UNTAGGED = 'test/fixtures/sessions/adlif2_session.h5';

/** The bit patterns of float32 values, so −0, NaN payloads and last-ulp differences all count. */
const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.slice().buffer));

/** Datasets read straight with h5wasm, bypassing the reader under test. */
async function h5Values(path: string, names: string[]): Promise<Record<string, Float32Array>> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'r');
  try {
    return Object.fromEntries(names.map((n) => [n, Float32Array.from((f.get(n) as InstanceType<typeof h5wasm.Dataset>).value as Float32Array)]));
  } finally {
    f.close();
  }
}

// Two adLIF layers, the first recurrent and the second not, pooled input: every optional part of the layout.
const ADLIF2: SampleOptions = { neuron: 'adlif', layers: [[6, true], [4, false]], channels: 9, pool: 2, classes: 4, epochs: 3, config: { optimizer: 'adamax' } };
const LIF1: SampleOptions = { neuron: 'lif', layers: [[5, true]], channels: 7, classes: 3, epochs: 2 };

function expectSameSession(back: Session, s: Session): void {
  expect(back.config).toEqual(s.config);
  expect(back.params.shape).toEqual(s.params.shape);
  expect(back.params.layout).toEqual(s.params.layout);
  expect(back.params.flat).toBeInstanceOf(Float32Array);
  expect(bits(back.params.flat)).toEqual(bits(s.params.flat));
  expect(back.optimizer.name).toBe(s.optimizer.name);
  expect(back.optimizer.step).toBe(s.optimizer.step);
  expect(bits(back.optimizer.m)).toEqual(bits(s.optimizer.m));
  expect(bits(back.optimizer.v)).toEqual(bits(s.optimizer.v));
  expect(back.history).toEqual(s.history);
  expect(back.epochsDone).toBe(s.epochsDone);
  expect(back.meta).toEqual(s.meta);
}

describe('session file round trip', () => {
  it('format version 2', () => {
    expect(SESSION_FORMAT_VERSION).toBe(2);
  });

  for (const [name, opts] of [['2-layer adlif (recurrent, then feed-forward), pool 2', ADLIF2], ['1-layer recurrent lif', LIF1]] as const) {
    it(`${name}: reads back every value bit-exactly, the decays included`, async () => {
      const s = sampleSession(opts);
      const path = join(dir, `round-${s.config.neuron}.h5`);
      await writeSession(path, s);
      const back = await readSession(path);
      expectSameSession(back, s);
      expect(back.config.seed).toBe(4294967295);
    });
  }

  it("keeps the training data's speaker names when it has them, and reads a session without them as before", async () => {
    const s = sampleSession(LIF1);
    const named = { ...s, meta: { ...s.meta, speakerNames: ['amy', 'bob', 'cat'] } };
    const path = join(dir, 'speakers.h5');
    await writeSession(path, named);
    expect((await readSession(path)).meta.speakerNames).toEqual(['amy', 'bob', 'cat']);
    // One name alone (HDF5 hands a one-element string array back as a string) is still a list.
    await writeSession(path, { ...s, meta: { ...s.meta, speakerNames: ['amy'] } });
    expect((await readSession(path)).meta.speakerNames).toEqual(['amy']);
    await writeSession(path, s);
    expect('speakerNames' in (await readSession(path)).meta).toBe(false);
  });

  it('the τ datasets are −dt/ln(decay) in float32, named per kind as the reference reads them', async () => {
    const s = sampleSession({ ...ADLIF2, config: { ...ADLIF2.config, dtS: 2e-3 } });
    const path = join(dir, 'taus.h5');
    await writeSession(path, s);
    const stored = await h5Values(path, [
      'weights/layer0/tau_mem',
      'weights/layer0/tau_adapt',
      'weights/layer1/tau_mem',
      'weights/layer1/tau_adapt',
      'weights/readout/tau_syn',
      'weights/readout/tau_mem',
      'decays/layer1/beta',
    ]);
    const tau32 = (d: Float32Array) => Array.from(d, (x) => Math.fround(-2e-3 / Math.log(x)));
    for (const l of [0, 1]) {
      const t = layerTensors(s.params, l);
      expect(Array.from(stored[`weights/layer${l}/tau_mem`])).toEqual(tau32(t.alpha));
      expect(Array.from(stored[`weights/layer${l}/tau_adapt`])).toEqual(tau32(t.beta));
    }
    const ro = readoutTensors(s.params);
    expect(Array.from(stored['weights/readout/tau_syn'])).toEqual(tau32(ro.alpha));
    expect(Array.from(stored['weights/readout/tau_mem'])).toEqual(tau32(ro.beta));
    expect(bits(stored['decays/layer1/beta'])).toEqual(bits(layerTensors(s.params, 1).beta));
  });

  it('a lif layer stores tau_syn and tau_mem and no adaptation datasets', async () => {
    const s = sampleSession(LIF1);
    const path = join(dir, 'lif-names.h5');
    await writeSession(path, s);
    await h5wasm.ready;
    const f = new h5wasm.File(path, 'r');
    try {
      expect((f.get('weights/layer0') as InstanceType<typeof h5wasm.Group>).keys().sort()).toEqual(['tau_mem', 'tau_syn', 'w_in', 'w_rec']);
      expect((f.get('weights/readout') as InstanceType<typeof h5wasm.Group>).keys().sort()).toEqual(['tau_mem', 'tau_syn', 'w']);
      expect(f.attrs.channels.json_value).toBe(7);
      expect(f.attrs.format_version.json_value).toBe(2);
      expect((f.get('optimizer/m/readout') as InstanceType<typeof h5wasm.Group>).keys().sort()).toEqual(['alpha', 'beta', 'w']);
    } finally {
      f.close();
    }
  });

  it('without /decays (a file from another tool) the decays are exp(−dt/τ) of the stored τ in float32', async () => {
    const s = sampleSession(ADLIF2);
    const path = join(dir, 'with-decays.h5');
    await writeSession(path, s);
    const stripped = join(dir, 'no-decays.h5');
    await rewriteH5(path, stripped, { drop: ['/decays'] });
    const back = await readSession(stripped);
    const taus = await h5Values(path, ['weights/layer1/tau_mem', 'weights/layer1/tau_adapt', 'weights/readout/tau_syn']);
    const decay32 = (t: Float32Array) => Array.from(t, (x) => Math.fround(Math.exp(-1e-3 / x)));
    const l1 = layerTensors(back.params, 1);
    expect(Array.from(l1.alpha)).toEqual(decay32(taus['weights/layer1/tau_mem']));
    expect(Array.from(l1.beta)).toEqual(decay32(taus['weights/layer1/tau_adapt']));
    expect(Array.from(readoutTensors(back.params).alpha)).toEqual(decay32(taus['weights/readout/tau_syn']));
    // The τ round trip moves some decays by a float32 ulp or so (which is why /decays exists); everything
    // else is untouched.
    let worst = 0;
    const isDecay = (name: string) => name.endsWith('/alpha') || name.endsWith('/beta');
    for (const e of s.params.layout) {
      const a = tensor(s.params, s.params.flat, e.name);
      const b = tensor(back.params, back.params.flat, e.name);
      if (isDecay(e.name)) a.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - b[i]))));
      else expect(bits(b)).toEqual(bits(a));
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1e-7);
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
    const refusals: [(s: Session) => void, string][] = [
      [(s) => (s.optimizer.m = new Float32Array(3)), 'cannot write session: optimizer m has 3 values, expected 91'],
      [(s) => (s.epochsDone = 3), 'cannot write session: history has 2 epochs, epochsDone is 3'],
      [(s) => (s.params.flat[40] = NaN), 'cannot write session: parameter layer0/w_rec has the non-finite value NaN at index 5'],
      [(s) => (s.optimizer.v[90] = -Infinity), 'cannot write session: optimizer v readout/beta has the non-finite value -Infinity at index 2'],
      [(s) => (layerTensors(s.params, 0).beta[2] = 1), 'cannot write session: decay layer0/beta[2] is 1; a decay must lie strictly between 0 and 1 to have a time constant'],
      [(s) => (s.config = { ...s.config, layers: [{ size: 6, recurrent: true, dropout: 0 }] }), 'cannot write session: the parameters are for a network lif 7-5r-3, the config gives lif 7-6r-3'],
      [(s) => (s.config = { ...s.config, optimizer: 'adamax' }), 'cannot write session: optimizer is "adam" but config.optimizer is "adamax"'],
      [(s) => s.meta.classNames.pop(), 'cannot write session: 2 class names for 3 classes'],
    ];
    for (const [spoil, message] of refusals) {
      const bad = sampleSession({ epochs: 2 });
      spoil(bad);
      await expect(writeSession(path, bad)).rejects.toThrow(message);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeSession(join(dir, 'no-such-dir', 's.h5'), sampleSession())).rejects.toThrow(/cannot write session .*s\.h5: folder .*no-such-dir does not exist/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

/** The attribute kind of each /weights/layer{l} group, read straight with h5wasm (null where absent). */
async function layerKindAttrs(path: string): Promise<(unknown | null)[]> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'r');
  try {
    const kinds: (unknown | null)[] = [];
    for (let l = 0; f.get(`weights/layer${l}`) !== null; l++) kinds.push((f.get(`weights/layer${l}`) as InstanceType<typeof h5wasm.Group>).attrs.kind?.json_value ?? null);
    return kinds;
  } finally {
    f.close();
  }
}

describe('the layer kind: an attribute now, told by the datasets in files before it', () => {
  for (const [name, opts, kinds] of [['2-layer adlif', ADLIF2, ['adlif', 'adlif']], ['1-layer lif', LIF1, ['lif']]] as const) {
    it(`${name}: every hidden layer group carries kind, and the same file without it reads the same`, async () => {
      const s = sampleSession(opts);
      const path = join(dir, `kind-${s.config.neuron}.h5`);
      await writeSession(path, s);
      expect(await layerKindAttrs(path)).toEqual(kinds);
      const untagged = join(dir, `kind-${s.config.neuron}-untagged.h5`);
      await rewriteH5(path, untagged, { drop: kinds.map((_, l) => `/weights/layer${l}@kind`) });
      expect(await layerKindAttrs(untagged)).toEqual(kinds.map(() => null));
      expectSameSession(await readSession(untagged), s);
    });
  }

  it('the committed format-2 session, written without the attribute, still loads as two adlif layers', async () => {
    expect(await layerKindAttrs(FIXTURE_V2_UNTAGGED)).toEqual([null, null]);
    const s = await readSession(FIXTURE_V2_UNTAGGED);
    expect(s.config.neuron).toBe('adlif');
    expect(s.params.shape.layers.map((ls) => ls.kind)).toEqual(['adlif', 'adlif']);
    const raw = await h5Values(FIXTURE_V2_UNTAGGED, ['weights/layer1/a', 'weights/layer1/b']);
    expect(bits(layerTensors(s.params, 1).a!)).toEqual(bits(raw['weights/layer1/a']));
    expect(bits(layerTensors(s.params, 1).b!)).toEqual(bits(raw['weights/layer1/b']));
    // Saved again (as a resume does), it gains the attribute and nothing else changes.
    const p = join(dir, 'adlif2-tagged.h5');
    await writeSession(p, s);
    expect(await layerKindAttrs(p)).toEqual(['adlif', 'adlif']);
    expectSameSession(await readSession(p), s);
  });
});

describe('format 1 sessions are still read', () => {
  it('the committed agreement session becomes one recurrent LIF layer with its weights, moments and decays', async () => {
    const s = await readSession(FIXTURE_V1);
    expect(s.config.neuron).toBe('lif');
    expect(s.config.layers).toEqual([{ size: 16, recurrent: true, dropout: 0 }]);
    expect(s.config.tauSynS).toEqual({ lo: 0.005, hi: 0.005 });
    expect([s.config.readoutTauSynS, s.config.readoutTauMemS, s.config.pool]).toEqual([0.005, 0.01, 1]);
    expect(s.params.shape).toEqual({ channels: 40, pool: 1, layers: [{ kind: 'lif', inputs: 40, size: 16, recurrent: true }], classes: 4 });
    expect(s.params.layout.map((e) => `${e.name} [${e.shape.join(',')}]`)).toEqual([
      'layer0/w_in [40,16]',
      'layer0/w_rec [16,16]',
      'layer0/alpha [16]',
      'layer0/beta [16]',
      'readout/w [16,4]',
      'readout/alpha [4]',
      'readout/beta [4]',
    ]);
    const raw = await h5Values(FIXTURE_V1, ['weights/w1', 'weights/v1', 'weights/w2', 'optimizer/m/w1', 'optimizer/v/v1', 'optimizer/v/w2']);
    const t = layerTensors(s.params, 0);
    const ro = readoutTensors(s.params);
    expect(bits(t.wIn)).toEqual(bits(raw['weights/w1']));
    expect(t.wIn[0]).toBe(raw['weights/w1'][0]);
    expect(t.wIn[39 * 16 + 15]).toBe(raw['weights/w1'][639]);
    expect(bits(t.wRec!)).toEqual(bits(raw['weights/v1']));
    expect(bits(ro.w)).toEqual(bits(raw['weights/w2']));
    const decay = (tau: number) => Math.fround(Math.exp(-0.001 / tau));
    expect(Array.from(t.alpha)).toEqual(Array(16).fill(decay(0.005)));
    expect(Array.from(t.beta)).toEqual(Array(16).fill(decay(0.01)));
    expect(Array.from(ro.alpha)).toEqual(Array(4).fill(decay(0.005)));
    expect(Array.from(ro.beta)).toEqual(Array(4).fill(decay(0.01)));
    expect(bits(layerTensors(s.params, 0, s.optimizer.m).wIn)).toEqual(bits(raw['optimizer/m/w1']));
    expect(bits(layerTensors(s.params, 0, s.optimizer.v).wRec!)).toEqual(bits(raw['optimizer/v/v1']));
    expect(bits(readoutTensors(s.params, s.optimizer.v).w)).toEqual(bits(raw['optimizer/v/w2']));
    for (const name of ['layer0/alpha', 'layer0/beta', 'readout/alpha', 'readout/beta']) {
      expect(Array.from(tensor(s.params, s.optimizer.m, name))).toEqual(Array(tensor(s.params, s.optimizer.m, name).length).fill(0));
    }
    expect([s.optimizer.name, s.optimizer.step, s.epochsDone, s.history.length]).toEqual(['adam', 30, 6, 6]);
    expect(s.meta.classNames).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3']);
  });

  it('a non-recurrent format-1 session has no w_rec (v1 is not used)', async () => {
    const p = join(dir, 'v1-ff.h5');
    const config = JSON.parse(readConfigAttr(FIXTURE_V1)) as Record<string, unknown>;
    await rewriteH5(FIXTURE_V1, p, { attrs: { '/@config': JSON.stringify({ ...config, recurrent: false }) }, drop: ['/weights/v1'] });
    const s = await readSession(p);
    expect(s.params.shape.layers).toEqual([{ kind: 'lif', inputs: 40, size: 16, recurrent: false }]);
    expect(s.params.layout.map((e) => e.name)).toEqual(['layer0/w_in', 'layer0/alpha', 'layer0/beta', 'readout/w', 'readout/alpha', 'readout/beta']);
  });

  it('is written back as format 2 and reads back the same', async () => {
    const s = await readSession(FIXTURE_V1);
    const p = join(dir, 'v1-to-v2.h5');
    await writeSession(p, s);
    expectSameSession(await readSession(p), s);
  });

  it('a format-1 session without /weights/w1 is refused naming it', async () => {
    const p = join(dir, 'v1-no-w1.h5');
    await rewriteH5(FIXTURE_V1, p, { drop: ['/weights/w1'] });
    await expect(readSession(p)).rejects.toThrow(`session file ${p}: missing dataset /weights/w1`);
  });
});

function readConfigAttr(path: string): string {
  const f = new h5wasm.File(path, 'r');
  try {
    return f.attrs.config.json_value as string;
  } finally {
    f.close();
  }
}

describe('h5py reads what we write', () => {
  const missing = pythonMissing(['numpy', 'h5py']);
  it.skipIf(missing !== null)('a 2-layer adlif session: float32 datasets of the documented shapes, config and channels, moments per tensor', async () => {
    const s = sampleSession(ADLIF2);
    const path = join(dir, 'h5py.h5');
    await writeSession(path, s);
    const script = `
import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
names = []
f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) and not n.startswith(("history", "optimizer", "selected")) else None)
print(json.dumps({
  "datasets": {n: [str(f[n].dtype), list(f[n].shape)] for n in sorted(names)},
  "w_in_row1": [float(x) for x in f["weights/layer0/w_in"][1]],
  "readout_last": float(f["weights/readout/w"][3, 3]),
  "b1": [float(x) for x in f["weights/layer1/b"][()]],
  "kinds": [(lambda k: k.decode() if isinstance(k, bytes) else str(k))(f["weights/layer%d" % l].attrs["kind"]) for l in (0, 1)],
  "channels": int(f.attrs["channels"]),
  "format_version": int(f.attrs["format_version"]),
  "config": json.loads(f.attrs["config"]),
  "test_acc": [float(x) for x in f["history/test_acc"][()]],
  "class_names": [x.decode() if isinstance(x, bytes) else str(x) for x in f["meta"].attrs["class_names"]],
  "m_shapes": {k: list(f["optimizer/m/" + k].shape) for k in ("layer0/w_in", "layer0/w_rec", "layer1/a", "readout/w", "readout/beta")},
  "optimizer": [f["optimizer"].attrs["name"], float(f["optimizer"].attrs["step"])],
  "selected": [int(f["selected"].attrs["epoch"]), list(f["selected/layer0/w_in"].shape)],
  "history_keys": sorted(f["history"].keys()),
  "val_acc": [None if x != x else float(x) for x in f["history/val_acc"][()]],
  "schedule": json.loads(f.attrs["schedule"]),
  "validation": json.loads(f.attrs["validation"]),
}))`;
    const out = runPythonJson(['-c', script, path]) as Record<string, unknown>;
    const f32 = (shape: number[]) => ['float32', shape];
    expect(out.datasets).toEqual({
      'decays/layer0/alpha': f32([6]),
      'decays/layer0/beta': f32([6]),
      'decays/layer1/alpha': f32([4]),
      'decays/layer1/beta': f32([4]),
      'decays/readout/alpha': f32([4]),
      'decays/readout/beta': f32([4]),
      'weights/layer0/a': f32([6]),
      'weights/layer0/b': f32([6]),
      'weights/layer0/tau_adapt': f32([6]),
      'weights/layer0/tau_mem': f32([6]),
      'weights/layer0/w_in': f32([5, 6]),
      'weights/layer0/w_rec': f32([6, 6]),
      'weights/layer1/a': f32([4]),
      'weights/layer1/b': f32([4]),
      'weights/layer1/tau_adapt': f32([4]),
      'weights/layer1/tau_mem': f32([4]),
      'weights/layer1/w_in': f32([6, 4]),
      'weights/readout/tau_mem': f32([4]),
      'weights/readout/tau_syn': f32([4]),
      'weights/readout/w': f32([4, 4]),
    });
    const l0 = layerTensors(s.params, 0);
    expect(out.w_in_row1).toEqual(Array.from(l0.wIn.subarray(6, 12)));
    expect(out.readout_last).toBe(readoutTensors(s.params).w[15]);
    expect(out.b1).toEqual(Array.from(layerTensors(s.params, 1).b!));
    expect(out.kinds).toEqual(['adlif', 'adlif']);
    expect(out.channels).toBe(9);
    expect(out.format_version).toBe(2);
    expect(out.config).toEqual(s.config);
    expect(out.test_acc).toEqual(s.history.map((h) => h.test_acc));
    expect(out.class_names).toEqual(s.meta.classNames);
    expect(out.m_shapes).toEqual({ 'layer0/w_in': [5, 6], 'layer0/w_rec': [6, 6], 'layer1/a': [4], 'readout/w': [4, 4], 'readout/beta': [4] });
    expect(out.optimizer).toEqual(['adamax', 51]);
    // The training protocol: the selected epoch's weights, val columns (NaN without validation), schedule, split.
    expect(out.selected).toEqual([1, [5, 6]]);
    expect(out.history_keys).toEqual(['epoch', 'eval_s', 'lr', 'test_acc', 'test_loss', 'train_acc', 'train_loss', 'train_s', 'val_acc', 'val_loss']);
    expect(out.val_acc).toEqual(s.history.map((h) => h.val_acc));
    expect(s.history[0].val_acc).toBeNull();
    expect(out.schedule).toEqual(s.schedule);
    expect(out.validation).toEqual(s.validation);
  });
});

describe("the reference's read_session accepts what we write", () => {
  const missing = referenceMissing();
  // read_session is the loader of snn_reference.py --eval-session; called directly, it needs no test data.
  const script = `
import json, sys
sys.path.insert(0, sys.argv[1])
import snn_reference as R
fmt, net = R.read_session(sys.argv[2], float(sys.argv[3]))
print(json.dumps({
  "format": fmt,
  "layers": [{"kind": L["kind"], "w_in": list(L["w_in"].shape), "w_rec": None if L["w_rec"] is None else list(L["w_rec"].shape),
              "alpha": L["alpha"].tolist(), "beta": L["beta"].tolist(), "a": L["a"].tolist() if "a" in L else None} for L in net.layers],
  "readout": {"w": list(net.readout["w"].shape), "alpha": net.readout["alpha"].tolist(), "beta": net.readout["beta"].tolist()},
}))`;
  type Out = {
    format: number;
    layers: { kind: string; w_in: number[]; w_rec: number[] | null; alpha: number[]; beta: number[]; a: number[] | null }[];
    readout: { w: number[]; alpha: number[]; beta: number[] };
  };
  const close = (got: number[], want: Float32Array) => {
    expect(got.length).toBe(want.length);
    got.forEach((x, i) => expect(Math.abs(x - want[i])).toBeLessThan(3e-7));
  };

  for (const [name, opts] of [['2-layer adlif', ADLIF2], ['1-layer lif', LIF1]] as const) {
    it.skipIf(missing !== null)(`${name}: the layer kinds, shapes and (from τ) the decays`, async () => {
      const s = sampleSession(opts);
      const path = join(dir, `reference-${s.config.neuron}.h5`);
      await writeSession(path, s);
      const out = runPythonJson(['-c', script, dirname(REFERENCE), path, String(s.config.dtS)]) as Out;
      expect(out.format).toBe(2);
      expect(out.layers.map((L) => [L.kind, L.w_in, L.w_rec])).toEqual(s.params.shape.layers.map((ls) => [ls.kind, [ls.inputs, ls.size], ls.recurrent ? [ls.size, ls.size] : null]));
      s.params.shape.layers.forEach((_, l) => {
        const t = layerTensors(s.params, l);
        close(out.layers[l].alpha, t.alpha);
        close(out.layers[l].beta, t.beta);
        expect(out.layers[l].a).toEqual(t.a ? Array.from(t.a) : null);
      });
      const ro = readoutTensors(s.params);
      expect(out.readout.w).toEqual([s.params.shape.layers[s.params.shape.layers.length - 1].size, s.params.shape.classes]);
      close(out.readout.alpha, ro.alpha);
      close(out.readout.beta, ro.beta);
    });
  }
});

describe('broken session files are refused, naming file and dataset', () => {
  const good = join(dir, 'good.h5');
  const broken = (name: string) => join(dir, `broken-${name}.h5`);
  // Layer 0: adlif 5, recurrent; layer 1: adlif 4, feed-forward; 7 channels, 3 classes.
  const base = () => sampleSession({ neuron: 'adlif', layers: [[5, true], [4, false]], channels: 7, classes: 3, epochs: 2 });
  const prepare = async () => writeSession(good, base());
  const withNaN = (n: number, at: number, x: number) => {
    const a = new Float32Array(n).fill(0.1);
    a[at] = x;
    return a;
  };

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

  interface Case {
    name: string;
    edit?: Rewrite;
    /** Replaces the root config attribute with this change of the good file's config. */
    config?: (c: TrainConfig) => unknown;
    message: string;
  }
  const layers2 = (l0: Partial<TrainConfig['layers'][0]>, l1: Partial<TrainConfig['layers'][0]> = {}) => (c: TrainConfig) => ({
    ...c,
    layers: [{ ...c.layers[0], ...l0 }, { ...c.layers[1], ...l1 }],
  });
  const cases: Case[] = [
    { name: 'no-w_in', edit: { drop: ['/weights/layer0/w_in'] }, message: 'missing dataset /weights/layer0/w_in' },
    { name: 'no-b', edit: { drop: ['/weights/layer1/b'] }, message: 'missing dataset /weights/layer1/b' },
    { name: 'no-tau', edit: { drop: ['/weights/layer0/tau_adapt'] }, message: 'missing dataset /weights/layer0/tau_adapt' },
    { name: 'no-readout-tau', edit: { drop: ['/weights/readout/tau_syn'] }, message: 'missing dataset /weights/readout/tau_syn' },
    { name: 'no-decay', edit: { drop: ['/decays/layer1/beta'] }, message: 'missing dataset /decays/layer1/beta' },
    { name: 'no-moment', edit: { drop: ['/optimizer/v/layer0/a'] }, message: 'missing dataset /optimizer/v/layer0/a' },
    { name: 'no-readout', edit: { drop: ['/weights/readout'] }, message: 'missing dataset /weights/readout/w' },
    { name: 'no-layer1', edit: { drop: ['/weights/layer1'] }, message: '/weights has 1 hidden layer group (layer0…), config.layers has 2' },
    { name: 'no-channels', edit: { drop: ['/@channels'] }, message: 'missing attribute channels on /' },
    { name: 'channels', edit: { attrs: { '/@channels': 8 } }, message: 'dataset /weights/layer0/w_in has shape [7, 5], expected [8, 5]' },
    { name: 'pool', config: (c) => ({ ...c, pool: 2 }), message: 'dataset /weights/layer0/w_in has shape [7, 5], expected [4, 5]' },
    { name: 'w_rec-shape', edit: { datasets: { '/weights/layer0/w_rec': { data: new Float32Array(20), shape: [5, 4] } } }, message: 'dataset /weights/layer0/w_rec has shape [5, 4], expected [5, 5]' },
    { name: 'tau-shape', edit: { datasets: { '/weights/layer1/tau_mem': { data: new Float32Array(5).fill(0.01), shape: [5] } } }, message: 'dataset /weights/layer1/tau_mem has shape [5], expected [4]' },
    { name: 'readout-1d', edit: { datasets: { '/weights/readout/w': { data: new Float32Array(12), shape: [12] } } }, message: 'dataset /weights/readout/w has shape [12], expected 2 non-empty dimensions' },
    { name: 'readout-rows', edit: { datasets: { '/weights/readout/w': { data: new Float32Array(15), shape: [5, 3] } } }, message: 'dataset /weights/readout/w has 5 rows, the last hidden layer has 4 neurons' },
    { name: 'moment-shape', edit: { datasets: { '/optimizer/m/layer1/w_in': { data: new Float32Array(20), shape: [4, 5] } } }, message: 'dataset /optimizer/m/layer1/w_in has shape [4, 5], expected [5, 4]' },
    { name: 'int-weights', edit: { datasets: { '/weights/layer1/a': { data: new Int32Array(4), shape: [4] } } }, message: 'dataset /weights/layer1/a has type <i, expected float' },
    { name: 'nan-weight', edit: { datasets: { '/weights/layer0/w_in': { data: withNaN(35, 3, NaN), shape: [7, 5] } } }, message: 'dataset /weights/layer0/w_in has the non-finite value NaN at index 3' },
    { name: 'inf-moment', edit: { datasets: { '/optimizer/m/readout/w': { data: withNaN(12, 11, Infinity), shape: [4, 3] } } }, message: 'dataset /optimizer/m/readout/w has the non-finite value Infinity at index 11' },
    { name: 'nan-decay', edit: { datasets: { '/decays/readout/alpha': { data: withNaN(3, 0, NaN), shape: [3] } } }, message: 'dataset /decays/readout/alpha has the non-finite value NaN at index 0' },
    { name: 'negative-tau', edit: { datasets: { '/weights/layer0/tau_mem': { data: withNaN(5, 2, -0.5), shape: [5] } } }, message: 'dataset /weights/layer0/tau_mem has -0.5 at index 2, expected a time constant > 0 s' },
    {
      name: 'tau-edited',
      edit: { datasets: { '/weights/layer0/tau_mem': { data: new Float32Array(5).fill(0.1), shape: [5] } } },
      message: `dataset /weights/layer0/tau_mem[0] = ${Math.fround(0.1)} s gives the decay ${Math.fround(Math.exp(-1e-3 / Math.fround(0.1)))}, but /decays/layer0/alpha[0] is ${layerTensors(base().params, 0).alpha[0]} (τ edited by another tool? remove /decays to use the τ)`,
    },
    { name: 'kind-lif', config: (c) => ({ ...c, neuron: 'lif' }), message: '/weights/layer0 holds an adlif layer (attribute kind) but config.neuron is "lif"' },
    { name: 'kind-unknown', edit: { attrs: { '/weights/layer1@kind': 'izh' } }, message: 'attribute kind on /weights/layer1 is "izh", expected one of lif, adlif, brf, csilif, custom' },
    { name: 'kind-number', edit: { attrs: { '/weights/layer0@kind': 2 } }, message: 'attribute kind on /weights/layer0 is 2, expected one of lif, adlif, brf, csilif, custom' },
    { name: 'kind-vs-datasets', edit: { attrs: { '/weights/layer1@kind': 'lif' } }, message: 'attribute kind on /weights/layer1 is "lif" but its datasets are those of an adlif layer (dataset a present), as the reference reads them' },
    { name: 'kind-no-a', edit: { drop: ['/weights/layer0/a'] }, message: 'attribute kind on /weights/layer0 is "adlif" but its datasets are those of a lif layer (no dataset omega or a), as the reference reads them' },
    // Files from before the attribute: the kind told by the datasets, as before.
    { name: 'kind-lif-untagged', edit: { drop: ['/weights/layer0@kind', '/weights/layer1@kind'] }, config: (c) => ({ ...c, neuron: 'lif' }), message: '/weights/layer0 holds an adlif layer (dataset a present) but config.neuron is "lif"' },
    { name: 'kind-adlif-untagged', edit: { drop: ['/weights/layer0/a', '/weights/layer0@kind'] }, message: '/weights/layer0 holds a lif layer (no dataset omega or a) but config.neuron is "adlif"' },
    { name: 'three-layers', config: (c) => ({ ...c, layers: [...c.layers, { size: 3, recurrent: false, dropout: 0 }] }), message: '/weights has 2 hidden layer groups (layer0…), config.layers has 3' },
    { name: 'rec-missing', config: layers2({}, { recurrent: true }), message: 'missing dataset /weights/layer1/w_rec (config.layers.1.recurrent is true)' },
    { name: 'rec-extra', config: layers2({ recurrent: false }), message: 'dataset /weights/layer0/w_rec is present but config.layers.0.recurrent is false' },
    { name: 'size', config: layers2({ size: 6 }), message: 'dataset /weights/layer0/w_in has shape [7, 5], expected [7, 6]' },
    { name: 'size-last', config: layers2({}, { size: 6 }), message: 'dataset /weights/readout/w has 4 rows, the last hidden layer has 6 neurons' },
    { name: 'config-json', edit: { attrs: { '/@config': '{"layers": [' } }, message: 'attribute config on / is not valid JSON (Unexpected end of JSON input)' },
    { name: 'config-value', config: (c) => ({ ...c, tauMemS: { lo: -1, hi: 0.01 } }), message: 'attribute config on / is invalid: tauMemS.lo must be a number > 0 and ≤ 10 (got -1)' },
    { name: 'config-v1-in-v2', config: (c) => ({ ...c, hidden: 5 }), message: 'attribute config on / is invalid: unknown option "hidden"' },
    { name: 'history-length', edit: { datasets: { '/history/test_acc': { data: new Float64Array(1), shape: [1] } } }, message: 'dataset /history/test_acc has shape [1], expected [2]' },
    { name: 'history-epoch', edit: { datasets: { '/history/epoch': { data: new Int32Array([1, 3]), shape: [2] } } }, message: 'dataset /history/epoch has 3 at index 1, expected 2' },
    { name: 'classes', edit: { attrs: { '/meta@class_names': ['a', 'b'] } }, message: 'attribute class_names on /meta has 2 names, /weights/readout/w has 3 classes' },
    { name: 'speaker-names', edit: { attrs: { '/meta@speaker_names': 7 } }, message: 'attribute speaker_names on /meta must be an array of strings' },
    { name: 'optimizer', edit: { attrs: { '/optimizer@name': 'sgd' } }, message: 'attribute name on /optimizer is "sgd", expected one of adam, adamax' },
    { name: 'step', edit: { attrs: { '/optimizer@step': 2.5 } }, message: 'attribute step on /optimizer must be an integer ≥ 0 (got 2.5)' },
    { name: 'no-meta', edit: { drop: ['/meta'] }, message: 'missing group /meta' },
    { name: 'newer', edit: { attrs: { '/@format_version': 3 } }, message: 'format_version 3 is newer than this app reads (2); update the app' },
    { name: 'version-0', edit: { attrs: { '/@format_version': 0 } }, message: 'attribute format_version on / must be an integer ≥ 1 (got 0)' },
    { name: 'schedule-json', edit: { attrs: { '/@schedule': '{"baseLr":' } }, message: 'attribute schedule on / is not valid JSON (Unexpected end of JSON input)' },
    { name: 'schedule-value', edit: { attrs: { '/@schedule': JSON.stringify({ baseLr: 0.001, epochsDone: 2, currentLr: -1, bestMetric: null, badEpochs: 0, reductions: 0 }) } }, message: 'attribute schedule on / is invalid: currentLr must be a finite number > 0 (got -1)' },
    { name: 'split-value', edit: { attrs: { '/@validation': JSON.stringify({ kind: 'random', trainSamples: 36, validationSamples: 4, seed: 0 }) } }, message: 'attribute validation on / is invalid: kind must be one of stratified-by-class, by-speaker, file, none (got "random")' },
    { name: 'selected-epoch', edit: { attrs: { '/selected@epoch': 3 } }, message: 'attribute epoch on /selected is 3, but the session has 2 epochs' },
    { name: 'selected-tensor', edit: { drop: ['/selected/layer1/b'] }, message: 'missing dataset /selected/layer1/b' },
    { name: 'lr-column', edit: { datasets: { '/history/lr': { data: new Float64Array([0.001, 0]), shape: [2] } } }, message: 'dataset /history/lr has 0 at index 1, expected a learning rate > 0' },
    { name: 'version-1', edit: { attrs: { '/@format_version': 1 } }, message: 'format_version 1 holds one LIF layer without pooling, but attribute config on / has 2 adlif layer(s) with pool 1' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await prepare();
      const p = broken(c.name);
      const edit: Rewrite = { ...c.edit, attrs: { ...c.edit?.attrs } };
      if (c.config) edit.attrs!['/@config'] = JSON.stringify(c.config(base().config));
      await rewriteH5(good, p, edit);
      const err = await readSession(p).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toBe(`session file ${p}: ${c.message}`);
    });
  }

  it('the unmodified copy of the good file still reads (the rewrite helper itself is faithful)', async () => {
    await prepare();
    const p = broken('none');
    await rewriteH5(good, p, {});
    expect(await readSession(p)).toEqual(await readSession(good));
  });
});
