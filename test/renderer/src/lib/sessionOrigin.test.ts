import { describe, expect, it } from 'vitest';
import { originText } from '../../../../src/renderer/src/lib/sessionOrigin';
import { formatDate } from '../../../../src/renderer/src/lib/format';

describe('originText', () => {
  const importedAt = '2026-02-03T04:05:06.000Z';
  it('names the path a session was opened from, or the uploaded file', () => {
    expect(originText({ path: '/home/me/runs/cli.h5', fileName: 'cli.h5', importedAt })).toBe(`/home/me/runs/cli.h5, opened ${formatDate(importedAt)}`);
    expect(originText({ path: null, fileName: 'cli.h5', importedAt })).toBe(`cli.h5 (uploaded), opened ${formatDate(importedAt)}`);
    expect(formatDate(importedAt)).toMatch(/^2026-02-0[34] \d\d:\d\d$/);
  });
});
