import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatLoss, formatPercent, formatValue } from '../../../../src/renderer/src/lib/format';

describe('formatting', () => {
  it('durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });
  it('percent, loss, bytes, values', () => {
    expect(formatPercent(0.82345)).toBe('82.3 %');
    expect(formatPercent(1, 0)).toBe('100 %');
    expect(formatLoss(2.995732)).toBe('2.996');
    expect(formatLoss(0.000123456)).toBe('0.0001235');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_536_000)).toBe('1.5 MB');
    expect(formatBytes(130_863_613)).toBe('130.9 MB');
    expect(formatValue(2e-6)).toBe('2e-6');
    expect(formatValue(0.005)).toBe('0.005');
    expect(formatValue('adam')).toBe('adam');
    expect(formatValue(true)).toBe('true');
  });
});
