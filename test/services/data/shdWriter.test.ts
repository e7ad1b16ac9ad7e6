import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatToHalfBits, halfBitsToFloat } from '../../../src/services/data/float16';
import { lookup3 } from '../../../src/services/data/hdf5Write/checksum';
import { readSpikeFile, readSpikeIndex } from '../../../src/services/data/shdReader';
import { ShdFileWriter } from '../../../src/services/data/shdWriter';
import { missing } from '../../systemPackages';
import { PYTHON } from '../sessions/referencePython';

const PY = PYTHON;
const hasH5py = missing('h5py') === null;

/** A deterministic sample set: varied lengths (one empty), times in any order, units over all channels. */
function samples(n: number, channels: number) {
  return Array.from({ length: n }, (_, i) => {
    const len = i === 3 ? 0 : 1 + ((i * 7919) % 700);
    const times = Array.from({ length: len }, (_, k) => ((k * 104729 + i * 31) % 1000) / 997);
    const units = Array.from({ length: len }, (_, k) => (k * 13 + i * 5) % channels);
    return { times, units, label: i % 4, speaker: (i * 3) % 11 };
  });
}

describe('float16 encoding', () => {
  it('round-trips every half and rounds floats to the nearest half, ties to even', () => {
    for (let h = 0; h < 65536; h++) {
      const v = halfBitsToFloat(h);
      if (Number.isNaN(v)) expect(Number.isNaN(halfBitsToFloat(floatToHalfBits(v)))).toBe(true);
      else expect(floatToHalfBits(v)).toBe(h);
    }
    // Between neighbours: below the midpoint → lower, above → upper, at it → the even one.
    for (const h of [0x0001, 0x03ff, 0x0400, 0x3c00, 0x3c01, 0x7bfe]) {
      const lo = halfBitsToFloat(h);
      const hi = halfBitsToFloat(h + 1);
      const mid = (lo + hi) / 2;
      expect(floatToHalfBits(mid - (hi - lo) / 8)).toBe(h);
      expect(floatToHalfBits(mid + (hi - lo) / 8)).toBe(h + 1);
      expect(floatToHalfBits(mid)).toBe(h % 2 === 0 ? h : h + 1);
    }
    expect(floatToHalfBits(70000)).toBe(0x7c00);
    expect(floatToHalfBits(1e-9)).toBe(0);
  });
});

describe('lookup3', () => {
  it("matches the published test vectors of Jenkins' hashlittle", () => {
    const s = new TextEncoder().encode('Four score and seven years ago');
    expect(lookup3(s)).toBe(0x17770551);
    expect(lookup3(s, 1)).toBe(0xcd628161);
    expect(lookup3(new Uint8Array(0))).toBe(0xdeadbeef);
  });
});

describe('ShdFileWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shdwriter-'));
  const classNames = ['zero', 'one', 'two', 'drei'];

  function writeFile(name: string, n: number, channels = 700): string {
    const path = join(dir, name);
    const w = new ShdFileWriter(path, { classNames, channels, speakers: true });
    for (const s of samples(n, channels)) w.add(s);
    w.finish();
    return path;
  }

  it('writes a file our reader reads back exactly (times as float16), across many heap collections', async () => {
    const n = 600; // ≈ 420 k spikes: dozens of 64 KiB collections
    const path = writeFile('many.h5', n);
    const ds = await readSpikeFile(path);
    expect(ds.samples).toBe(n);
    expect(ds.channels).toBe(700);
    expect(ds.classNames).toEqual(classNames);
    const want = samples(n, 700);
    for (let i = 0; i < n; i++) {
      const a = ds.offsets[i];
      const b = ds.offsets[i + 1];
      expect(b - a).toBe(want[i].times.length);
      expect(ds.labels[i]).toBe(want[i].label);
      expect(ds.speakers?.[i]).toBe(want[i].speaker);
      for (let k = 0; k < b - a; k++) {
        expect(ds.times[a + k]).toBe(halfBitsToFloat(floatToHalfBits(want[i].times[k])));
        expect(ds.units[a + k]).toBe(want[i].units[k]);
      }
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it("reads the speaker names `encode` records in extra/encoder, and passes over a record that cannot name every id", async () => {
    const write = (name: string, encoder: string | undefined, speakers = [0, 2, 1]) => {
      const w = new ShdFileWriter(join(dir, name), { classNames, channels: 8, speakers: true, ...(encoder !== undefined && { extraText: { encoder } }) });
      speakers.forEach((speaker, i) => w.add({ times: [0.01 * i], units: [i], label: 0, speaker }));
      w.finish();
      return join(dir, name);
    };
    const named = await readSpikeFile(write('named.h5', JSON.stringify({ encoder: 'spiking-workbench cochlea', speakers: ['amy', 'bob', 'cat'] })));
    expect(named.speakerNames).toEqual(['amy', 'bob', 'cat']);
    expect(Array.from(named.speakers!)).toEqual([0, 2, 1]);
    expect((await readSpikeIndex(join(dir, 'named.h5'))).speakerNames).toEqual(['amy', 'bob', 'cat']);
    // Not names of every id, no names at all, or not JSON: the file reads as any SHD-layout file, without names.
    for (const [file, encoder] of [['short.h5', JSON.stringify({ speakers: ['amy', 'bob'] })], ['null.h5', JSON.stringify({ speakers: null })], ['junk.h5', '{"speakers": ['], ['none.h5', undefined]] as const) {
      const ds = await readSpikeFile(write(file, encoder));
      expect(ds.speakerNames, file).toBeUndefined();
      expect(ds.samples).toBe(3);
    }
  });

  it.skipIf(!hasH5py)('writes a file the HDF5 library (h5py) reads in SHD layout and dtypes', () => {
    const path = writeFile('h5py.h5', 50);
    const out = execFileSync(
      PY,
      [
        '-c',
        `import h5py, json, sys
f = h5py.File(sys.argv[1], 'r')
t, u = f['spikes/times'], f['spikes/units']
print(json.dumps({
  'times': str(h5py.check_vlen_dtype(t.dtype)), 'units': str(h5py.check_vlen_dtype(u.dtype)),
  'labels': str(f['labels'].dtype), 'keys': [k.decode() for k in f['extra/keys'][:]],
  'speaker': [int(s) for s in f['extra/speaker'][:5]], 'n': [len(x) for x in t[:5]],
  'first': [float(x) for x in t[0][:3]], 'units0': [int(x) for x in u[0][:3]]}))`,
        path,
      ],
      { encoding: 'utf8' },
    );
    const got = JSON.parse(out);
    const want = samples(50, 700);
    expect(got).toEqual({
      times: 'float16',
      units: 'uint16',
      labels: 'uint16',
      keys: classNames,
      speaker: want.slice(0, 5).map((s) => s.speaker),
      n: want.slice(0, 5).map((s) => s.times.length),
      first: want[0].times.slice(0, 3).map((t) => halfBitsToFloat(floatToHalfBits(t))),
      units0: want[0].units.slice(0, 3),
    });
  });

  it('refuses bad samples by file, sample and spike, and leaves nothing behind when abandoned', () => {
    const path = join(dir, 'bad.h5');
    const w = new ShdFileWriter(path, { classNames, channels: 10, speakers: false });
    w.add({ times: [0.1], units: [3], label: 0 });
    expect(() => w.add({ times: [0.1, NaN], units: [1, 2], label: 1 })).toThrow(/bad\.h5: sample 1: spike 1 time NaN/);
    expect(() => w.add({ times: [0.1], units: [10], label: 1 })).toThrow(/sample 1: spike 0 unit 10 is not a channel 0…9/);
    expect(() => w.add({ times: [0.1], units: [1], label: 4 })).toThrow(/sample 1: label 4 is not one of the 4 classes/);
    expect(() => w.add({ times: [0.1], units: [1, 2], label: 1 })).toThrow(/1 times but 2 units/);
    w.abort();
    expect(readdirSync(dir).filter((f) => f.startsWith('.bad.h5') || f === 'bad.h5')).toEqual([]);
    const empty = new ShdFileWriter(join(dir, 'empty.h5'), { classNames, channels: 10, speakers: false });
    expect(() => empty.finish()).toThrow(/no samples/);
    expect(readdirSync(dir).filter((f) => f.includes('empty.h5'))).toEqual([]);
  });
});
