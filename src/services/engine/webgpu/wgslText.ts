/**
 * Small helpers for writing the engine's WGSL: every size, offset and config scalar of a kernel is baked into its
 * source as a constant (a pipeline is compiled once per network shape and batch size, then reused), and
 * one-dimensional work is spread over a 2-D grid of workgroups because one grid dimension holds at most
 * maxComputeWorkgroupsPerDimension (65 535 by default) groups.
 */

/** A float32 value as a WGSL literal that reads back as the same float32. */
export function f32(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) throw new Error(`a kernel constant must be finite (got ${x})`);
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? `${v}.0` : v.toPrecision(9);
}

export function u32(x: number): string {
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new Error(`a kernel index constant must fit u32 (got ${x})`);
  return `${x}u`;
}

/** `const NAME = value;` lines: numbers are u32 unless listed in `floats`; booleans stay booleans. */
export function constants(values: Record<string, number | boolean>, floats: readonly string[] = []): string {
  return Object.entries(values)
    .map(([name, v]) => `const ${name} = ${typeof v === 'boolean' ? String(v) : floats.includes(name) ? f32(v) : u32(v)};`)
    .join('\n');
}

export const ELEMENTWISE_GROUP = 64;

export interface Grid {
  x: number;
  y: number;
}

/** The grid for `items` threads in groups of `group`. */
export function gridFor(items: number, maxPerDim: number, group = ELEMENTWISE_GROUP): Grid {
  const groups = Math.max(1, Math.ceil(items / group));
  const x = Math.min(groups, maxPerDim);
  const y = Math.ceil(groups / x);
  if (y > maxPerDim) throw new Error(`${items} work items are more than one dispatch of this GPU holds`);
  return { x, y };
}

/** The entry point's header for elementwise kernels: `id` is the linear thread index (may pass the end). */
export function elementwiseMain(grid: Grid): string {
  return `@compute @workgroup_size(${ELEMENTWISE_GROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = (wg.y * ${u32(grid.x)} + wg.x) * ${u32(ELEMENTWISE_GROUP)} + lid.x;`;
}
