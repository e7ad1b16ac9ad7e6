/**
 * Keeps Dawn's and the Vulkan drivers' native messages off the user's terminal (Linux).
 *
 * Dawn and the drivers it loads write to the process's stderr from native code, where Node cannot catch them:
 * "error: XDG_RUNTIME_DIR is invalid or not set" (the drivers' window-system code, on any headless box), "Warning:
 * Vulkan shaderUniform*ArrayDynamicIndexing required … PhysicalDeviceVk.cpp" (Dawn rejecting an old lavapipe),
 * "Failed to detect any valid GPUs" (a GPU vendor's driver installed without its GPU). So before Dawn is loaded
 * into this process:
 * 1. XDG_RUNTIME_DIR is given a private folder when it is unset or not a folder (what a login session would give).
 * 2. Each installed Vulkan driver (ICD manifest) is tried alone in a short child process whose output is captured:
 *    which adapter it gives, and whether it printed anything.
 * 3. Dawn is then loaded here with the loader pointed at the one driver chosen (a real GPU first, a quiet one
 *    first), or not loaded at all when no driver gives an adapter, or only a CPU emulation that `auto` would not
 *    take anyway.
 * What the children printed is kept for `--verbose` (SPIKING_WORKBENCH_VERBOSE=1), which also echoes it at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawAdapterInfo } from './gpuAdapterReport';

/** What one driver gave when Dawn was loaded with it alone. */
export interface DriverProbe {
  /** The ICD manifest (a path), or '' when the loader's own list was used (no manifests could be listed). */
  manifest: string;
  adapter: RawAdapterInfo | null;
  /** What the child printed besides its answer (Dawn, the loader, the driver); '' when it was quiet. */
  output: string;
  /** Why the child gave no answer (crashed, timed out), or null. */
  failure: string | null;
}

/** Where the Vulkan loader looks for driver manifests when no variable names them (Linux). */
export function icdDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [env.XDG_CONFIG_HOME && join(env.XDG_CONFIG_HOME, 'vulkan/icd.d'), '/etc/vulkan/icd.d'];
  dirs.push(env.XDG_DATA_HOME ? join(env.XDG_DATA_HOME, 'vulkan/icd.d') : env.HOME ? join(env.HOME, '.local/share/vulkan/icd.d') : '');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  for (const d of dataDirs) dirs.push(d && join(d, 'vulkan/icd.d'));
  return [...new Set(dirs.filter((d): d is string => Boolean(d)))];
}

/** The variables a user sets to choose drivers; when one is set, the loader reads only the files it names. */
function namedManifests(env: NodeJS.ProcessEnv): string[] | null {
  const named = env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES;
  return named ? named.split(':').filter(Boolean) : null;
}

/**
 * The driver manifests the loader would read: the ones the user named, else every *.json in icdDirs and those
 * VK_ADD_DRIVER_FILES adds.
 */
export function driverManifests(env: NodeJS.ProcessEnv = process.env): string[] {
  const named = namedManifests(env);
  if (named) return named.filter((f) => existsSync(f));
  const found: string[] = (env.VK_ADD_DRIVER_FILES ?? '').split(':').filter((f) => f && existsSync(f));
  for (const d of icdDirs(env)) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (n.endsWith('.json')) found.push(join(d, n));
  }
  return found;
}

/**
 * Gives the process a private XDG_RUNTIME_DIR when it has none (or one that is not a folder), so that Vulkan
 * drivers do not complain on headless machines (SSH, SLURM nodes, containers). Children inherit it.
 */
export function ensureXdgRuntimeDir(env: NodeJS.ProcessEnv = process.env): void {
  if (process.platform !== 'linux') return;
  const dir = env.XDG_RUNTIME_DIR;
  try {
    if (dir && statSync(dir).isDirectory()) return;
  } catch {
    // not there: make one below
  }
  // One folder per user, made once and reused by every later run (private, as a login session's would be).
  const mine = join(tmpdir(), `spiking-workbench-xdg-${process.getuid?.() ?? 'user'}`);
  mkdirSync(mine, { recursive: true, mode: 0o700 });
  env.XDG_RUNTIME_DIR = mine;
}

export function verbose(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SPIKING_WORKBENCH_VERBOSE === '1';
}

/** The marker before the child's answer on its stdout; anything else it prints is native output. */
const ANSWER = 'SPIKING_WORKBENCH_DAWN_PROBE ';

/**
 * The child: loads Dawn from `webgpu` (its absolute path in argv[1]), asks for an adapter and prints what it
 * found. Plain JavaScript run with `node -e`, so it needs no bundle of its own in any build (esbuild's, electron-
 * vite's, tests from sources). In the desktop app the child is the app's own binary run as Node
 * (ELECTRON_RUN_AS_NODE): a build that turns Electron's RunAsNode fuse off must load Dawn another way.
 */
const CHILD_CODE = `
const mod = require(process.argv[1]);
for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) globalThis[k] = v;
const limitNames = JSON.parse(process.argv[2]);
mod.create([]).requestAdapter({ powerPreference: 'high-performance' }).then((a) => {
  let info = null;
  if (a) {
    const i = a.info;
    const limits = {};
    for (const n of limitNames) limits[n] = Number(a.limits[n]);
    info = { vendor: i.vendor || '', architecture: i.architecture || '', device: i.device || '', description: i.description || '', isFallbackAdapter: i.isFallbackAdapter === true, limits };
  }
  process.stdout.write('\\n${ANSWER}' + JSON.stringify(info) + '\\n', () => process.exit(0));
}, (e) => { process.stdout.write('\\n${ANSWER}' + JSON.stringify({ error: String(e && e.message || e) }) + '\\n', () => process.exit(0)); });
`;

/** A child that prints no answer in this time is taken as "this driver gives no adapter" (a hung driver). */
const PROBE_TIMEOUT_MS = 60_000;

function probeOne(manifest: string, webgpuPath: string, limitNames: readonly string[], env: NodeJS.ProcessEnv): Promise<DriverProbe> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...env, ELECTRON_RUN_AS_NODE: '1' };
    if (manifest) {
      // Both names: VK_DRIVER_FILES for loaders since 1.3.207, VK_ICD_FILENAMES for older ones.
      childEnv.VK_DRIVER_FILES = manifest;
      childEnv.VK_ICD_FILENAMES = manifest;
      delete childEnv.VK_ADD_DRIVER_FILES;
    }
    const child = spawn(process.execPath, ['-e', CHILD_CODE, webgpuPath, JSON.stringify(limitNames)], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ manifest, adapter: null, output: '', failure: `could not start a probe: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const at = out.lastIndexOf(ANSWER);
      const native = ((at >= 0 ? out.slice(0, at) : out) + err).trim();
      if (at < 0) {
        resolve({ manifest, adapter: null, output: native, failure: signal ? `the probe was stopped (${signal})` : `the probe exited with code ${code} and no answer` });
        return;
      }
      const answer = JSON.parse(out.slice(at + ANSWER.length).split('\n')[0]) as RawAdapterInfo | { error: string } | null;
      if (answer && 'error' in answer) resolve({ manifest, adapter: null, output: native, failure: answer.error });
      else resolve({ manifest, adapter: answer, output: native, failure: null });
    });
  });
}

/** Runs the probes two at a time (a laptop's cores; each child starts Dawn and a driver). */
async function probeAll(manifests: string[], webgpuPath: string, limitNames: readonly string[], env: NodeJS.ProcessEnv): Promise<DriverProbe[]> {
  const out: DriverProbe[] = new Array(manifests.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < manifests.length) {
        const k = next++;
        out[k] = await probeOne(manifests[k], webgpuPath, limitNames, env);
      }
    }),
  );
  return out;
}

/** The probe whose driver Dawn should load: a GPU before a CPU emulation, then a quiet one, then the first. */
export function chooseDriver(probes: DriverProbe[]): DriverProbe | null {
  const rank = (p: DriverProbe) => (p.adapter!.isFallbackAdapter ? 2 : 0) + (p.output ? 1 : 0);
  const usable = probes.filter((p) => p.adapter !== null);
  usable.sort((a, b) => rank(a) - rank(b));
  return usable[0] ?? null;
}

export interface DriverChoice {
  /** The driver Dawn is to load, with the adapter it gives; null when none gives one. */
  chosen: DriverProbe | null;
  probes: DriverProbe[];
}

/**
 * Probes every installed driver in child processes and returns the one to load. Echoes the children's output on
 * stderr only in verbose mode.
 */
export async function chooseVulkanDriver(limitNames: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<DriverChoice> {
  ensureXdgRuntimeDir(env);
  const webgpuPath = createRequire(import.meta.url).resolve('webgpu');
  const manifests = driverManifests(env);
  const probes = await probeAll(manifests.length ? manifests : [''], webgpuPath, limitNames, env);
  if (verbose(env)) {
    for (const p of probes) {
      const what = p.adapter ? `adapter "${p.adapter.description || p.adapter.vendor}"${p.adapter.isFallbackAdapter ? ' (a CPU emulation)' : ''}` : `no adapter${p.failure ? ` (${p.failure})` : ''}`;
      process.stderr.write(`webgpu probe ${p.manifest || '(the loader’s default drivers)'}: ${what}\n${p.output ? p.output.replace(/^/gm, '  | ') + '\n' : ''}`);
    }
  }
  return { chosen: chooseDriver(probes), probes };
}

/** Points the Vulkan loader of this process at one driver manifest (before Dawn is loaded). */
export function useOnlyDriver(manifest: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!manifest) return;
  env.VK_DRIVER_FILES = manifest;
  env.VK_ICD_FILENAMES = manifest;
  delete env.VK_ADD_DRIVER_FILES;
}
