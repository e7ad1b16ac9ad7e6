/** The dataset a session file names, as the app refers to it (for sessions opened from files). */
import { describe, expect, it } from 'vitest';
import { makeDemoDataset } from '../../../src/services/data/demoData';
import { fingerprintDataset } from '../../../src/services/data/fingerprint';
import type { SessionMeta } from '../../../src/services/engine/model/modelState';
import { datasetRefOf } from '../../../src/services/sessions/sessionDataset';

function meta(name: string, trainSamples: number, testSamples: number, fingerprint: string): SessionMeta {
  return { created: '2026-01-01T00:00:00Z', appVersion: '0', backend: 'cpu', dataset: { name, fingerprint, trainSamples, testSamples }, classNames: [] };
}

const demoFingerprint = (seed: number, samples: number) => fingerprintDataset(makeDemoDataset({ seed, split: 'train', samples }));

describe('datasetRefOf', () => {
  it('names the demo set (with its sizes) when the regenerated training split has the recorded fingerprint', () => {
    expect(datasetRefOf(meta('demo', 40, 10, demoFingerprint(0, 40)))).toEqual({ kind: 'demo', trainSamples: 40, testSamples: 10 });
    // `--dataset Demo` on the CLI is the same set.
    expect(datasetRefOf(meta('Demo', 40, 200, demoFingerprint(0, 40)))).toEqual({ kind: 'demo', trainSamples: 40 });
  });

  it('does not take another seed\'s demo set (an app session on seed 3) for the CLI\'s', () => {
    expect(datasetRefOf(meta('demo', 40, 10, demoFingerprint(3, 40)))).toBeNull();
    expect(datasetRefOf(meta('demo', 200_000, 10, demoFingerprint(0, 40)))).toBeNull();
  });

  it('names a catalog set by its name, and nothing for a file path (its test file is unknown)', () => {
    expect(datasetRefOf(meta('shd', 8156, 2264, 'sha256:x'))).toEqual({ kind: 'catalog', name: 'shd' });
    expect(datasetRefOf(meta('ssc', 75466, 20382, 'sha256:x'))).toEqual({ kind: 'catalog', name: 'ssc' });
    expect(datasetRefOf(meta('/data/shd_train.h5', 8156, 2264, 'sha256:x'))).toBeNull();
  });
});
