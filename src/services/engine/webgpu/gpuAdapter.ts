/**
 * Finds a WebGPU adapter through Dawn's Node binding (npm `webgpu`: N-API, prebuilt for Linux, macOS and
 * Windows inside the package, so it loads in plain Node and in Electron's utility process alike) and opens a
 * device on it with the limits the engine's kernels need.
 *
 * An adapter that emulates a GPU on the CPU (SwiftShader, llvmpipe/lavapipe, WARP) is a "fallback": correct but
 * slower than the wasm backend, so `auto` never takes one; `--backend webgpu` does, which is how the
 * conformance tests run on machines without a GPU (SwiftShader from Debian's chromium, added by test/globalSetup.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describeAdapter } from '../../../shared/adapterText';
import type { GpuAdapterReport } from '../../../shared/events';
import { chooseVulkanDriver, icdDirs, useOnlyDriver } from './dawnProbe';
import { adapterReport, rawAdapterInfo, WANTED_LIMITS, type GpuLimitName } from './gpuAdapterReport';

export type { GpuLimitName } from './gpuAdapterReport';

export interface GpuContext {
  device: GPUDevice;
  adapter: GpuAdapterReport;
  limits: Record<GpuLimitName, number>;
  /** Set when the device is lost (driver reset, GPU removed); every later batch fails with it. */
  lost: string | null;
}

/** An adapter that is not (or not usable as) a GPU; the message is the reason, for the backend report. */
export class GpuUnavailable extends Error {
  constructor(
    message: string,
    /** The adapter found, when there was one. */
    readonly adapter?: GpuAdapterReport,
  ) {
    super(message);
  }
}

type GpuModule = { create(options: string[]): GPU; globals: Record<string, unknown> };

/**
 * Linux: the Vulkan driver manifests the loader would read. None means Dawn can find no adapter, and asking it
 * anyway makes it print its own warnings to stderr (from native code) on every run of a machine without a GPU.
 */
export function vulkanDriverMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux') return null;
  const named = env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || env.VK_ADD_DRIVER_FILES;
  if (named) return named.split(':').some((f) => existsSync(f)) ? null : `VK_ICD_FILENAMES names no existing file (${named})`;
  const dirs = icdDirs(env);
  const found = dirs.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
  return found ? null : `no Vulkan driver is installed (no ICD manifest in ${dirs.join(', ')})`;
}

/**
 * What is known before Dawn is loaded into this process: on Linux, the adapter of the driver the probes chose
 * (dawnProbe.ts), so that a machine with only a CPU emulation or no usable driver never loads Dawn here (and
 * never gets its native warnings); elsewhere nothing (Metal and D3D12 are quiet), and Dawn is asked directly.
 */
type Preflight = { probed: GpuAdapterReport | null };

let preflight: Promise<Preflight> | null = null;

async function runPreflight(): Promise<Preflight> {
  const noDriver = vulkanDriverMissing();
  if (noDriver) throw new GpuUnavailable(`${NO_ADAPTER}: ${noDriver}`);
  if (process.platform !== 'linux') return { probed: null };
  const { chosen, probes } = await chooseVulkanDriver(WANTED_LIMITS);
  if (!chosen?.adapter) {
    const names = probes.map((p) => (p.manifest ? basename(p.manifest, '.json') : 'the loader’s default'));
    const why = probes.map((p) => p.failure).filter(Boolean);
    throw new GpuUnavailable(`${NO_ADAPTER}; the installed Vulkan drivers (${names.join(', ')}) gave none${why.length ? ` (${why[0]})` : ''}`);
  }
  useOnlyDriver(chosen.manifest);
  return { probed: adapterReport(chosen.adapter) };
}

let gpuPromise: Promise<GPU> | null = null;

async function loadGpu(): Promise<GPU> {
  let mod: GpuModule;
  try {
    // A variable specifier keeps the bundlers from inlining the package and its .node binary.
    const specifier: string = 'webgpu';
    mod = (await import(/* @vite-ignore */ specifier)) as GpuModule;
  } catch (err) {
    throw new GpuUnavailable(`failed to load the webgpu package (Dawn): ${firstLine(err)}`);
  }
  // The kernels use the WebGPU constants (GPUBufferUsage, GPUMapMode, …) by their global names.
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  return mod.create([]);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
}

const NO_ADAPTER =
  'no WebGPU adapter: Dawn found no Vulkan, Metal or D3D12 device (on Linux it needs libvulkan1 and a Vulkan driver; ' +
  "Debian's chromium ships SwiftShader, a CPU emulation, usable through VK_ICD_FILENAMES)";

let current: Promise<GpuContext> | null = null;

/**
 * The process's GPU device (opened once). Throws GpuUnavailable with the reason when there is no adapter, or
 * when it is a CPU emulation and `allowFallback` is false.
 */
export async function openGpu(opts: { allowFallback: boolean }): Promise<GpuContext> {
  // Once per process: the drivers do not change under a running process, and each probe starts Dawn anew.
  preflight ??= runPreflight();
  const known = await preflight;
  // A CPU emulation found by the probes is refused before Dawn is loaded here (its drivers would print).
  if (known.probed?.fallback && !opts.allowFallback) throw new GpuUnavailable(fallbackReason(known.probed), known.probed);
  gpuPromise ??= loadGpu();
  let gpu: GPU;
  try {
    gpu = await gpuPromise;
  } catch (err) {
    gpuPromise = null;
    throw err;
  }
  if (current) {
    const ctx = await current.catch(() => null);
    if (ctx && !ctx.lost) {
      if (ctx.adapter.fallback && !opts.allowFallback) throw new GpuUnavailable(fallbackReason(ctx.adapter), ctx.adapter);
      return ctx;
    }
    current = null;
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new GpuUnavailable(NO_ADAPTER);
  const report = adapterReport(rawAdapterInfo(adapter));
  if (report.fallback && !opts.allowFallback) throw new GpuUnavailable(fallbackReason(report), report);
  current = (async () => {
    const requiredLimits: Record<string, number> = {};
    for (const name of WANTED_LIMITS) requiredLimits[name] = report.limits[name];
    const device = await adapter.requestDevice({ requiredLimits });
    const ctx: GpuContext = { device, adapter: report, limits: report.limits as Record<GpuLimitName, number>, lost: null };
    void device.lost.then((info) => {
      ctx.lost = `the GPU device was lost (${info.reason}): ${info.message}`;
    });
    return ctx;
  })();
  try {
    return await current;
  } catch (err) {
    current = null;
    throw new GpuUnavailable(`the adapter ${describeAdapter(report)} would not open a device: ${firstLine(err)}`, report);
  }
}

function fallbackReason(a: GpuAdapterReport): string {
  return `the only adapter is ${describeAdapter(a)} (slower than wasm); choose --backend webgpu to use it anyway`;
}

/** Closes the device (tests, process end); the next openGpu opens a new one. */
export async function closeGpu(): Promise<void> {
  const ctx = current ? await current.catch(() => null) : null;
  current = null;
  ctx?.device.destroy();
}
