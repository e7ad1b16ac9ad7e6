import { describe, expect, it } from 'vitest';
import { fingerprintDataset } from '../../../src/services/data/fingerprint';
import type { SpikeDataset } from '../../../src/services/data/spikeDataset';

function tiny(): SpikeDataset {
  return {
    name: 'a.h5',
    samples: 2,
    channels: 4,
    classNames: ['x', 'y', 'z'],
    labels: Int32Array.from([2, 0]),
    offsets: Float64Array.from([0, 2, 3]),
    times: Float32Array.from([0.5, 0.25, 1.0]),
    units: Uint16Array.from([1, 3, 0]),
  };
}

describe('fingerprintDataset', () => {
  it('is sha256 over a header and the little-endian labels, offsets, times and units', () => {
    // Digest computed independently with Python's hashlib and struct.pack('<…') over the same bytes.
    expect(fingerprintDataset(tiny())).toBe('sha256:0e922631c1a8a8fbeaab233037afd8ae27f041a759c62d1e77b4088b33353a79');
  });

  it('ignores name, speakers and class names, but not content', () => {
    const base = fingerprintDataset(tiny());
    expect(fingerprintDataset({ ...tiny(), name: 'elsewhere/b.h5', speakers: Int32Array.from([4, 5]), classNames: ['p', 'q', 'r'] })).toBe(base);
    const changed: Partial<SpikeDataset>[] = [
      { labels: Int32Array.from([2, 1]) },
      { times: Float32Array.from([0.5, 0.25, 1.0001]) },
      { units: Uint16Array.from([1, 2, 0]) },
      { offsets: Float64Array.from([0, 1, 3]) },
      { channels: 5 },
      { classNames: ['x', 'y'] },
    ];
    for (const c of changed) expect(fingerprintDataset({ ...tiny(), ...c })).not.toBe(base);
  });

  it('reads only the spikes the offsets cover, whatever the backing buffers hold beyond', () => {
    const t = tiny();
    const padded = { ...t, times: Float32Array.from([...t.times, 9, 9]), units: Uint16Array.from([...t.units, 7, 7]) };
    expect(fingerprintDataset(padded)).toBe(fingerprintDataset(t));
  });
});
