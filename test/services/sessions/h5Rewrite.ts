/**
 * Test helper: copies an HDF5 file with h5wasm, letting a test drop or replace single attributes and
 * datasets, to make the broken session files the reader must refuse (h5wasm cannot delete a dataset in place).
 */
import h5wasm from 'h5wasm/node';

type H5Group = InstanceType<typeof h5wasm.Group>;

export interface Rewrite {
  /** Paths like "/weights/v1" (dataset) or "/meta@class_names" (attribute) to leave out. */
  drop?: string[];
  /** Datasets to write instead of the original: path → data and shape. */
  datasets?: Record<string, { data: Float32Array | Float64Array | Int32Array; shape: number[] }>;
  /** Attributes to write instead of (or besides) the original: "path@name" → value. */
  attrs?: Record<string, string | number | string[]>;
}

export async function rewriteH5(src: string, dst: string, edit: Rewrite): Promise<void> {
  await h5wasm.ready;
  const from = new h5wasm.File(src, 'r');
  const to = new h5wasm.File(dst, 'w');
  try {
    copyGroup(from, to, '', edit);
  } finally {
    from.close();
    to.close();
  }
}

function copyAttrs(from: H5Group | InstanceType<typeof h5wasm.Dataset>, to: H5Group | InstanceType<typeof h5wasm.Dataset>, path: string, edit: Rewrite) {
  const owner = path || '/';
  for (const [name, a] of Object.entries(from.attrs)) {
    const key = `${owner}@${name}`;
    if (edit.drop?.includes(key) || edit.attrs?.[key] !== undefined) continue;
    const v = a.value;
    if (typeof v === 'string' || Array.isArray(v)) to.create_attribute(name, v as string | string[]);
    else to.create_attribute(name, v as number, a.shape, a.dtype as string);
  }
  for (const [key, value] of Object.entries(edit.attrs ?? {})) {
    const [p, name] = key.split('@');
    if (p === owner) to.create_attribute(name, value, null, typeof value === 'number' ? '<d' : null);
  }
}

function copyGroup(from: H5Group, to: H5Group, path: string, edit: Rewrite) {
  copyAttrs(from, to, path, edit);
  for (const name of from.keys()) {
    const item = from.get(name);
    const p = `${path}/${name}`;
    if (edit.drop?.includes(p)) continue;
    if (item instanceof h5wasm.Group) copyGroup(item, to.create_group(name), p, edit);
    else if (item instanceof h5wasm.Dataset) {
      const replacement = edit.datasets?.[p];
      const d = replacement
        ? to.create_dataset({ name, data: replacement.data, shape: replacement.shape })
        : to.create_dataset({ name, data: item.value as Float32Array, shape: item.shape, dtype: item.dtype as string });
      copyAttrs(item, d, p, edit);
    }
  }
}
