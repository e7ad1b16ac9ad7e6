/**
 * NIR graphs as HDF5 files, in the layout of NIR's own `nir.write` / `nir.read` (nir/serialization.py):
 *
 *     /version                 string dataset ("1.0.0")
 *     /node/type               "NIRGraph"
 *     /node/nodes/<name>/type  the node's type ("Input", "Linear", "CubaLIF", "CubaLI", "Delay", "Output")
 *     /node/nodes/<name>/<p>   its parameters: float arrays (weights out × in, per-neuron vectors, Delay's `delay`
 *                              in seconds), int64 `shape`
 *     /node/edges              (N, 2) strings: [source, target]
 *
 * Written to a temp name and renamed; read back with checks that name the dataset at fault.
 */
import h5wasm from 'h5wasm/node';
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NIR_VERSION, type NirArray, type NirGraph, type NirNode } from './nirGraph';

type H5File = InstanceType<typeof h5wasm.File>;
type H5Group = InstanceType<typeof h5wasm.Group>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

function dtypeOf(a: NirArray): string {
  return a.data instanceof BigInt64Array ? '<q' : a.data instanceof Float32Array ? '<f' : '<d';
}

export async function writeNir(path: string, g: NirGraph): Promise<void> {
  const M = await h5wasm.ready;
  const target = resolve(path);
  const folder = dirname(target);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`cannot write ${path}: folder ${folder} does not exist`);
  const temp = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let file: H5File | undefined;
  M.activate_throwing_error_handler();
  try {
    file = new h5wasm.File(temp, 'w');
    file.create_dataset({ name: 'version', data: NIR_VERSION });
    const root = file.create_group('node');
    root.create_dataset({ name: 'type', data: 'NIRGraph' });
    const nodes = root.create_group('nodes');
    for (const [name, node] of Object.entries(g.nodes)) {
      const n = nodes.create_group(name);
      n.create_dataset({ name: 'type', data: node.type });
      for (const [key, a] of Object.entries(node.params)) n.create_dataset({ name: key, data: a.data, shape: a.shape, dtype: dtypeOf(a) });
    }
    root.create_dataset({ name: 'edges', data: g.edges.flat(), shape: [g.edges.length, 2] });
    file.close();
    file = undefined;
    renameSync(temp, target);
  } catch (err) {
    try {
      file?.close();
    } catch {
      // The write already failed; that error is the one to report.
    }
    rmSync(temp, { force: true });
    throw new Error(`cannot write ${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  } finally {
    M.deactivate_throwing_error_handler();
  }
}

export async function readNir(path: string): Promise<NirGraph> {
  const M = await h5wasm.ready;
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new Error(`${path}: no such file`);
  let file: H5File;
  M.activate_throwing_error_handler();
  try {
    file = new h5wasm.File(path, 'r');
  } catch {
    M.deactivate_throwing_error_handler();
    throw new Error(`${path}: not an HDF5 file`);
  }
  try {
    const fail = (what: string): never => {
      throw new Error(`${path}: ${what}`);
    };
    const ds = (at: string): H5Dataset => {
      const d = file.get(at);
      return d instanceof h5wasm.Dataset ? d : fail(`no dataset ${at} (not a NIR graph file?)`);
    };
    const str = (at: string) => {
      const v = ds(at).value;
      return typeof v === 'string' ? v : fail(`${at} must be a string`);
    };
    if (str('node/type') !== 'NIRGraph') fail('/node/type is not "NIRGraph"');
    const nodesGroup = file.get('node/nodes');
    if (!(nodesGroup instanceof h5wasm.Group)) fail('no group /node/nodes');
    const nodes: Record<string, NirNode> = {};
    for (const name of (nodesGroup as H5Group).keys()) {
      const at = `node/nodes/${name}`;
      const params: Record<string, NirArray> = {};
      for (const key of (file.get(at) as H5Group).keys()) {
        if (key === 'type') continue;
        const d = ds(`${at}/${key}`);
        const v = d.value;
        if (typeof v === 'string' || v === null || !ArrayBuffer.isView(v)) fail(`${at}/${key} must be a numeric array`);
        const data = v instanceof BigInt64Array ? v : Float64Array.from(v as unknown as ArrayLike<number>);
        if (!(data instanceof BigInt64Array) && data.some((x) => !Number.isFinite(x))) fail(`${at}/${key} holds a value that is not finite`);
        params[key] = { data, shape: (d.shape as number[]) ?? [data.length] };
      }
      nodes[name] = { type: str(`${at}/type`), params };
    }
    const edges = ds('node/edges');
    const flat = edges.value;
    if (!Array.isArray(flat) || !flat.every((x) => typeof x === 'string') || edges.shape?.[1] !== 2) fail('/node/edges must be an (N, 2) array of node names');
    const names = flat as string[];
    const pairs: [string, string][] = [];
    for (let i = 0; i < names.length; i += 2) {
      for (const n of [names[i], names[i + 1]]) if (!nodes[n]) fail(`/node/edges names a node "${n}" that /node/nodes lacks`);
      pairs.push([names[i], names[i + 1]]);
    }
    return { nodes, edges: pairs };
  } finally {
    file.close();
    M.deactivate_throwing_error_handler();
  }
}
