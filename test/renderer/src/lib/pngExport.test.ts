import { describe, expect, it } from 'vitest';
import { pngFileName } from '../../../../src/renderer/src/lib/pngExport';

describe('PNG file names', () => {
  it('slugs plot titles', () => {
    expect(pngFileName('Hidden spikes — epoch 2')).toBe('hidden-spikes-epoch-2.png');
    expect(pngFileName('Loss (per batch and per epoch)')).toBe('loss-per-batch-and-per-epoch.png');
    expect(pngFileName('τ_mem')).toBe('mem.png');
    expect(pngFileName('???')).toBe('plot.png');
  });
});
