/**
 * Audio captured in the page (microphone) as a WAV file for the services: mono 16-bit PCM at the capture rate,
 * and base64 for the JSON/IPC call. Also the samples of the last `seconds` of a capture (the live window).
 */

export function encodeWav(samples: Float32Array, sampleRateHz: number): Uint8Array {
  const n = samples.length;
  const bytes = new Uint8Array(44 + 2 * n);
  const v = new DataView(bytes.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  v.setUint32(4, 36 + 2 * n, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRateHz, true);
  v.setUint32(28, sampleRateHz * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]));
    v.setInt16(44 + 2 * i, Math.round(x < 0 ? x * 32768 : x * 32767), true);
  }
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

/** The concatenation of captured chunks, keeping only the last `maxSamples`. */
export function lastSamples(chunks: Float32Array[], maxSamples: number): Float32Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const n = Math.min(total, maxSamples);
  const out = new Float32Array(n);
  let at = n;
  for (let k = chunks.length - 1; k >= 0 && at > 0; k--) {
    const c = chunks[k];
    const take = Math.min(c.length, at);
    out.set(c.subarray(c.length - take), at - take);
    at -= take;
  }
  return out;
}
