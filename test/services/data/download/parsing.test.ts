import { describe, expect, it } from 'vitest';
import { parseMd5Sums } from '../../../../src/services/data/download/md5sums';
import { parseContentRange } from '../../../../src/services/data/download/resumableDownload';
import { backoffDelayMs } from '../../../../src/services/data/download/backoff';
import { DownloadError, fsError, httpStatusError, networkError } from '../../../../src/services/data/download/downloadError';
import { catalogFile, CATALOG, mirrorUrl } from '../../../../src/services/data/catalog';

describe('parseMd5Sums', () => {
  it('reads md5sum (text and binary mode) and BSD md5 lines, keeping base names', () => {
    const sums = parseMd5Sums(
      [
        'D41D8CD98F00B204E9800998ECF8427E  shd_train.h5.gz',
        '0cc175b9c0f1b6a831c399e269772661 *./shd_test.h5.gz',
        'MD5 (datasets/ssc_valid.h5.gz) = 92eb5ffee6ae2fec3ad71c777531578f',
        '# comment',
        'garbage line',
        '',
      ].join('\r\n'),
    );
    expect([...sums.entries()]).toEqual([
      ['shd_train.h5.gz', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['shd_test.h5.gz', '0cc175b9c0f1b6a831c399e269772661'],
      ['ssc_valid.h5.gz', '92eb5ffee6ae2fec3ad71c777531578f'],
    ]);
  });
});

describe('parseContentRange', () => {
  it('reads a range, an unsatisfied range and unknown totals; refuses anything else', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, total: 1000 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, total: null });
    expect(parseContentRange('bytes */1000')).toEqual({ start: null, total: 1000 });
    expect(parseContentRange('items 1-2/3')).toBeNull();
    expect(parseContentRange(undefined)).toBeNull();
  });
});

describe('backoff and error wording', () => {
  it('doubles the delay per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelayMs(a, 500, 15_000))).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
  });

  it('classifies DNS failure as offline and retryable, 404 as final, 503 as retryable', () => {
    const dns = networkError(Object.assign(new Error('getaddrinfo ENOTFOUND zenkelab.org'), { code: 'ENOTFOUND' }), 'https://zenkelab.org/datasets/md5sums.txt');
    expect([dns.code, dns.retryable, dns.message]).toEqual(['offline', false, 'cannot resolve zenkelab.org (DNS lookup failed: ENOTFOUND): check the network connection']);
    const again = networkError(Object.assign(new Error('getaddrinfo EAI_AGAIN zenkelab.org'), { code: 'EAI_AGAIN' }), 'https://zenkelab.org/');
    expect([again.code, again.retryable]).toEqual(['offline', true]);
    expect(httpStatusError(404, 'http://x/a').retryable).toBe(false);
    expect(httpStatusError(503, 'http://x/a')).toMatchObject({ retryable: true, status: 503, message: 'http://x/a: HTTP 503' });
  });

  it('maps ENOSPC to disk-full and EACCES to not-writable, keeping DownloadErrors as they are', () => {
    expect(fsError(Object.assign(new Error('x'), { code: 'ENOSPC' }), 'writing', '/d/f').code).toBe('disk-full');
    expect(fsError(Object.assign(new Error('x'), { code: 'EACCES' }), 'writing', '/d/f').code).toBe('not-writable');
    const own = new DownloadError('checksum', 'm');
    expect(fsError(own, 'writing', '/d/f')).toBe(own);
  });
});

describe('catalog', () => {
  it('lists SHD train/test and SSC train/valid/test with their mirror URLs', () => {
    expect(CATALOG.shd.files.map((f) => f.gzName)).toEqual(['shd_train.h5.gz', 'shd_test.h5.gz']);
    expect(CATALOG.ssc.files.map((f) => f.h5Name)).toEqual(['ssc_train.h5', 'ssc_valid.h5', 'ssc_test.h5']);
    expect(catalogFile('shd', 'valid')).toBeUndefined();
    expect(mirrorUrl('https://zenkelab.org/datasets', 'shd_test.h5.gz')).toBe('https://zenkelab.org/datasets/shd_test.h5.gz');
    expect(mirrorUrl('http://127.0.0.1:8000/d/', 'md5sums.txt')).toBe('http://127.0.0.1:8000/d/md5sums.txt');
  });
});
