/**
 * How a WebGPU adapter is named to the user (CLI report, app's backend picker) and whether it is a CPU
 * emulation. Plain functions on the report, so the renderer and the engine agree.
 */
import type { GpuAdapterReport } from './events';

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render|software/i;

/** Whether an adapter emulates a GPU on the CPU (flagged as a fallback, or named like one). */
export function isSoftwareAdapter(info: Pick<GpuAdapterReport, 'vendor' | 'architecture' | 'device' | 'description'> & { fallback?: boolean }): boolean {
  return info.fallback === true || SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/** "SwiftShader driver 5.0.0 (google swiftshader), a CPU emulation" and the like. */
export function describeAdapter(a: GpuAdapterReport): string {
  const name = a.description || a.device || a.architecture || a.vendor || 'unnamed adapter';
  const detail = [a.vendor, a.architecture].filter((x) => x && !name.toLowerCase().includes(x.toLowerCase())).join(' ');
  return `${name}${detail ? ` (${detail})` : ''}${a.fallback ? ', a CPU emulation' : ''}`;
}

/** The limits worth showing: buffer size, workgroup memory and threads. */
export function describeLimits(a: GpuAdapterReport): string {
  const mib = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n / 2 ** 20)} MiB`);
  const l = a.limits;
  return `max buffer ${mib(l.maxBufferSize)}, workgroup memory ${l.maxComputeWorkgroupStorageSize ?? '?'} B, ${l.maxComputeInvocationsPerWorkgroup ?? '?'} threads per workgroup`;
}
