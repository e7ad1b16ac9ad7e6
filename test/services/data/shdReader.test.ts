import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpikeFile, summarize, SpikeFileError } from '../../../src/services/data/shdReader';
import type { SpikeDataset } from '../../../src/services/data/spikeDataset';
import { constants as bufferConstants } from 'node:buffer';

const dir = 'test/fixtures/shd/';
interface Expected {
  samples: number;
  classes: string[];
  channels: number;
  spikes_total: number;
  spikes_max: number;
  spikes_min: number;
  max_time: number;
  label_counts: number[];
  first_times: number[];
  first_units: number[];
  spikes_per_sample: number[];
  times_sum: number;
  units_sum: number;
  labels: number[];
  speakers?: number[];
}
/** Written by make_shd_fixtures.py from the arrays it stored (h5py/numpy), not by the reader under test. */
const expected = JSON.parse(readFileSync(`${dir}fixtures.json`, 'utf8')) as Record<string, Expected>;

function checkAgainstPython(ds: SpikeDataset, e: Expected) {
  expect(ds.samples).toBe(e.samples);
  expect(ds.classNames).toEqual(e.classes);
  expect(ds.channels).toBe(e.channels);
  expect(ds.offsets.length).toBe(e.samples + 1);
  expect(ds.offsets[ds.samples]).toBe(e.spikes_total);
  expect(ds.times.length).toBe(e.spikes_total);
  expect(ds.units.length).toBe(e.spikes_total);
  expect(Array.from({ length: ds.samples }, (_, i) => ds.offsets[i + 1] - ds.offsets[i])).toEqual(e.spikes_per_sample);
  expect(Array.from(ds.times.subarray(0, 5))).toEqual(e.first_times);
  expect(Array.from(ds.units.subarray(0, 5))).toEqual(e.first_units);
  let tsum = 0;
  for (const t of ds.times) tsum += t;
  expect(tsum).toBeCloseTo(e.times_sum, 9);
  expect(ds.units.reduce((a, u) => a + u, 0)).toBe(e.units_sum);
  expect(Array.from(ds.labels)).toEqual(e.labels);
}

describe('readSpikeFile on h5py-written SHD-layout files', () => {
  it('float16 times, fixed-length keys, 20 classes, speakers and meta_info', async () => {
    const file = `${dir}f16_fixed_keys.h5`;
    const ds = await readSpikeFile(file);
    const e = expected['f16_fixed_keys.h5'];
    checkAgainstPython(ds, e);
    expect(ds.name).toBe(file);
    expect(ds.classNames.length).toBe(20);
    expect(ds.speakers?.length).toBe(24);
    expect([...new Set(ds.speakers)].sort((a, b) => a - b)).toEqual(e.speakers);
    expect(ds.times[0]).toBe(0);
    const s = summarize(ds);
    expect(s).toMatchObject({
      samples: 24,
      classes: e.classes,
      channels: 700,
      spikes_total: e.spikes_total,
      spikes_max: e.spikes_max,
      spikes_min: e.spikes_min,
      max_time: e.max_time,
      label_counts: e.label_counts,
      speakers: e.speakers,
    });
    expect(s.spikes_mean).toBeCloseTo(e.spikes_total / 24, 12);
  });

  it('float32 times (gzip), variable-length UTF-8 keys, 35 classes, int64 labels, no speakers', async () => {
    const ds = await readSpikeFile(`${dir}f32_vlen_keys.h5`);
    checkAgainstPython(ds, expected['f32_vlen_keys.h5']);
    expect(ds.classNames.length).toBe(35);
    expect(ds.classNames[3]).toBe('klasse-3-ü');
    expect(ds.speakers).toBeUndefined();
    expect(summarize(ds).speakers).toBeNull();
  });

  it('channels come from the data unless overridden (units here reach only 499)', async () => {
    expect((await readSpikeFile(`${dir}f32_vlen_keys.h5`)).channels).toBe(500);
    const ds = await readSpikeFile(`${dir}f32_vlen_keys.h5`, { channels: 700 });
    expect(ds.channels).toBe(700);
    await expect(readSpikeFile(`${dir}f32_vlen_keys.h5`, { channels: 499 })).rejects.toThrow(
      /f32_vlen_keys\.h5: dataset "spikes\/units", sample \d+: unit 499 at spike \d+ ≥ channels 499/,
    );
    await expect(readSpikeFile(`${dir}f32_vlen_keys.h5`, { channels: 0 })).rejects.toThrow(/channels must be an integer/);
  });

  it('big-endian float16 times, int16 units, uint8 labels, classes from the labels when extra/keys is absent', async () => {
    const ds = await readSpikeFile(`${dir}f16_big_endian.h5`);
    checkAgainstPython(ds, expected['f16_big_endian.h5']);
    expect(ds.classNames).toEqual(['0', '1', '2', '3']);
  });
});

describe('readSpikeFile refuses broken files, naming file, dataset and sample', () => {
  const cases: Array<[string, RegExp, { dataset?: string; sample?: number; channels?: number }]> = [
    ['bad_missing_units.h5', /dataset "spikes\/units": missing/, { dataset: 'spikes/units' }],
    ['bad_sample_count.h5', /dataset "spikes\/units": has 9 samples but spikes\/times has 10/, { dataset: 'spikes/units' }],
    ['bad_length_mismatch.h5', /dataset "spikes\/times", sample 3: \d+ spike times but \d+ units in spikes\/units/, { dataset: 'spikes/times', sample: 3 }],
    ['bad_label_count.h5', /dataset "labels": has 9 labels for 10 samples/, { dataset: 'labels' }],
    ['bad_unit_range.h5', /dataset "spikes\/units", sample 5: unit 700 at spike 2 ≥ channels 700/, { dataset: 'spikes/units', sample: 5, channels: 700 }],
    ['bad_negative_unit.h5', /dataset "spikes\/units", sample 6: negative unit -3 at spike 1/, { dataset: 'spikes/units', sample: 6 }],
    ['bad_negative_time.h5', /dataset "spikes\/times", sample 4: spike 2 has time -0.25 s \(negative\)/, { dataset: 'spikes/times', sample: 4 }],
    ['bad_nan_time.h5', /dataset "spikes\/times", sample 7: spike 0 has time NaN s \(not a number\)/, { dataset: 'spikes/times', sample: 7 }],
    ['bad_inf_time.h5', /dataset "spikes\/times", sample 8: spike 3 has time Infinity s \(not finite\)/, { dataset: 'spikes/times', sample: 8 }],
    ['bad_label_range.h5', /dataset "labels", sample 7: label 20 ≥ number of classes 20/, { dataset: 'labels', sample: 7 }],
    ['bad_not_hdf5.h5', /: not an HDF5 file \(no HDF5 signature found\)$/, {}],
    ['bad_truncated.h5', /: truncated file: 6117 bytes on disk, but its HDF5 superblock records 9176$/, {}],
  ];
  for (const [name, message, where] of cases) {
    it(name, async () => {
      const file = dir + name;
      const err = await readSpikeFile(file, where.channels ? { channels: where.channels } : {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SpikeFileError);
      const e = err as SpikeFileError;
      expect(e.message.startsWith(`${file}: `)).toBe(true);
      expect(e.message).toMatch(message);
      expect(e.file).toBe(file);
      expect(e.dataset).toBe(where.dataset);
      expect(e.sample).toBe(where.sample);
    });
  }

  it('every broken fixture has its own message', async () => {
    const messages = await Promise.all(
      cases.map(([name, , w]) => readSpikeFile(dir + name, w.channels ? { channels: w.channels } : {}).catch((e: Error) => e.message.replace(dir + name, ''))),
    );
    expect(new Set(messages).size).toBe(cases.length);
  });

  it('reads the unit-range file when no channel count is imposed (channels = max unit + 1)', async () => {
    expect((await readSpikeFile(`${dir}bad_unit_range.h5`)).channels).toBe(701);
  });

  it('names a missing file and a directory', async () => {
    await expect(readSpikeFile(`${dir}no_such_file.h5`)).rejects.toThrow(/no_such_file\.h5: no such file/);
    await expect(readSpikeFile(dir)).rejects.toThrow(/not a regular file/);
  });

  it('keeps working after refusals (the wasm module is not left broken)', async () => {
    for (const [name] of cases) await readSpikeFile(dir + name).catch(() => undefined);
    expect((await readSpikeFile(`${dir}f16_fixed_keys.h5`)).samples).toBe(24);
  });
});

describe('size limits', () => {
  it('refuses, before allocating, spikes past the array limit or half the memory, naming file, sizes and the way out', async () => {
    const { checkFitsInMemory } = await import('../../../src/services/data/shdReader');
    expect(() => checkFitsInMemory('ssc_train.h5', 75466, 603_821_226, 6e9)).toThrow(
      /^ssc_train\.h5: dataset "spikes\/times": 603821226 spikes need 3\.6 GB in memory \(7\.2 GB with their bins\), over half of this machine's 6\.0 GB; train from its bin cache instead \(--bin-cache on; the default for files over 1 GB\), or use fewer samples$/,
    );
    // The array limit is the runtime's (Node 20: 2^30 float32; Node 22 and later allow far more).
    const limit = Math.floor(bufferConstants.MAX_LENGTH / 4);
    expect(() => checkFitsInMemory('huge.h5', 10, limit + 1, Infinity)).toThrow(new RegExp(`huge\\.h5: .*10 samples with ${limit + 1} spikes exceed the ${limit} elements an array can hold`));
    expect(() => checkFitsInMemory('ssc_train.h5', 75466, 603_821_226, 24e9)).not.toThrow();
  });
});
