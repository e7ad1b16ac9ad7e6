/**
 * A compute kernel as the backend's driver sees it: WGSL source (its constants baked in), the names of its
 * storage buffers in binding order (binding n of group 0 is bindings[n]; `rw` marks the ones it writes), and
 * the grid of workgroups a dispatch runs. Pipelines are compiled once per source and cached (gpuPipelines.ts).
 */
import type { Grid } from './wgslText';

export interface KernelBinding {
  name: string;
  rw: boolean;
}

export interface Kernel {
  /** What it computes, for error messages ("layer 1 forward"). */
  label: string;
  code: string;
  bindings: KernelBinding[];
  grid: Grid;
}

/** WGSL declarations of a kernel's bindings (all f32 arrays unless typed `name:u32`). */
export function bindingDecls(bindings: KernelBinding[], types: Record<string, string> = {}): string {
  return bindings
    .map((b, n) => `@group(0) @binding(${n}) var<storage, ${b.rw ? 'read_write' : 'read'}> ${b.name}: array<${types[b.name] ?? 'f32'}>;`)
    .join('\n');
}

export const ro = (name: string): KernelBinding => ({ name, rw: false });
export const rw = (name: string): KernelBinding => ({ name, rw: true });
