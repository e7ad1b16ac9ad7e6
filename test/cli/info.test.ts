import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { infoCommand } from '../../src/cli/commands/info';
import { emptyManifest, writeManifest } from '../../src/services/data/download/manifest';
import { CLI_BUNDLE } from '../nodeBundle';

const dir = 'test/fixtures/shd/';
const expected = JSON.parse(readFileSync(`${dir}fixtures.json`, 'utf8')) as Record<
  string,
  { samples: number; classes: string[]; channels: number; spikes_total: number; spikes_max: number; max_time: number; label_counts: number[] }
>;

/** Runs the command in-process and returns what it wrote to stdout. */
async function runInfo(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await infoCommand.run(argv);
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('info command', () => {
  for (const name of ['f16_fixed_keys.h5', 'f32_vlen_keys.h5', 'f16_big_endian.h5']) {
    it(`--json for ${name} has the agreed keys and the numbers h5py wrote`, async () => {
      const { code, out } = await runInfo([dir + name, '--json']);
      expect(code).toBe(0);
      const j = JSON.parse(out);
      const e = expected[name];
      expect(j).toMatchObject({
        samples: e.samples,
        classes: e.classes,
        channels: e.channels,
        spikes_total: e.spikes_total,
        spikes_max: e.spikes_max,
        max_time: e.max_time,
        label_counts: e.label_counts,
      });
      expect(j.spikes_mean).toBeCloseTo(e.spikes_total / e.samples, 12);
      expect(out.trim().split('\n').length).toBe(1);
    });
  }

  it('human output lists sizes, speakers and the class histogram', async () => {
    const { out } = await runInfo([`${dir}f16_fixed_keys.h5`]);
    expect(out).toMatch(/^samples\s+24$/m);
    expect(out).toMatch(/^channels\s+700$/m);
    expect(out).toMatch(/^classes\s+20$/m);
    expect(out).toMatch(/^spikes\s+969 total; per sample 40\.4 mean, 21 min, 58 max$/m);
    expect(out).toMatch(/^speakers\s+5: 0 \(\d+\)/m);
    expect(out).toMatch(/^\s+0\s+english-zero\s+2$/m);
    expect(out).toMatch(/^\s+19\s+german-neun\s+1$/m);
  });

  it('--channels overrides the channel count', async () => {
    const { out } = await runInfo([`${dir}f32_vlen_keys.h5`, '--json', '--channels', '700']);
    expect(JSON.parse(out).channels).toBe(700);
    await expect(runInfo([`${dir}f32_vlen_keys.h5`, '--channels', '12.5'])).rejects.toThrow(/--channels must be an integer/);
    await expect(runInfo([`${dir}f32_vlen_keys.h5`, '--channels', 'x'])).rejects.toThrow(/--channels must be a number/);
  });

  it('refuses every broken fixture with its own message', async () => {
    const broken = ['bad_missing_units', 'bad_sample_count', 'bad_length_mismatch', 'bad_label_count', 'bad_negative_unit', 'bad_negative_time', 'bad_nan_time', 'bad_inf_time', 'bad_label_range', 'bad_not_hdf5', 'bad_truncated'];
    const messages: string[] = [];
    for (const b of broken) {
      const err = await runInfo([`${dir}${b}.h5`]).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, b).toBeInstanceOf(Error);
      expect(err!.message.startsWith(`${dir}${b}.h5: `)).toBe(true);
      messages.push(err!.message.slice(dir.length + b.length + 3));
    }
    const unit = await runInfo([`${dir}bad_unit_range.h5`, '--channels', '700']).catch((e: Error) => e.message);
    expect(unit).toMatch(/sample 5: unit 700 at spike 2 ≥ channels 700/);
    expect(new Set(messages).size).toBe(broken.length);
  });

  it('describes the generated demo set by name, saying it is generated and how to use it', async () => {
    const { code, out } = await runInfo(['demo']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'dataset   demo, train split: the generated demo set, made in memory from seed 0 (not a file); use it as `train --dataset demo` or `evaluate --data demo`',
    );
    expect(lines.slice(1, 5)).toEqual(['file      demo', 'samples   800', 'channels  700', 'classes   20']);
    const test = JSON.parse((await runInfo(['demo', '--split', 'test', '--json'])).out);
    expect([test.samples, test.channels, test.classes.length]).toEqual([200, 700, 20]);
    await expect(runInfo(['demo', '--split', 'valid'])).rejects.toThrow('the demo set has no valid split (it has train and test)');
    await expect(runInfo(['demo', '--split', 'all'])).rejects.toThrow('--split must be train, test, valid (got "all")');
    await expect(runInfo(['demo', '--channels', '800'])).rejects.toThrow(/--channels is for files/);
    await expect(runInfo([`${dir}f16_fixed_keys.h5`, '--split', 'test'])).rejects.toThrow(/--split and --data-dir are for a dataset name \(demo, shd, ssc\); .*f16_fixed_keys\.h5 is a file/);
  });

  it('a missing file is named, with what info reads; a catalog set not downloaded says how to get it', async () => {
    await expect(runInfo(['nowhere.h5'])).rejects.toThrow('nowhere.h5: no such file (info reads an SHD-layout HDF5 file, or a dataset name: demo, shd, ssc)');
    const empty = mkdtempSync(join(tmpdir(), 'info-data-'));
    await expect(runInfo(['shd', '--data-dir', empty])).rejects.toThrow(/shd_train\.h5\) is not ready in .*info-data-.*data fetch shd/);
  });

  it('describes a split of a downloaded catalog set by name, from the data directory', async () => {
    const data = mkdtempSync(join(tmpdir(), 'info-shd-'));
    const manifest = emptyManifest();
    for (const split of ['train', 'test'] as const) {
      const name = `shd_${split}.h5`;
      copyFileSync(`${dir}f16_fixed_keys.h5`, join(data, name));
      manifest.files[name] = {
        dataset: 'shd', split, sizeBytes: statSync(join(data, name)).size, md5: '0'.repeat(32), gzMd5: '0'.repeat(32), gzSizeBytes: 1,
        source: 'test fixture', verifiedAt: new Date(0).toISOString(),
      };
    }
    await writeManifest(data, manifest);
    const { out } = await runInfo(['shd', '--split', 'test', '--data-dir', data]);
    expect(out.split('\n').slice(0, 3)).toEqual(['dataset   shd, test split', `file      ${join(data, 'shd_test.h5')}`, 'samples   24']);
  });

  it('wants exactly one file', async () => {
    await expect(runInfo([])).rejects.toThrow(/info takes one file/);
    await expect(runInfo(['a.h5', 'b.h5'])).rejects.toThrow(/info takes one file \(got 2\)/);
  });
});

describe('npm run cli -- info (real process)', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, [CLI_BUNDLE, 'info', ...args], { encoding: 'utf8' }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('prints JSON on stdout and exits 0; a broken file goes to stderr with exit 1 and nothing on stdout', async () => {
    const [ok, bad] = await Promise.all([cli([`${dir}f16_fixed_keys.h5`, '--json']), cli([`${dir}bad_truncated.h5`, '--json'])]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).samples).toBe(24);
    expect(ok.stderr).toBe('');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(`error: ${dir}bad_truncated.h5: truncated file: 6117 bytes on disk, but its HDF5 superblock records 9176\n`);
  });
});
