import { describe, expect, it } from 'vitest';
import { matchSessionToData, speakerClash } from '../../../src/services/sessions/dataMatch';

const digits = ['zero', 'one', 'two', 'three', 'four', 'five'];
const session = { name: 's.h5', classNames: digits, trainedOn: 'train.h5' };
const data = (classNames: string[], labels: number[], speakerNames?: string[]) => ({ name: 'test.h5', classNames, labels: Int32Array.from(labels), ...(speakerNames && { speakerNames }) });

describe('matchSessionToData', () => {
  it('says nothing when the data names the same classes in the same order', () => {
    expect(matchSessionToData(session, data(digits, [0, 5, 3]))).toEqual({ refusal: null, warnings: [] });
  });

  it('warns that a data set with fewer classes is scored by index, naming both sides and the classes it never holds', () => {
    const m = matchSessionToData(session, data(['a', 'b', 'c', 'd'], [0, 3]));
    expect(m.refusal).toBeNull();
    expect(m.warnings).toEqual([
      'test.h5 has 4 classes (a, b, c, d), the session s.h5 6 (zero, one, two, three, …), and names class 0 "a" where the session has "zero": ' +
        'labels are scored by index, and the session can predict its classes 4…5, which this data never holds',
    ]);
    // The session's own first classes, fewer of them: still a warning, without the naming part.
    expect(matchSessionToData(session, data(digits.slice(0, 5), [0])).warnings).toEqual([
      'test.h5 has 5 classes (zero, one, two, three, …), the session s.h5 6 (zero, one, two, three, …): labels are scored by index, and the session can predict its classes 5, which this data never holds',
    ]);
  });

  it('warns when the same count of classes is named differently, counting the names that differ', () => {
    const renamed = ['zero', 'one', 'zwei', 'drei', 'four', 'five'];
    expect(matchSessionToData(session, data(renamed, [1])).warnings).toEqual([
      'test.h5 names its classes differently from the session s.h5: class 2 is "zwei" there, "two" in the session (2 of 6 names differ); labels are scored by index',
    ]);
  });

  it('refuses data with more classes than the session has outputs, naming the labels it cannot score and the first sample', () => {
    const eight = [...digits, 'six', 'seven'];
    const m = matchSessionToData(session, data(eight, [0, 1, 7, 2, 6, 7]));
    expect(m.refusal).toBe(
      'test.h5 has 8 classes, but the session s.h5 has 6 outputs: labels 6…7 (six, seven) cannot be scored; 3 of its 6 samples carry them (the first: sample 2)',
    );
    expect(m.warnings).toEqual([]);
    // Classes named but never used are still outputs the session lacks.
    expect(matchSessionToData(session, data([...digits, 'six'], [0])).refusal).toBe('test.h5 has 7 classes, but the session s.h5 has 6 outputs: labels 6 (six) cannot be scored');
  });

  it('adds a speaker warning when the session was trained on data that numbers its speakers otherwise', () => {
    const m = matchSessionToData({ ...session, speakerNames: ['amy', 'bob'] }, data(digits, [0], ['cat']));
    expect(m.warnings).toEqual([
      'train.h5 and test.h5 number their speakers apart: speaker 0 is "amy" in one and "cat" in the other (1 of 1 shared ids), ' +
        'so per-speaker results and held-out voices mix different people; encode both with the same --speakers list',
    ]);
    expect(matchSessionToData({ ...session, speakerNames: ['amy', 'bob'] }, data(digits, [0], ['amy', 'bob', 'cat'])).warnings).toEqual([]);
  });
});

describe('speakerClash', () => {
  it('finds ids that name different voices in the two files', () => {
    expect(speakerClash({ name: 'a.h5', speakerNames: ['amy', 'bob', 'cat'] }, { name: 'b.h5', speakerNames: ['amy', 'dan', 'eve'] })).toBe(
      'a.h5 and b.h5 number their speakers apart: speaker 1 is "bob" in one and "dan" in the other (2 of 3 shared ids), ' +
        'so per-speaker results and held-out voices mix different people; encode both with the same --speakers list',
    );
  });

  it('accepts one numbering shared by both (a voice only one file has keeps an id of its own)', () => {
    expect(speakerClash({ name: 'a.h5', speakerNames: ['amy', 'bob'] }, { name: 'b.h5', speakerNames: ['amy', 'bob', 'cat'] })).toBeNull();
  });

  it('cannot tell, and so says nothing, when either file does not record its speaker names', () => {
    expect(speakerClash({ name: 'a.h5' }, { name: 'b.h5', speakerNames: ['amy'] })).toBeNull();
    expect(speakerClash({ name: 'a.h5', speakerNames: ['amy'] }, { name: 'b.h5' })).toBeNull();
  });
});
