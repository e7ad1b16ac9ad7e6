/**
 * Seeded corruption of valid files for the fuzz suite: variant k of a file is always the same bytes. Kinds
 * (k mod 6): random bytes overwritten, bits flipped, a zeroed block, truncation, a run of 0xFF bytes (huge
 * declared sizes and addresses wherever it lands on a length or offset field), and a block copied from elsewhere
 * in the file (plausible-looking structure in the wrong place).
 */
import { mix } from '../../src/services/random/hashMix';

export const KINDS = ['overwrite', 'bitflip', 'zero-block', 'truncate', 'ff-run', 'copy-block'] as const;
export type CorruptionKind = (typeof KINDS)[number];

/** A deterministic stream of uint32 for (seed, variant). */
function stream(seed: number, variant: number): () => number {
  let i = 0;
  return () => mix((mix(seed ^ 0x5bd1e995) ^ mix(variant + 1) ^ Math.imul(++i, 0x9e3779b1)) >>> 0);
}

export function corrupt(bytes: Uint8Array, seed: number, variant: number): { kind: CorruptionKind; bytes: Uint8Array; detail: string } {
  const next = stream(seed, variant);
  const kind = KINDS[variant % KINDS.length];
  const n = bytes.length;
  const at = (limit = n) => next() % Math.max(1, limit);
  // Most of an HDF5 file's structure sits in its first few KB and at its end; aim there half the time.
  const where = () => (next() & 1 ? at(Math.min(n, 4096)) : at());
  const out = bytes.slice();
  switch (kind) {
    case 'overwrite': {
      const count = 1 + at(16);
      for (let k = 0; k < count; k++) out[where()] = next() & 0xff;
      return { kind, bytes: out, detail: `${count} random bytes` };
    }
    case 'bitflip': {
      const count = 1 + at(8);
      for (let k = 0; k < count; k++) out[where()] ^= 1 << (next() % 8);
      return { kind, bytes: out, detail: `${count} bits flipped` };
    }
    case 'zero-block': {
      const start = where();
      const len = 1 + at(512);
      out.fill(0, start, Math.min(n, start + len));
      return { kind, bytes: out, detail: `${len} bytes zeroed at ${start}` };
    }
    case 'truncate': {
      const len = at(n);
      return { kind, bytes: out.slice(0, len), detail: `cut to ${len} of ${n} bytes` };
    }
    case 'ff-run': {
      const start = where() & ~7;
      const len = 4 + at(5);
      out.fill(0xff, start, Math.min(n, start + len));
      return { kind, bytes: out, detail: `${len} bytes of 0xFF at ${start}` };
    }
    case 'copy-block': {
      const from = at();
      const to = where();
      const len = 8 + at(256);
      out.copyWithin(to, from, Math.min(n, from + len));
      return { kind, bytes: out, detail: `${len} bytes copied from ${from} to ${to}` };
    }
  }
}
