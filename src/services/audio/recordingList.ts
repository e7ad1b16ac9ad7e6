/**
 * Which recordings a folder holds and what each is labelled, for `encode`:
 * - from folders: DIR/<class>/*.wav, or DIR/<class>/<speaker>/*.wav (then the speaker is the folder name);
 * - from a CSV with the header `file,label` and an optional `speaker` column, paths relative to DIR.
 * Class names are sorted (or taken in the order of `classes`, which must name every label); speaker names are
 * sorted and numbered 0, 1, … in that order (SHD's extra/speaker holds integers). Entries are sorted by path so
 * the same folder always encodes to the same file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export interface Recording {
  /** Absolute path. */
  path: string;
  /** Path relative to the folder (what messages show). */
  name: string;
  label: number;
  speaker?: number;
}

export interface RecordingList {
  recordings: Recording[];
  classNames: string[];
  /** Speaker names by id; null when no speakers are known. */
  speakerNames: string[] | null;
}

export type LabelSource = { kind: 'folders' } | { kind: 'csv'; path: string };

const isWav = (f: string): boolean => /\.wav$/i.test(f);
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function dirs(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort(byName);
}
function wavs(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).filter((d) => d.isFile() && isWav(d.name)).map((d) => d.name).sort(byName);
}

/** Splits one CSV line (RFC 4180 quoting: "a, b" and "" inside quotes). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

interface Raw {
  name: string;
  label: string;
  speaker?: string;
}

function fromFolders(dir: string): Raw[] {
  const raw: Raw[] = [];
  for (const cls of dirs(dir)) {
    for (const f of wavs(join(dir, cls))) raw.push({ name: join(cls, f), label: cls });
    for (const spk of dirs(join(dir, cls))) for (const f of wavs(join(dir, cls, spk))) raw.push({ name: join(cls, spk, f), label: cls, speaker: spk });
  }
  if (raw.length === 0) throw new Error(`${dir}: no WAV files in class folders (expected DIR/<class>/*.wav or DIR/<class>/<speaker>/*.wav)`);
  const withSpeaker = raw.filter((r) => r.speaker !== undefined).length;
  if (withSpeaker > 0 && withSpeaker < raw.length) {
    const loose = raw.find((r) => r.speaker === undefined)!;
    throw new Error(`${dir}: ${loose.name} sits in a class folder while other recordings sit in speaker folders; use one layout`);
  }
  return raw;
}

function fromCsv(dir: string, csv: string): Raw[] {
  let text: string;
  try {
    text = readFileSync(csv, 'utf8');
  } catch (err) {
    throw new Error(`${csv}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  const fileCol = header.indexOf('file');
  const labelCol = header.indexOf('label');
  const speakerCol = header.indexOf('speaker');
  if (fileCol < 0 || labelCol < 0) throw new Error(`${csv}: line 1: the header must name the columns file and label (and optionally speaker); got "${lines[0] ?? ''}"`);
  const raw: Raw[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${csv}: line ${i + 2}`;
    const f = csvFields(line);
    if (f.length !== header.length) throw new Error(`${where}: ${f.length} fields, the header has ${header.length}`);
    const name = f[fileCol];
    if (!name || !f[labelCol]) throw new Error(`${where}: empty file or label`);
    if (!isWav(name)) throw new Error(`${where}: ${name} is not a .wav file`);
    if (seen.has(name)) throw new Error(`${where}: ${name} is listed twice`);
    seen.add(name);
    if (!existsSync(join(dir, name))) throw new Error(`${where}: ${join(dir, name)} does not exist`);
    raw.push({ name, label: f[labelCol], speaker: speakerCol >= 0 && f[speakerCol] ? f[speakerCol] : undefined });
  });
  if (raw.length === 0) throw new Error(`${csv}: lists no recordings`);
  if (speakerCol >= 0 && raw.some((r) => r.speaker === undefined)) {
    throw new Error(`${csv}: ${raw.find((r) => r.speaker === undefined)!.name} has no speaker while the CSV has a speaker column; give every row one or drop the column`);
  }
  return raw;
}

/**
 * `speakers` fixes the speaker ids (speaker i = speakers[i]), so that files encoded apart — a train and a test
 * folder with different voices — number the same speaker alike and hold out the others as new ids; it must
 * name every speaker found. By default speakers are numbered in sorted order within this folder alone.
 */
export function listRecordings(dirIn: string, source: LabelSource, classes?: string[], speakers?: string[]): RecordingList {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dirIn}: not a folder`);
  const raw = (source.kind === 'folders' ? fromFolders(dir) : fromCsv(dir, source.path)).sort((a, b) => byName(a.name, b.name));
  const labels = [...new Set(raw.map((r) => r.label))].sort(byName);
  let classNames = labels;
  if (classes) {
    const dup = classes.find((c, i) => classes.indexOf(c) !== i);
    if (dup) throw new Error(`--classes names "${dup}" twice`);
    const missing = labels.filter((l) => !classes.includes(l));
    if (missing.length > 0) throw new Error(`--classes does not name the label${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} found in ${source.kind === 'csv' ? source.path : dirIn}`);
    classNames = classes;
  }
  if (classNames.length > 65536) throw new Error(`${dirIn}: ${classNames.length} classes; at most 65 536`);
  const hasSpeakers = raw.some((r) => r.speaker !== undefined);
  const found = hasSpeakers ? [...new Set(raw.map((r) => r.speaker as string))].sort(byName) : null;
  let speakerNames = found;
  if (speakers) {
    const dup = speakers.find((c, i) => speakers.indexOf(c) !== i);
    if (dup) throw new Error(`--speakers names "${dup}" twice`);
    if (!found) throw new Error(`--speakers was given, but ${source.kind === 'csv' ? source.path : dirIn} records no speakers`);
    const missing = found.filter((f) => !speakers.includes(f));
    if (missing.length > 0) throw new Error(`--speakers does not name the speaker${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} found in ${source.kind === 'csv' ? source.path : dirIn}`);
    speakerNames = speakers;
  }
  if (speakerNames && speakerNames.length > 65536) throw new Error(`${dirIn}: ${speakerNames.length} speakers; at most 65 536`);
  const recordings = raw.map((r) => ({
    path: join(dir, r.name),
    name: relative(dir, join(dir, r.name)),
    label: classNames.indexOf(r.label),
    speaker: speakerNames && r.speaker !== undefined ? speakerNames.indexOf(r.speaker) : undefined,
  }));
  return { recordings, classNames, speakerNames };
}
