/**
 * Does a session fit the data it is run on, and do two files number their speakers alike? The mismatches that
 * used to pass in silence: a 20-class session evaluated on a 4-class file scores labels by index without a word,
 * and two folders encoded apart without one `--speakers` list both call their first voice speaker 0, so per-speaker
 * results and the held-out voices mix different people. The CLI prints these as `warning: …` lines on stderr and
 * refuses what cannot be scored; the app shows the same lines beside the run or the check. One place decides, so
 * both say the same.
 */

/** A session's side: what it is called in messages (its file, or its name in the app) and what it learned. */
export interface SessionClasses {
  name: string;
  classNames: readonly string[];
  /** Speaker names by id of the data it was trained on, where that data recorded them. */
  speakerNames?: readonly string[];
  /** What its training data is called (for speaker messages). */
  trainedOn?: string;
}

/** A dataset's side: a file path or a dataset name, its classes, its labels and its speaker names if any. */
export interface DataClasses {
  name: string;
  classNames: readonly string[];
  labels: ArrayLike<number>;
  speakerNames?: readonly string[];
}

export interface DataMatch {
  /** Why the session cannot be run on the data at all (labels it has no output for); null when it can. */
  refusal: string | null;
  /** One line each, for stderr or a notice: the run goes on, but its numbers mean less than they seem. */
  warnings: string[];
}

const MAX_LISTED = 4;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown}, …` : shown;
}

function range(from: number, to: number): string {
  return from === to ? String(from) : `${from}…${to}`;
}

/** The first class index whose name differs between the two lists (over the classes both have), or -1. */
function firstNameDifference(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return k;
  return -1;
}

/**
 * The session's classes against the data's. Labels are scored by index (the data's class k as the session's
 * output k), so:
 * - the data has more classes than the session has outputs → refused: its labels from the session's count up
 *   cannot be scored (no output can ever predict them);
 * - fewer classes, or the same count named differently → a warning that scoring goes by index;
 * - the same names in the same order → nothing.
 */
export function matchSessionToData(session: SessionClasses, data: DataClasses): DataMatch {
  const K = session.classNames.length;
  const k = data.classNames.length;
  const warnings: string[] = [];
  if (k > K) {
    let beyond = 0;
    let first = -1;
    for (let i = 0; i < data.labels.length; i++) {
      if (data.labels[i] >= K) {
        beyond++;
        if (first < 0) first = i;
      }
    }
    const samples = beyond > 0 ? `; ${beyond} of its ${data.labels.length} samples carry them (the first: sample ${first})` : '';
    return {
      refusal:
        `${data.name} has ${k} classes, but the session ${session.name} has ${K} outputs: labels ${range(K, k - 1)} ` +
        `(${listNames(data.classNames.slice(K))}) cannot be scored${samples}`,
      warnings,
    };
  }
  const differ = firstNameDifference(session.classNames, data.classNames);
  const named = differ >= 0 ? `, and names class ${differ} "${data.classNames[differ]}" where the session has "${session.classNames[differ]}"` : '';
  if (k < K) {
    warnings.push(
      `${data.name} has ${k} classes (${listNames(data.classNames)}), the session ${session.name} ${K} (${listNames(session.classNames)})${named}: ` +
        `labels are scored by index, and the session can predict its classes ${range(k, K - 1)}, which this data never holds`,
    );
  } else if (differ >= 0) {
    const count = session.classNames.filter((c, i) => c !== data.classNames[i]).length;
    warnings.push(
      `${data.name} names its classes differently from the session ${session.name}: class ${differ} is "${data.classNames[differ]}" there, ` +
        `"${session.classNames[differ]}" in the session (${count} of ${K} names differ); labels are scored by index`,
    );
  }
  const speakers = speakerClash(
    { name: session.trainedOn ?? `the training data of ${session.name}`, speakerNames: session.speakerNames },
    { name: data.name, speakerNames: data.speakerNames },
  );
  if (speakers) warnings.push(speakers);
  return { refusal: null, warnings };
}

/** A file's speaker numbering, as far as it records it. */
export interface SpeakerNumbering {
  name: string;
  /** Speaker names by id; absent when the file does not record them (then nothing can be told). */
  speakerNames?: readonly string[];
}

/**
 * Whether two files give one id to different voices: both must record their speaker names (files from `encode`
 * do), and an id both use must name someone else in each. Files encoded with one `--speakers` list agree on every
 * shared id; a voice only one file has gets an id of its own and is no clash. Null when they agree or cannot tell.
 */
export function speakerClash(a: SpeakerNumbering, b: SpeakerNumbering): string | null {
  if (!a.speakerNames || !b.speakerNames) return null;
  const n = Math.min(a.speakerNames.length, b.speakerNames.length);
  const clashes: number[] = [];
  for (let id = 0; id < n; id++) if (a.speakerNames[id] !== b.speakerNames[id]) clashes.push(id);
  if (clashes.length === 0) return null;
  const id = clashes[0];
  return (
    `${a.name} and ${b.name} number their speakers apart: speaker ${id} is "${a.speakerNames[id]}" in one and "${b.speakerNames[id]}" in the other ` +
    `(${clashes.length} of ${n} shared ids), so per-speaker results and held-out voices mix different people; ` +
    'encode both with the same --speakers list'
  );
}
