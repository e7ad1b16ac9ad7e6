/**
 * Test helper: whether a python3 with h5py (and torch, for the reference) is here. Tests that need it skip with the
 * reason and the install command printed, so a machine without them still runs everything else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string | null>();

/**
 * The python3 the tests use: of those on PATH (Debian's /usr/bin/python3 where PATH has it), the first that
 * imports numpy, h5py and torch, else the first with numpy and h5py, else the first at all (whose checks then
 * fail, and the tests that need it skip). A python3 earlier on PATH without them (a pyenv or venv one) is passed
 * over rather than taken for "not installed".
 */
function findPython(): string {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'python3');
    if (!dir || !existsSync(p)) continue;
    const real = realpathSync(p);
    if (seen.has(real)) continue;
    seen.add(real);
    found.push(p);
  }
  const imports = (py: string, mods: string) => spawnSync(py, ['-c', `import ${mods}`], { stdio: 'ignore' }).status === 0;
  return found.find((py) => imports(py, 'numpy, h5py, torch')) ?? found.find((py) => imports(py, 'numpy, h5py')) ?? found[0] ?? 'python3';
}

export const PYTHON = findPython();
/** The PyTorch oracle sits beside the repository, in ../shared/reference/. */
export const REFERENCE = fileURLToPath(new URL('../../../../shared/reference/snn_reference.py', import.meta.url));

/** Debian's package for each Python module the tests import. */
const DEBIAN: Record<string, string> = { numpy: 'python3-numpy', h5py: 'python3-h5py', torch: 'python3-torch' };

/**
 * null when the reference script and its Python modules are here; otherwise why not, with the install command
 * (printed once unless `quiet`: test/systemPackages.ts prints its own line).
 */
export function referenceMissing(opts: { quiet?: boolean } = {}): string | null {
  if (!existsSync(REFERENCE)) {
    const reason = `${REFERENCE} not found (the reference sits in ../shared/reference/ beside the repository)`;
    if (!cache.has('reference') && !opts.quiet) console.warn(`skipping tests that need the reference: ${reason}`);
    cache.set('reference', reason);
    return reason;
  }
  return pythonMissing(['numpy', 'h5py', 'torch'], opts);
}

/** null when `modules` import in /usr/bin/python3; otherwise why not and how to install them (printed once per reason unless `quiet`). */
export function pythonMissing(modules: string[], opts: { quiet?: boolean } = {}): string | null {
  const key = modules.join(',');
  if (!cache.has(key)) {
    let reason: string | null = null;
    if (!existsSync(PYTHON)) reason = 'no python3 on PATH';
    else {
      const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
      if (r.status !== 0) reason = `${PYTHON} cannot import ${key}: ${(r.stderr || '').trim().split('\n').pop()}`;
    }
    if (reason) reason += `; install: apt-get install ${modules.map((m) => DEBIAN[m] ?? `python3-${m}`).join(' ')} (or every optional package: bash scripts/installSystemPackages.sh)`;
    if (reason && !opts.quiet) console.warn(`skipping tests that need ${key}: ${reason}`);
    cache.set(key, reason);
  }
  return cache.get(key) ?? null;
}

/** Runs /usr/bin/python3 with a script and arguments and parses the last stdout line as JSON. */
export function runPythonJson(args: string[]): unknown {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
