/** Building and describing the DatasetRef the dataset panel selects. */
import type { DatasetRef } from '../../../shared/workbenchApi';

/** Optional whole number from a text input: '' → undefined; anything else must be an integer in range. */
export function optionalInt(text: string, label: string, min: number, max: number): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  const v = Number(t);
  if (!Number.isInteger(v) || v < min || v > max) return { error: `${label} must be a whole number from ${min} to ${max} (got "${t}")` };
  return { value: v };
}

/** The demo reference from the panel's three inputs (blank = the generator's default). */
export function demoRef(seed: string, trainSamples: string, testSamples: string): { ref: DatasetRef | null; errors: string[] } {
  const s = optionalInt(seed, 'Seed', 0, 2 ** 32 - 1);
  const tr = optionalInt(trainSamples, 'Train samples', 1, 100_000);
  const te = optionalInt(testSamples, 'Test samples', 1, 100_000);
  const errors = [s.error, tr.error, te.error].filter((e): e is string => !!e);
  if (errors.length) return { ref: null, errors };
  const ref: DatasetRef = { kind: 'demo' };
  if (s.value !== undefined) ref.seed = s.value;
  if (tr.value !== undefined) ref.trainSamples = tr.value;
  if (te.value !== undefined) ref.testSamples = te.value;
  return { ref, errors: [] };
}

/** Last path segment, for either separator (paths come from the machine running the services). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** "demo (seed 3, 200/50)", "SHD", "shd_train.h5 + shd_test.h5". */
export function describeRef(ref: DatasetRef | null): string {
  if (!ref) return '—';
  switch (ref.kind) {
    case 'demo': {
      const bits = [ref.seed !== undefined ? `seed ${ref.seed}` : '', ref.trainSamples || ref.testSamples ? `${ref.trainSamples ?? 'default'}/${ref.testSamples ?? 'default'} samples` : '']
        .filter(Boolean)
        .join(', ');
      return bits ? `demo (${bits})` : 'demo';
    }
    case 'catalog':
      return ref.name.toUpperCase();
    case 'files':
      return `${baseName(ref.trainPath)} + ${baseName(ref.testPath)}`;
  }
}

/** Same dataset selection (compares every field, order-independent). */
export function sameRef(a: DatasetRef | null, b: DatasetRef | null): boolean {
  if (!a || !b) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a as unknown as Record<string, unknown>)[k] === (b as unknown as Record<string, unknown>)[k]);
}
