import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvFields, listRecordings } from '../../../src/services/audio/recordingList';
import { makeWav, tone } from './wavFixture';

function folder(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'recs-'));
  const wav = makeWav({ rate: 8000, bits: 16, channels: [tone(300, 8000, 0.05)] });
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), wav);
  }
  return dir;
}

describe('listRecordings', () => {
  it('labels from class folders, sorted, with speakers from speaker folders', () => {
    const dir = folder(['two/b.wav', 'one/a.wav', 'one/c.WAV', 'one/notes.txt']);
    const l = listRecordings(dir, { kind: 'folders' });
    expect(l.classNames).toEqual(['one', 'two']);
    expect(l.recordings.map((r) => [r.name, r.label])).toEqual([['one/a.wav', 0], ['one/c.WAV', 0], ['two/b.wav', 1]]);
    expect(l.speakerNames).toBeNull();
    const spk = listRecordings(folder(['yes/bob/1.wav', 'yes/amy/2.wav', 'no/amy/3.wav']), { kind: 'folders' });
    expect(spk.speakerNames).toEqual(['amy', 'bob']);
    expect(spk.recordings.map((r) => [r.name, r.label, r.speaker])).toEqual([['no/amy/3.wav', 0, 0], ['yes/amy/2.wav', 1, 0], ['yes/bob/1.wav', 1, 1]]);
    expect(listRecordings(dir, { kind: 'folders' }, ['two', 'one']).recordings.map((r) => r.label)).toEqual([1, 1, 0]);
    expect(() => listRecordings(dir, { kind: 'folders' }, ['one'])).toThrow(/--classes does not name the label "two"/);
    expect(() => listRecordings(folder(['a/x.wav', 'a/s/y.wav']), { kind: 'folders' })).toThrow(/a\/x\.wav sits in a class folder while other recordings sit in speaker folders/);
    expect(() => listRecordings(folder(['loose.wav']), { kind: 'folders' })).toThrow(/no WAV files in class folders/);
  });

  it('numbers speakers from a list shared by files encoded apart, refusing a speaker it lacks', () => {
    const all = ['amy', 'bob', 'cat'];
    const train = listRecordings(folder(['yes/amy/1.wav', 'yes/cat/2.wav']), { kind: 'folders' }, undefined, all);
    const test = listRecordings(folder(['yes/bob/3.wav']), { kind: 'folders' }, undefined, all);
    expect(train.recordings.map((r) => r.speaker)).toEqual([0, 2]);
    expect(test.recordings.map((r) => r.speaker)).toEqual([1]);
    // Without the list each folder numbers its own speakers from 0: bob and amy would both be speaker 0.
    expect(listRecordings(folder(['yes/bob/3.wav']), { kind: 'folders' }).recordings[0].speaker).toBe(0);
    expect(() => listRecordings(folder(['yes/dan/4.wav']), { kind: 'folders' }, undefined, all)).toThrow(/--speakers does not name the speaker "dan"/);
    expect(() => listRecordings(folder(['yes/4.wav']), { kind: 'folders' }, undefined, all)).toThrow(/--speakers was given, but .* records no speakers/);
  });

  it('labels from a CSV (quoted fields, optional speaker column), refusing bad rows by line', () => {
    const dir = folder(['x/1.wav', '2.wav', 'a, b.wav']);
    const csv = join(dir, 'labels.csv');
    writeFileSync(csv, 'file,label,speaker\r\nx/1.wav,seven,ann\r\n"a, b.wav",eight,bo\r\n2.wav,seven,bo\r\n');
    const l = listRecordings(dir, { kind: 'csv', path: csv });
    expect(l.classNames).toEqual(['eight', 'seven']);
    expect(l.speakerNames).toEqual(['ann', 'bo']);
    expect(l.recordings.map((r) => [r.name, r.label, r.speaker])).toEqual([['2.wav', 1, 1], ['a, b.wav', 0, 1], ['x/1.wav', 1, 0]]);
    const bad = (text: string) => {
      writeFileSync(csv, text);
      return () => listRecordings(dir, { kind: 'csv', path: csv });
    };
    expect(bad('name,class\n2.wav,a\n')).toThrow(/labels\.csv: line 1: the header must name the columns file and label/);
    expect(bad('file,label\n2.wav,a\nmissing.wav,b\n')).toThrow(/labels\.csv: line 3: .*missing\.wav does not exist/);
    expect(bad('file,label\n2.wav,a,extra\n')).toThrow(/line 2: 3 fields, the header has 2/);
    expect(bad('file,label\n2.wav,a\n2.wav,b\n')).toThrow(/line 3: 2\.wav is listed twice/);
    expect(bad('file,label,speaker\n2.wav,a,\n')).toThrow(/2\.wav has no speaker while the CSV has a speaker column/);
    expect(csvFields('"say ""hi""", x ,')).toEqual(['say "hi"', 'x', '']);
  });
});
