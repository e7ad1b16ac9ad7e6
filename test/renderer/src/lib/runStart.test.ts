import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import type { EpochRecord } from '../../../../src/shared/events';
import type { SessionSummary } from '../../../../src/shared/workbenchApi';
import { acceptedRun, resumeRequest, startBlocker } from '../../../../src/renderer/src/lib/runStart';
import { EMPTY_RUN } from '../../../../src/renderer/src/lib/runState';

const config = { ...(DEFAULT_CONFIG as TrainConfig), epochs: 4, seed: 7 };
const epoch = (n: number): EpochRecord => ({ epoch: n, train_loss: 1 / n, train_acc: 0.1 * n, val_loss: null, val_acc: null, test_loss: 2 / n, test_acc: 0.05 * n, lr: 1e-3, train_s: 1, eval_s: 0.5 });
const summary = (datasetRef: SessionSummary['datasetRef']): SessionSummary => ({ id: 's1', name: 'run one', datasetRef, config } as SessionSummary);

describe('why Start is disabled', () => {
  it('connecting first, then the form, then the dataset; null when it can run', () => {
    expect(startBlocker(false, 3, false)).toBe('connecting…');
    expect(startBlocker(true, 1, false)).toBe('fix 1 value in the form');
    expect(startBlocker(true, 2, true)).toBe('fix 2 values in the form');
    expect(startBlocker(true, 0, false)).toBe('choose a dataset');
    expect(startBlocker(true, 0, true)).toBeNull();
  });
});

describe('resuming a saved session', () => {
  it("continues to the target epochs on the session's own data, else the form's", () => {
    const own = resumeRequest(summary({ kind: 'catalog', name: 'shd' }), { kind: 'demo' }, 9, { backend: 'wasm', probeSample: 5 });
    expect(own).toEqual({ config: { ...config, epochs: 9 }, dataset: { kind: 'catalog', name: 'shd' }, backend: 'wasm', resumeSessionId: 's1', probeSample: 5 });
    expect(resumeRequest(summary(null), { kind: 'demo' }, 6, { backend: 'auto', probeSample: 0 }).dataset).toEqual({ kind: 'demo' });
    // The session's own config is not changed by the request.
    expect(config.epochs).toBe(4);
  });

  it('refuses, naming the session, when neither the session nor the form has a dataset', () => {
    expect(() => resumeRequest(summary(null), null, 6, { backend: 'auto', probeSample: 0 })).toThrow(
      'session "run one" does not record its dataset; choose it on the Data & model tab first',
    );
  });
});

describe('the run shown once the service accepted a start', () => {
  it('a new run starts empty with its config, after the resumed epochs', () => {
    const v = acceptedRun({ ...EMPTY_RUN, runId: 'old', history: [epoch(1)] }, 'new', config, [epoch(1), epoch(2)]);
    expect([v.runId, v.state, v.config]).toEqual(['new', 'starting', config]);
    expect(v.history.map((h) => h.epoch)).toEqual([1, 2]);
  });

  it("keeps the events of the same run that arrived before the reply, continuing the earlier epochs", () => {
    const early = { ...EMPTY_RUN, runId: 'r', state: 'running' as const, config, history: [epoch(3)] };
    const v = acceptedRun(early, 'r', { ...config, seed: 99 }, [epoch(1), epoch(2)]);
    expect([v.state, v.config?.seed]).toEqual(['running', 7]);
    expect(v.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
  });
});
