/** The driver probes that keep Dawn's native output off the terminal (dawnProbe.ts): what they read and choose. */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseDriver, driverManifests, ensureXdgRuntimeDir, type DriverProbe } from '../../../../src/services/engine/webgpu/dawnProbe';
import type { RawAdapterInfo } from '../../../../src/services/engine/webgpu/gpuAdapterReport';

const dir = mkdtempSync(join(tmpdir(), 'sw-dawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const adapter = (description: string, isFallbackAdapter: boolean): RawAdapterInfo => ({ vendor: 'v', architecture: '', device: '', description, isFallbackAdapter, limits: {} });
const probe = (manifest: string, a: RawAdapterInfo | null, output = ''): DriverProbe => ({ manifest, adapter: a, output, failure: null });

describe('dawnProbe', () => {
  it('lists the manifests the loader would read: the named ones, else the ICD folders plus VK_ADD_DRIVER_FILES', () => {
    const icd = join(dir, 'share', 'vulkan', 'icd.d');
    mkdirSync(icd, { recursive: true });
    for (const f of ['b_icd.json', 'a_icd.json', 'notes.txt']) writeFileSync(join(icd, f), '{}');
    const extra = join(dir, 'extra.json');
    writeFileSync(extra, '{}');
    const base = { HOME: join(dir, 'home'), XDG_DATA_DIRS: join(dir, 'share') };
    expect(driverManifests(base).filter((f) => f.startsWith(dir))).toEqual([join(icd, 'a_icd.json'), join(icd, 'b_icd.json')]);
    expect(driverManifests({ ...base, VK_ADD_DRIVER_FILES: extra }).filter((f) => f.startsWith(dir))).toEqual([extra, join(icd, 'a_icd.json'), join(icd, 'b_icd.json')]);
    // A user who names drivers gets those that exist, nothing else.
    expect(driverManifests({ ...base, VK_DRIVER_FILES: `${extra}:${join(dir, 'gone.json')}` })).toEqual([extra]);
    expect(driverManifests({ ...base, VK_ICD_FILENAMES: extra })).toEqual([extra]);
  });

  it('chooses a GPU over a CPU emulation, a quiet driver over a noisy one, and none when no driver gives an adapter', () => {
    const gpu = adapter('NVIDIA H100', false);
    const swift = adapter('SwiftShader', true);
    expect(chooseDriver([probe('lvp', null, 'Warning: …'), probe('swift', swift), probe('nv', gpu, 'a note')])?.manifest).toBe('nv');
    expect(chooseDriver([probe('nv1', gpu, 'noise'), probe('nv2', gpu)])?.manifest).toBe('nv2');
    expect(chooseDriver([probe('lvp', null, 'Warning: …'), probe('swift', swift)])?.manifest).toBe('swift');
    expect(chooseDriver([probe('lvp', null, 'Warning: …'), probe('intel', null, 'Failed to detect any valid GPUs')])).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('gives a headless process a private XDG_RUNTIME_DIR, and keeps a real one', () => {
    const env: NodeJS.ProcessEnv = {};
    ensureXdgRuntimeDir(env);
    expect(statSync(env.XDG_RUNTIME_DIR!).isDirectory()).toBe(true);
    const mine = { XDG_RUNTIME_DIR: dir };
    ensureXdgRuntimeDir(mine);
    expect(mine.XDG_RUNTIME_DIR).toBe(dir);
    const notADir = { XDG_RUNTIME_DIR: join(dir, 'extra.json') };
    ensureXdgRuntimeDir(notADir);
    expect(notADir.XDG_RUNTIME_DIR).toBe(env.XDG_RUNTIME_DIR);
    expect(statSync(env.XDG_RUNTIME_DIR!).mode & 0o777).toBe(0o700);
  });
});
