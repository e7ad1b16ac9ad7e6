/**
 * What the webgpu backend keeps on the device between batches: compiled pipelines (one per kernel source, with
 * an explicit bind-group layout so that a binding a kernel does not touch for its constants stays bindable),
 * storage buffers by name (grown, never shrunk, so a run allocates once), and one staging buffer for reading
 * results back.
 */
import type { Kernel } from './kernel';

const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

interface Compiled {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

export class GpuResources {
  private pipelines = new Map<string, Promise<Compiled>>();
  private buffers = new Map<string, GPUBuffer>();
  private staging: GPUBuffer | null = null;
  /** A 16-byte buffer bound where a kernel's optional input is absent. */
  readonly dummy: GPUBuffer;

  constructor(readonly device: GPUDevice) {
    this.dummy = device.createBuffer({ size: 16, usage: STORAGE() });
  }

  /** The kernel's pipeline, compiled on first use; a WGSL or validation error rejects with the kernel's name. */
  pipeline(k: Kernel): Promise<Compiled> {
    let p = this.pipelines.get(k.code);
    if (!p) {
      p = this.compile(k);
      this.pipelines.set(k.code, p);
      p.catch(() => this.pipelines.delete(k.code));
    }
    return p;
  }

  private async compile(k: Kernel): Promise<Compiled> {
    const d = this.device;
    d.pushErrorScope('validation');
    const module = d.createShaderModule({ code: k.code, label: k.label });
    const layout = d.createBindGroupLayout({
      label: k.label,
      entries: k.bindings.map((b, n) => ({ binding: n, visibility: GPUShaderStage.COMPUTE, buffer: { type: b.rw ? 'storage' : 'read-only-storage' } })),
    });
    const pipeline = d.createComputePipeline({
      label: k.label,
      layout: d.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const err = await d.popErrorScope();
    if (err) {
      const info = await module.getCompilationInfo();
      const first = info.messages.find((m) => m.type === 'error');
      const where = first ? ` (line ${first.lineNum}: ${first.message})` : '';
      throw new Error(`webgpu: the ${k.label} kernel did not compile: ${err.message.split('\n')[0]}${where}`);
    }
    return { pipeline, layout };
  }

  /** The named storage buffer with room for at least `bytes` (contents are undefined after a grow). */
  buffer(name: string, bytes: number): GPUBuffer {
    const need = Math.max(16, Math.ceil(bytes / 16) * 16);
    let b = this.buffers.get(name);
    if (!b || b.size < need) {
      b?.destroy();
      // Room to grow a little: the input lists change size from batch to batch.
      b = this.device.createBuffer({ label: name, size: Math.ceil(need * 1.25 / 16) * 16, usage: STORAGE() });
      this.buffers.set(name, b);
    }
    return b;
  }

  /** Writes `data` at the start of the named buffer (grown as needed) and returns the buffer. */
  upload(name: string, data: Float32Array | Int32Array | Uint32Array): GPUBuffer {
    const b = this.buffer(name, data.byteLength);
    if (data.byteLength > 0) this.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  }

  stagingBuffer(bytes: number): GPUBuffer {
    const need = Math.max(16, Math.ceil(bytes / 16) * 16);
    if (!this.staging || this.staging.size < need) {
      this.staging?.destroy();
      this.staging = this.device.createBuffer({ label: 'read-back', size: need, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    }
    return this.staging;
  }

  destroy(): void {
    for (const b of this.buffers.values()) b.destroy();
    this.buffers.clear();
    this.staging?.destroy();
    this.staging = null;
    this.dummy.destroy();
    this.pipelines.clear();
  }
}

/** One dispatch: a kernel and the buffer for each of its bindings (by name; absent optional inputs get `dummy`). */
export interface Dispatch {
  kernel: Kernel;
  buffers: Record<string, GPUBuffer | undefined>;
}

/**
 * Records a list of dispatches into one compute pass (WebGPU orders the dispatches of a pass and makes each
 * one's writes visible to the next) and copies the listed ranges into the staging buffer.
 */
export async function encode(res: GpuResources, dispatches: Dispatch[], reads: { buffer: GPUBuffer; bytes: number }[], clears: GPUBuffer[] = []): Promise<{ commands: GPUCommandBuffer; staging: GPUBuffer | null; offsets: number[] }> {
  const d = res.device;
  const compiled = await Promise.all(dispatches.map((x) => res.pipeline(x.kernel)));
  const enc = d.createCommandEncoder();
  for (const b of clears) enc.clearBuffer(b);
  const pass = enc.beginComputePass();
  dispatches.forEach((x, n) => {
    const { pipeline, layout } = compiled[n];
    const entries = x.kernel.bindings.map((b, i) => ({ binding: i, resource: { buffer: x.buffers[b.name] ?? res.dummy } }));
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, d.createBindGroup({ layout, entries }));
    pass.dispatchWorkgroups(x.kernel.grid.x, x.kernel.grid.y);
  });
  pass.end();
  const offsets: number[] = [];
  let total = 0;
  for (const r of reads) {
    offsets.push(total);
    total += Math.ceil(r.bytes / 16) * 16;
  }
  const staging = reads.length ? res.stagingBuffer(total) : null;
  reads.forEach((r, n) => {
    if (r.bytes > 0) enc.copyBufferToBuffer(r.buffer, 0, staging!, offsets[n], Math.ceil(r.bytes / 4) * 4);
  });
  return { commands: enc.finish(), staging, offsets };
}
