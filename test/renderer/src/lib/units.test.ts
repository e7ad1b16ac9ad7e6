import { describe, expect, it } from 'vitest';
import { inputText, msToSeconds, secondsToMs } from '../../../../src/renderer/src/lib/units';

describe('ms ↔ s conversion for the form', () => {
  it('shows seconds as clean milliseconds', () => {
    expect(secondsToMs(5e-3)).toBe(5);
    expect(secondsToMs(0.01)).toBe(10);
    expect(secondsToMs(1.4)).toBe(1400);
    expect(secondsToMs(1e-3)).toBe(1);
    expect(secondsToMs(0.0007)).toBe(0.7);
  });
  it('stores milliseconds as seconds without binary noise', () => {
    expect(msToSeconds(5)).toBe(0.005);
    expect(msToSeconds(20)).toBe(0.02);
    expect(msToSeconds(0.1)).toBe(0.0001);
    expect(msToSeconds(1400)).toBe(1.4);
  });
  it('round-trips and passes NaN through', () => {
    for (const s of [5e-3, 10e-3, 1e-3, 1.4, 0.0123, 7]) expect(msToSeconds(secondsToMs(s))).toBe(s);
    expect(msToSeconds(Number.NaN)).toBeNaN();
  });
});

describe('numbers written into inputs', () => {
  it('uses exponent form for tiny values, plain digits otherwise, and reads back exactly', () => {
    expect(inputText(2e-6)).toBe('2e-6');
    expect(inputText(0.001)).toBe('0.001');
    expect(inputText(0.0002)).toBe('2e-4');
    expect(inputText(128)).toBe('128');
    expect(inputText(0)).toBe('0');
    expect(inputText(4294967295)).toBe('4294967295');
    expect(inputText(Number.NaN)).toBe('');
    for (const x of [2e-6, 2e-4, 0.001, 1400, 4294967295, 1e7]) expect(Number(inputText(x))).toBe(x);
  });
});
