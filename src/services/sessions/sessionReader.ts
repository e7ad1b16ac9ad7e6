/**
 * Typed access to an open session file for the reader (sessionRead.ts): every getter checks presence, type,
 * shape and finiteness, and every refusal is a {@link SessionFileError} naming the file and the dataset or
 * attribute at fault.
 */
import h5wasm from 'h5wasm/node';
import type { H5File } from '../data/hdf5Access';
import { configErrors, type TrainConfig } from '../../shared/config';
import { firstNonFinite, type H5Group } from './sessionLayout';

/** A session file that cannot be used; the message names the file and the dataset or attribute at fault. */
export class SessionFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`session file ${file}: ${detail}`);
    this.name = 'SessionFileError';
  }
}

/** Typed access to a session file's parts, each failure naming the dataset or attribute. */
export class SessionReader {
  constructor(
    readonly path: string,
    readonly f: H5File,
  ) {}

  fail(detail: string): never {
    throw new SessionFileError(this.path, detail);
  }

  has(name: string): boolean {
    return this.f.get(name) !== null;
  }

  group(name: string): H5Group {
    const g = this.f.get(name);
    if (!(g instanceof h5wasm.Group)) this.fail(g ? `/${name} is not a group` : `missing group /${name}`);
    return g;
  }

  attr(owner: H5Group, ownerName: string, name: string): unknown {
    const a = owner.attrs[name];
    if (!a) this.fail(`missing attribute ${name} on ${ownerName}`);
    return a.json_value;
  }

  stringAttr(owner: H5Group, ownerName: string, name: string): string {
    const v = this.attr(owner, ownerName, name);
    if (typeof v !== 'string') this.fail(`attribute ${name} on ${ownerName} must be a string (got ${JSON.stringify(v)})`);
    return v;
  }

  intAttr(owner: H5Group, ownerName: string, name: string, min: number): number {
    const v = this.attr(owner, ownerName, name);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.fail(`attribute ${name} on ${ownerName} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
    }
    return v;
  }

  /** A float dataset of exactly `shape` with every value finite, as float32. */
  floats(name: string, shape: number[]): Float32Array {
    const raw = this.numeric(name, shape, 'f');
    const bad = firstNonFinite(raw);
    if (bad >= 0) this.fail(`dataset /${name} has the non-finite value ${raw[bad]} at index ${bad}`);
    return raw instanceof Float32Array ? raw : Float32Array.from(raw);
  }

  numeric(name: string, shape: number[], kind: 'f' | 'i'): ArrayLike<number> & Iterable<number> {
    const d = this.f.get(name);
    if (!(d instanceof h5wasm.Dataset)) this.fail(d ? `/${name} is not a dataset` : `missing dataset /${name}`);
    const got = d.shape ?? [];
    if (got.length !== shape.length || got.some((n, i) => n !== shape[i])) {
      this.fail(`dataset /${name} has shape [${got.join(', ')}], expected [${shape.join(', ')}]`);
    }
    const dtype = typeof d.dtype === 'string' ? d.dtype : JSON.stringify(d.dtype);
    const ok = kind === 'f' ? /^[<>]?[fd]$/.test(dtype) : /^[<>]?[bBhHiI]$/.test(dtype);
    if (!ok) this.fail(`dataset /${name} has type ${dtype}, expected ${kind === 'f' ? 'float' : 'integer'}`);
    const v = d.value;
    if (!ArrayBuffer.isView(v)) this.fail(`dataset /${name} could not be read as numbers`);
    return v as unknown as ArrayLike<number> & Iterable<number>;
  }

  /** The [rows, cols] of a 2-d dataset with no empty dimension. */
  matrixShape(name: string): [number, number] {
    const d = this.f.get(name);
    if (!(d instanceof h5wasm.Dataset)) this.fail(d ? `/${name} is not a dataset` : `missing dataset /${name}`);
    const shape = d.shape ?? [];
    if (shape.length !== 2 || shape.some((n) => n < 1)) this.fail(`dataset /${name} has shape [${shape.join(', ')}], expected 2 non-empty dimensions`);
    return [shape[0], shape[1]];
  }

  /** Time constants (seconds): finite, as {@link floats}, and positive. */
  taus(name: string, size: number): Float32Array {
    const t = this.floats(name, [size]);
    const bad = t.findIndex((x) => !(x > 0));
    if (bad >= 0) this.fail(`dataset /${name} has ${t[bad]} at index ${bad}, expected a time constant > 0 s`);
    return t;
  }

  config(value: unknown): TrainConfig {
    const errors = configErrors(value);
    if (errors.length) this.fail(`attribute config on / is invalid: ${errors.map((e) => e.message).join('; ')}`);
    return value as TrainConfig;
  }
}
