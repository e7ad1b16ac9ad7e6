/**
 * IEEE 754 binary16 → float32, exactly. SHD stores spike times as half floats, which h5wasm hands back
 * undecoded. Every half is exactly representable as a float32, so decoding loses nothing.
 *
 * Layout: sign (1 bit) · exponent e (5 bits, bias 15) · fraction f (10 bits).
 *   e = 0:      ±f · 2^−24               (zero and subnormals)
 *   e = 1…30:   ±(1 + f/1024) · 2^(e−15)
 *   e = 31:     ±∞ when f = 0, else NaN   (the NaN payload is kept, moved to the top of the float32 fraction)
 */

/** Decodes one half-float bit pattern (0…65535) to its value. */
export function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f === 0 ? sign * Infinity : NaN;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** The float32 bit pattern of a half, built by moving fields (so NaN payloads survive, as numpy keeps them). */
export function halfBitsToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 31) return (sign | 0x7f800000 | (f << 13)) >>> 0;
  if (e !== 0) return (sign | ((e - 15 + 127) << 23) | (f << 13)) >>> 0;
  if (f === 0) return sign >>> 0;
  // Subnormal half: normalise the fraction; value f·2^−24 has its leading 1 at bit p of f.
  const p = 31 - Math.clz32(f);
  const exp32 = p - 24 + 127;
  return (sign | (exp32 << 23) | (((f << (23 - p)) & 0x7fffff) >>> 0)) >>> 0;
}

let table: Float32Array | null = null;

/** All 65 536 halves as float32 (256 KiB), built once on first use. */
export function halfTable(): Float32Array {
  if (!table) {
    const bits = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) bits[h] = halfBitsToFloat32Bits(h);
    table = new Float32Array(bits.buffer);
  }
  return table;
}

/** Decodes `src` (half-float bit patterns) into `dst` (or a new array) through the lookup table. */
export function decodeHalfArray(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  if (dst.length < src.length) throw new Error(`decodeHalfArray: destination holds ${dst.length}, needs ${src.length}`);
  const lut = halfTable();
  // Copy through Uint32 views so NaN payloads are moved as bits, not canonicalised by a float round trip.
  const lutBits = new Uint32Array(lut.buffer, lut.byteOffset, lut.length);
  const out = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i < src.length; i++) out[i] = lutBits[src[i]];
  return dst;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * float → the nearest half-float bit pattern (ties to even, as numpy's astype(float16) rounds); values
 * beyond the half range become ±∞, NaN stays NaN. Used to write spike times in SHD's dtype.
 */
export function floatToHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const e = (x >>> 23) & 0xff;
  const m = x & 0x7fffff;
  if (e === 0xff) return sign | 0x7c00 | (m ? 0x200 : 0);
  const he = e - 127 + 15;
  if (he >= 31) return sign | 0x7c00;
  if (he <= 0) {
    // Subnormal half (or zero): the value is m'·2^−24 with m' = (1.m)·2^(e−127+24), rounded to even.
    if (he < -10) return sign;
    const full = m | 0x800000;
    const shift = 14 - he;
    let q = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && q & 1)) q++;
    return sign | q;
  }
  let q = (he << 10) | (m >>> 13);
  const rem = m & 0x1fff;
  // Rounding may carry into the exponent (and up to ∞), which the bit layout handles by itself.
  if (rem > 0x1000 || (rem === 0x1000 && q & 1)) q++;
  return sign | q;
}
