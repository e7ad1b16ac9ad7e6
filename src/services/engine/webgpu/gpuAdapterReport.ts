/**
 * What the engine reports of a WebGPU adapter, built from the adapter's info and limits: shared by the in-process
 * adapter (gpuAdapter.ts) and the driver probes that run in child processes (dawnProbe.ts).
 */
import { isSoftwareAdapter } from '../../../shared/adapterText';
import type { GpuAdapterReport } from '../../../shared/events';

/** The device limits the engine asks for (the adapter's own, which are at least the spec's defaults). */
export const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

export type GpuLimitName = (typeof WANTED_LIMITS)[number];

/** An adapter's info as plain data (GPUAdapterInfo's fields are getters, lost in JSON). */
export interface RawAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn flags CPU emulations (SwiftShader) as fallback adapters. */
  isFallbackAdapter: boolean;
  limits: Record<string, number>;
}

export function rawAdapterInfo(adapter: GPUAdapter): RawAdapterInfo {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const limits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) limits[name] = Number(adapter.limits[name]);
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter === true,
    limits,
  };
}

export function adapterReport(raw: RawAdapterInfo): GpuAdapterReport {
  const base = { vendor: raw.vendor, architecture: raw.architecture, device: raw.device, description: raw.description };
  return { ...base, fallback: raw.isFallbackAdapter || isSoftwareAdapter(base), limits: { ...raw.limits } };
}
