import { describe, expect, it } from 'vitest';
import { mostActive, parseIndexList } from '../../../../src/renderer/src/lib/indexList';

describe('neuron index lists', () => {
  it('parses lists and ranges, drops duplicates, keeps order', () => {
    expect(parseIndexList('3, 17 40-42;3', 128)).toEqual({ indices: [3, 17, 40, 41, 42], error: null });
    expect(parseIndexList('', 128)).toEqual({ indices: [], error: null });
  });
  it('names the bad item', () => {
    expect(parseIndexList('3, x', 128).error).toBe('"x" is not an index or a range like 4-7');
    expect(parseIndexList('130', 128).error).toBe('130 is outside 0…127');
    expect(parseIndexList('9-4', 128).error).toBe('range "9-4" runs backwards');
    expect(parseIndexList('0-100', 128, 16)).toMatchObject({ error: 'at most 16 neurons at once' });
    expect(parseIndexList('0-100', 128, 16).indices).toHaveLength(16);
  });
  it('finds the most active neurons', () => {
    expect(mostActive([5, 2, 5, 7, 2, 5, 9], 10, 3)).toEqual([5, 2, 7]);
    expect(mostActive([], 10, 3)).toEqual([]);
    expect(mostActive([1, 50], 10, 3)).toEqual([1]);
  });
});
