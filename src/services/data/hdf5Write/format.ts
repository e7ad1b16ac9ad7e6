/**
 * Encoders for the few HDF5 structures an SHD-layout file needs (HDF5 File Format Specification 3.0),
 * because h5wasm cannot write variable-length numeric data and SHD stores spikes as exactly that.
 *
 * What is written, and nothing more:
 * - a version-2 superblock (8-byte offsets and lengths) pointing at the root group's object header;
 * - version-2 object headers ("OHDR", lookup3 checksum) holding messages:
 *   groups: Link Info (no fractal heap: links are compact), Group Info, one Link per child (hard links);
 *   datasets: Dataspace v2 (1-D), Datatype, Fill Value v3, Data Layout v3 (contiguous);
 * - datatypes: little-endian unsigned 16-bit integers, IEEE half floats, fixed-length null-padded ASCII
 *   strings, and variable-length sequences of those (the vlen element is a 4-byte count and a global heap
 *   ID: an 8-byte collection address and a 4-byte object index);
 * - global heap collections ("GCOL" v1) holding the sequences' bytes.
 * The HDF5 library (h5py) and h5wasm read these files; the tests check both.
 */
import { lookup3 } from './checksum';

export const UNDEFINED_ADDRESS = 0xffff_ffff_ffff_ffffn;

/** A growable little-endian byte buffer. */
export class Bytes {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.room(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  zeros(n: number): this {
    this.room(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/* ------------------------------------------------------------ datatypes */

/** A Datatype message body. */
export type Datatype = Uint8Array;

export function uint16Type(): Datatype {
  // class 0 (fixed-point), version 1; bit field: little-endian, zero padding, unsigned; size 2; offset 0, precision 16.
  return new Bytes().u8(0x10).u8(0).u8(0).u8(0).u32(2).u16(0).u16(16).done();
}

export function float16Type(): Datatype {
  // class 1 (floating point), version 1; bit field: little-endian, mantissa normalisation 2 (implied leading 1),
  // sign at bit 15; size 2; offset 0, precision 16, exponent at bit 10 (5 bits), mantissa at 0 (10 bits), bias 15.
  return new Bytes().u8(0x11).u8(0x20).u8(15).u8(0).u32(2).u16(0).u16(16).u8(10).u8(5).u8(0).u8(10).u32(15).done();
}

export function fixedStringType(size: number): Datatype {
  // class 3 (string), version 1; null-padded ASCII (what numpy's 'S' dtype writes).
  return new Bytes().u8(0x13).u8(0x01).u8(0).u8(0).u32(size).done();
}

/** The size of one vlen element in a dataset: a 4-byte count and a global heap ID (8-byte address, 4-byte index). */
export const VLEN_ELEMENT_BYTES = 16;

export function vlenSequenceType(base: Datatype): Datatype {
  return new Bytes().u8(0x19).u8(0).u8(0).u8(0).u32(VLEN_ELEMENT_BYTES).bytes(base).done();
}

/* ------------------------------------------------------------- messages */

export const MSG = { DATASPACE: 0x01, LINK_INFO: 0x02, DATATYPE: 0x03, FILL_VALUE: 0x05, LINK: 0x06, LAYOUT: 0x08, GROUP_INFO: 0x0a } as const;

export interface Message {
  type: number;
  body: Uint8Array;
  /** Message flags; 1 = constant (datatypes and dataspaces are never changed). */
  flags?: number;
}

function dataspace1d(n: number): Uint8Array {
  // version 2, rank 1, no max dims, simple
  return new Bytes().u8(2).u8(1).u8(0).u8(1).u64(n).done();
}

function fillValueUndefined(): Uint8Array {
  // version 3; space allocated early (1), fill value written "if set" (2 << 2), none set
  return new Bytes().u8(3).u8(0x09).done();
}

function contiguousLayout(address: number, size: number): Uint8Array {
  // version 3, class 1 (contiguous), address, size
  return new Bytes().u8(3).u8(1).u64(address).u64(size).done();
}

/** The messages of a 1-D contiguous dataset of `n` elements stored at `address` (`size` bytes). */
export function datasetMessages(type: Datatype, n: number, address: number, size: number): Message[] {
  return [
    { type: MSG.DATASPACE, body: dataspace1d(n), flags: 1 },
    { type: MSG.DATATYPE, body: type, flags: 1 },
    { type: MSG.FILL_VALUE, body: fillValueUndefined(), flags: 1 },
    { type: MSG.LAYOUT, body: contiguousLayout(address, size) },
  ];
}

/** The messages of a group whose children are hard links stored in the header (a "compact" group). */
export function groupMessages(children: ReadonlyArray<{ name: string; address: number }>): Message[] {
  const linkInfo = new Bytes().u8(0).u8(0).u64(UNDEFINED_ADDRESS).u64(UNDEFINED_ADDRESS).done();
  const groupInfo = new Bytes().u8(0).u8(0).done();
  const links = children.map(({ name, address }) => {
    const encoded = new TextEncoder().encode(name);
    if (encoded.length === 0 || encoded.length > 255) throw new Error(`HDF5 link name "${name}": 1–255 bytes`);
    // version 1; flags 0: 1-byte name length, hard link, ASCII
    return { type: MSG.LINK, body: new Bytes().u8(1).u8(0).u8(encoded.length).bytes(encoded).u64(address).done() };
  });
  return [{ type: MSG.LINK_INFO, body: linkInfo }, { type: MSG.GROUP_INFO, body: groupInfo }, ...links];
}

/** A version-2 object header holding `messages`, with its checksum. */
export function objectHeader(messages: Message[]): Uint8Array {
  const body = new Bytes();
  for (const m of messages) body.u8(m.type).u16(m.body.length).u8(m.flags ?? 0).bytes(m.body);
  // flags 0x02: "size of chunk 0" is a 4-byte field; no times, no attribute phase change values.
  const out = new Bytes().bytes(new TextEncoder().encode('OHDR')).u8(2).u8(0x02).u32(body.length).bytes(body.done());
  const partial = out.done();
  return new Bytes().bytes(partial).u32(lookup3(partial)).done();
}

/* ------------------------------------------------------------ superblock */

export const SUPERBLOCK_BYTES = 48;

export function superblock(endOfFile: number, rootAddress: number): Uint8Array {
  const b = new Bytes()
    .bytes(Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a))
    .u8(2) // version
    .u8(8) // size of offsets
    .u8(8) // size of lengths
    .u8(0) // file consistency flags
    .u64(0) // base address
    .u64(UNDEFINED_ADDRESS) // no superblock extension
    .u64(endOfFile)
    .u64(rootAddress);
  const partial = b.done();
  return new Bytes().bytes(partial).u32(lookup3(partial)).done();
}

/* ---------------------------------------------------------- global heap */

/** HDF5 reads collections of at least this size; smaller ones are padded with free space. */
export const GLOBAL_HEAP_MIN_BYTES = 4096;
const COLLECTION_HEADER_BYTES = 16;
const OBJECT_HEADER_BYTES = 16;
/** Object indices are 16-bit and 0 is the free-space object. */
export const GLOBAL_HEAP_MAX_OBJECTS = 65535;

const align8 = (n: number): number => (n + 7) & ~7;

/** Bytes a collection holding objects of these sizes takes (before padding to the minimum). */
export function collectionBytes(objectSizes: ArrayLike<number>): number {
  let n = COLLECTION_HEADER_BYTES;
  for (let i = 0; i < objectSizes.length; i++) n += OBJECT_HEADER_BYTES + align8(objectSizes[i]);
  return n;
}

/** A global heap collection holding `objects` as indices 1, 2, …, padded with a free-space object to ≥ 4 KiB. */
export function globalHeapCollection(objects: Uint8Array[]): Uint8Array {
  if (objects.length > GLOBAL_HEAP_MAX_OBJECTS) throw new Error(`a global heap collection holds at most ${GLOBAL_HEAP_MAX_OBJECTS} objects`);
  const used = collectionBytes(objects.map((o) => o.length));
  const size = Math.max(used, GLOBAL_HEAP_MIN_BYTES);
  const b = new Bytes().bytes(new TextEncoder().encode('GCOL')).u8(1).zeros(3).u64(size);
  objects.forEach((o, i) => {
    b.u16(i + 1).u16(1).u32(0).u64(o.length).bytes(o).zeros(align8(o.length) - o.length);
  });
  const free = size - used;
  // The free-space object's size counts its own header and is not padded; less than a header is just slack.
  if (free >= OBJECT_HEADER_BYTES) b.u16(0).u16(0).u32(0).u64(free).zeros(free - OBJECT_HEADER_BYTES);
  else b.zeros(free);
  return b.done();
}
