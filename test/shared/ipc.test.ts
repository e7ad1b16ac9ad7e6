import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/shared/config';
import { METHODS } from '../../src/shared/ipc/channels';
import { checkCall } from '../../src/shared/ipc/checkCall';
import { augmentPreviewRequestErrors, datasetRefErrors } from '../../src/shared/ipc/datasetPayloads';
import { sessionSizeRefusal, uploadNameErrors } from '../../src/shared/ipc/http';
import { settingsErrors } from '../../src/shared/ipc/settingsPayloads';
import { startRequestErrors } from '../../src/shared/ipc/trainingPayloads';
import { toTrainingProcessErrors } from '../../src/shared/ipc/trainingProcess';
import { makeWorkbenchApi } from '../../src/shared/apiClient';
import { WorkbenchError } from '../../src/shared/workbenchApi';

const request = { config: { ...DEFAULT_CONFIG }, dataset: { kind: 'demo' }, backend: 'auto' };

describe('checkCall', () => {
  it('accepts a valid call and drops trailing undefined arguments', () => {
    expect(checkCall('training.start', [request])).toEqual({ ok: true, method: 'training.start', args: [request] });
    expect(checkCall('sessions.save', [undefined])).toEqual({ ok: true, method: 'sessions.save', args: [] });
    expect(checkCall('info', [])).toEqual({ ok: true, method: 'info', args: [] });
  });

  it('refuses unknown methods, non-list arguments and extra arguments', () => {
    expect(checkCall('fs.readFile', [])).toMatchObject({ ok: false, error: 'unknown method "fs.readFile"' });
    expect(checkCall('__proto__', [])).toMatchObject({ ok: false });
    expect(checkCall('info', { 0: 1 })).toMatchObject({ ok: false, error: 'info: arguments must be a list' });
    expect(checkCall('training.pause', [1])).toMatchObject({ ok: false, error: 'training.pause takes at most 0 argument(s), got 1' });
  });

  it('names every config problem with its field, so the form can place it', () => {
    const bad = { ...request, config: { ...DEFAULT_CONFIG, tauMemS: { lo: 0, hi: 0 }, layers: [{ size: 2.5, recurrent: true, dropout: 0 }], binning: 'log' } };
    const r = checkCall('training.start', [bad]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.map((e) => e.field).sort()).toEqual(['binning', 'layers.0.size', 'tauMemS.hi', 'tauMemS.lo']);
    expect(r.error).toMatch(/^training\.start: /);
    expect(r.error).toContain('tauMemS.lo must be a number > 0');
    expect(r.error).toContain('layer 1 size must be an integer ≥ 1');
  });

  it('refuses session ids that could name a file outside the sessions folder', () => {
    for (const id of ['../x', 'a/b', '', 'a'.repeat(129), 'x.h5', 7]) {
      expect(checkCall('sessions.load', [id]).ok, JSON.stringify(id)).toBe(false);
    }
    expect(checkCall('sessions.delete', ['20250101-120000-ab12']).ok).toBe(true);
  });

  it('sessions.checkNir takes a session id and a dataset, and names what is wrong with either', () => {
    expect(checkCall('sessions.checkNir', ['20250101-120000-ab12', { kind: 'demo' }]).ok).toBe(true);
    const r = checkCall('sessions.checkNir', ['../x', { kind: 'files', trainPath: '/a.h5' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors.map((e) => e.field)).toEqual(['id', 'dataset.testPath']);
    expect(checkCall('sessions.checkNir', ['20250101-120000-ab12']).ok).toBe(false);
  });

  it('sessions.evaluate takes a session id and a dataset, and names what is wrong with either', () => {
    expect(checkCall('sessions.evaluate', ['20250101-120000-ab12', { kind: 'catalog', name: 'shd' }]).ok).toBe(true);
    const r = checkCall('sessions.evaluate', ['a/b', { kind: 'catalog', name: 'mnist' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors.map((e) => e.field)).toEqual(['id', 'dataset.name']);
    expect(checkCall('sessions.evaluate', ['20250101-120000-ab12']).ok).toBe(false);
    const extra = checkCall('sessions.evaluate', ['20250101-120000-ab12', { kind: 'demo' }, 'last']);
    expect(extra.ok ? '' : extra.error).toBe('sessions.evaluate takes at most 2 argument(s), got 3');
  });

  it('checks probe sample indices and file paths', () => {
    expect(checkCall('training.setProbeSample', [-1]).ok).toBe(false);
    expect(checkCall('training.setProbeSample', [1.5]).ok).toBe(false);
    expect(checkCall('training.setProbeSample', [3]).ok).toBe(true);
    expect(checkCall('datasets.openFile', ['']).ok).toBe(false);
    expect(checkCall('datasets.openFile', ['a\u0000b']).ok).toBe(false);
    expect(checkCall('datasets.openFile', ['/data/shd_test.h5']).ok).toBe(true);
  });

  it('opens a session file by absolute path only; picking takes nothing', () => {
    expect(checkCall('sessions.openFile', ['/runs/cli.h5']).ok).toBe(true);
    expect(checkCall('sessions.openFile', ['C:\\runs\\cli.h5']).ok).toBe(true);
    expect(checkCall('sessions.openFile', ['runs/cli.h5'])).toMatchObject({ ok: false, error: 'sessions.openFile: path must be an absolute path (got "runs/cli.h5")' });
    expect(checkCall('sessions.openFile', ['/a\u0000b']).ok).toBe(false);
    expect(checkCall('sessions.openFile', [3]).ok).toBe(false);
    expect(checkCall('sessions.pickFile', ['/x'])).toMatchObject({ ok: false, error: 'sessions.pickFile takes at most 0 argument(s), got 1' });
  });

  it('checks an augmentation preview request: config, dataset, sample index and an epoch the config reaches', () => {
    const preview = { dataset: { kind: 'demo' }, config: { ...DEFAULT_CONFIG, epochs: 4 }, sampleIndex: 3, epoch: 4 };
    expect(checkCall('datasets.augmentPreview', [preview])).toEqual({ ok: true, method: 'datasets.augmentPreview', args: [preview] });
    const r = checkCall('datasets.augmentPreview', [{ ...preview, sampleIndex: -1, epoch: 5 }]);
    expect(r).toMatchObject({
      ok: false,
      error: "datasets.augmentPreview: sampleIndex must be an integer from 0 to 10000000 (got -1); epoch must be at most the config's 4 epochs (got 5)",
      fieldErrors: [{ field: 'sampleIndex' }, { field: 'epoch' }],
    });
    expect(checkCall('datasets.augmentPreview', [preview, 1])).toMatchObject({ ok: false, error: 'datasets.augmentPreview takes at most 1 argument(s), got 2' });
    expect(checkCall('datasets.augmentPreview', []).ok).toBe(false);
  });

  it('has a rule for every method of the API', () => {
    const api = makeWorkbenchApi(async () => ({ ok: true, value: null }), () => () => {});
    const names: string[] = [];
    for (const [k, v] of Object.entries(api)) {
      if (k === 'onEvent') continue;
      if (typeof v === 'function') names.push(k);
      else for (const m of Object.keys(v as object)) names.push(`${k}.${m}`);
    }
    expect(names.sort()).toEqual([...METHODS].sort());
  });
});

describe('payload validators', () => {
  it('uploadNameErrors: a plain file name, no folders or control characters', () => {
    expect(uploadNameErrors('run 3 (final).h5')).toEqual([]);
    expect(uploadNameErrors('../x.h5')[0].message).toBe('name must be a file name without folders or control characters (got "../x.h5")');
    expect(uploadNameErrors('a\\b.h5')).toHaveLength(1);
    expect(uploadNameErrors('a\nb.h5')).toHaveLength(1);
    expect(uploadNameErrors('')).toHaveLength(1);
    expect(uploadNameErrors(null)).toHaveLength(1);
    expect(uploadNameErrors('x'.repeat(201))).toHaveLength(1);
  });

  it('sessionSizeRefusal: one line with the size and the limit', () => {
    expect(sessionSizeRefusal('big.h5', 1_500_000_000)).toBe('big.h5: 1.5 GB is over the 1.1 GB limit for a session file');
    expect(sessionSizeRefusal('big.h5', null, 2_000_000)).toBe('big.h5: it is over the 2.0 MB limit for a session file');
  });

  it('datasetRefErrors: each kind with its fields, unknown fields refused', () => {
    expect(datasetRefErrors({ kind: 'demo', trainSamples: 40, testSamples: 20, seed: 3 })).toEqual([]);
    expect(datasetRefErrors({ kind: 'catalog', name: 'shd' })).toEqual([]);
    expect(datasetRefErrors({ kind: 'files', trainPath: '/a.h5', testPath: '/b.h5' })).toEqual([]);
    expect(datasetRefErrors({ kind: 'catalog', name: 'mnist' })[0].message).toBe('dataset.name must be one of shd, ssc (got "mnist")');
    expect(datasetRefErrors({ kind: 'files', trainPath: '/a.h5' })[0].field).toBe('dataset.testPath');
    expect(datasetRefErrors({ kind: 'demo', evil: 1 })[0].message).toBe('unknown field "dataset.evil"');
    expect(datasetRefErrors('demo')[0].message).toMatch(/must be an object/);
  });

  it('startRequestErrors: unknown fields and a bad backend', () => {
    const errors = startRequestErrors({ ...request, backend: 'tpu', extra: true });
    expect(errors.map((e) => e.field).sort()).toEqual(['backend', 'extra']);
  });

  it('settingsErrors: partial patches and complete settings', () => {
    expect(settingsErrors({ backend: 'wasm' }, true)).toEqual([]);
    expect(settingsErrors({ backend: 'wasm' }, false).length).toBe(6);
    expect(settingsErrors({ recentFiles: Array(21).fill('/a') }, true)[0].message).toMatch(/at most 20/);
    expect(settingsErrors({ lastConfig: { ...DEFAULT_CONFIG, epochs: 0 } }, true)[0]).toEqual({
      field: 'lastConfig.epochs',
      message: 'lastConfig: epochs must be an integer ≥ 1 and ≤ 100000 (got 0)',
    });
  });

  it('augmentPreviewRequestErrors: each field refused by name, config fields as the form names them', () => {
    const preview = { dataset: { kind: 'demo' }, config: { ...DEFAULT_CONFIG }, sampleIndex: 0, epoch: 1 };
    expect(augmentPreviewRequestErrors(preview)).toEqual([]);
    const fields = (v: unknown) => augmentPreviewRequestErrors(v).map((e) => e.field);
    expect(fields({ ...preview, epoch: 0 })).toEqual(['epoch']);
    expect(fields({ ...preview, epoch: 1.5, sampleIndex: '2' })).toEqual(['sampleIndex', 'epoch']);
    expect(fields({ ...preview, extra: 1 })).toEqual(['extra']);
    expect(fields({ ...preview, dataset: { kind: 'mnist' } })).toEqual(['dataset.kind']);
    expect(fields({ ...preview, config: { ...DEFAULT_CONFIG, augment: { ...DEFAULT_CONFIG.augment, deleteP: 1 } } })).toEqual(['augment.deleteP']);
    // A broken config says so once; the epoch is not also compared with its epochs.
    expect(fields({ ...preview, config: { ...DEFAULT_CONFIG, epochs: 0 }, epoch: 3 })).toEqual(['epochs']);
    expect(augmentPreviewRequestErrors(null)).toEqual([{ field: '', message: 'the augmentation preview request must be an object' }]);
  });

  it('toTrainingProcessErrors: jobs and control messages', () => {
    const context = { dataDir: '/tmp/d', appVersion: '0.1.0' };
    const job = { type: 'train', context, config: DEFAULT_CONFIG, dataset: { kind: 'demo' }, backend: 'cpu', probeSample: 0, resumePath: null };
    expect(toTrainingProcessErrors(job)).toEqual([]);
    expect(toTrainingProcessErrors({ type: 'stop' })).toEqual([]);
    expect(toTrainingProcessErrors({ type: 'stop', now: true })[0].message).toBe('unknown field "now"');
    expect(toTrainingProcessErrors({ type: 'probeSample', index: -2 })[0].field).toBe('index');
    expect(toTrainingProcessErrors({ type: 'rm -rf' })[0].message).toBe('unknown message type "rm -rf"');
    expect(toTrainingProcessErrors({ ...job, context: { dataDir: '' } }).map((e) => e.field)).toEqual(['context.dataDir', 'context.appVersion']);
    const nir = { type: 'nirCheck', context, sessionPath: '/d/sessions/s.h5', sessionName: 'my run', nirPath: '/d/exports/s.nir', dataset: { kind: 'demo' } };
    expect(toTrainingProcessErrors(nir)).toEqual([]);
    expect(toTrainingProcessErrors({ ...nir, nirPath: 3, extra: 1 }).map((e) => e.field)).toEqual(['extra', 'nirPath']);
    expect(toTrainingProcessErrors({ ...nir, sessionName: '' }).map((e) => e.field)).toEqual(['sessionName']);
    const evaluation = { type: 'evaluateSession', context, sessionPath: '/d/sessions/s.h5', sessionName: 'my run', dataset: { kind: 'demo' }, backend: 'auto' };
    expect(toTrainingProcessErrors(evaluation)).toEqual([]);
    expect(toTrainingProcessErrors({ ...evaluation, backend: 'tpu', nirPath: '/d/x.nir' }).map((e) => e.field)).toEqual(['nirPath', 'backend']);
    expect(toTrainingProcessErrors({ ...evaluation, sessionPath: '', dataset: { kind: 'files', trainPath: '/a.h5' } }).map((e) => e.field)).toEqual([
      'sessionPath',
      'dataset.testPath',
    ]);
    // A resumed run names its session as the list does; the name is optional, an empty one is refused.
    expect(toTrainingProcessErrors({ ...job, resumePath: '/d/sessions/s.h5', resumeName: 'my run' })).toEqual([]);
    expect(toTrainingProcessErrors({ ...job, resumeName: '' }).map((e) => e.field)).toEqual(['resumeName']);
    const preview = { type: 'augmentPreview', context, request: { dataset: { kind: 'demo' }, config: DEFAULT_CONFIG, sampleIndex: 2, epoch: 1 } };
    expect(toTrainingProcessErrors(preview)).toEqual([]);
    expect(toTrainingProcessErrors({ ...preview, request: { ...preview.request, sampleIndex: -3 } })).toEqual([
      { field: 'request.sampleIndex', message: 'request: sampleIndex must be an integer from 0 to 10000000 (got -3)' },
    ]);
  });
});

describe('makeWorkbenchApi', () => {
  it('routes each method to its dotted name and turns error replies into WorkbenchError', async () => {
    const calls: [string, unknown[]][] = [];
    const api = makeWorkbenchApi(
      async (method, args) => {
        calls.push([method, args]);
        return method === 'sessions.load'
          ? { ok: false, error: 'no session "x"', fieldErrors: [{ field: 'id', message: 'nope' }] }
          : { ok: true, value: 42 };
      },
      () => () => {},
    );
    expect(await api.training.setProbeSample(3)).toBe(42);
    const err = await api.sessions.load('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).message).toBe('no session "x"');
    expect((err as WorkbenchError).fieldErrors).toEqual([{ field: 'id', message: 'nope' }]);
    expect(calls).toEqual([
      ['training.setProbeSample', [3]],
      ['sessions.load', ['x']],
    ]);
  });
});

describe('sweep calls', () => {
  const spec = { grid: { seed: [1, 2] }, data: { train: '/d/a.h5', test: '/d/b.h5' } };
  it('take a valid spec, an absolute folder and bounded options', () => {
    expect(checkCall('sweeps.run', [{ spec, dir: '/tmp/s', parallel: 2 }]).ok).toBe(true);
    expect(checkCall('sweeps.writeSlurm', [{ spec, dir: 'C:\\sweeps\\s', partition: 'gpu', time: '02:00:00', cpus: 4, maxRunning: 8 }]).ok).toBe(true);
    expect(checkCall('sweeps.importRun', ['/tmp/s', 't003']).ok).toBe(true);
  });

  it('refuse what a sweep cannot take, naming each problem', () => {
    const r = checkCall('sweeps.run', [{ spec: { ...spec, grid: { out: ['x'] } }, dir: 'relative/dir', parallel: 0, extra: 1 }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.map((e) => e.message)).toEqual([
      'unknown field "extra"',
      'spec: grid: "out" is not set per task (the sweep sets it)',
      'dir must be an absolute path (got "relative/dir")',
      'parallel must be an integer from 1 to 64 (got 0)',
    ]);
    const slurm = checkCall('sweeps.writeSlurm', [{ spec, dir: '/s', partition: 'a b; rm -rf /' }]);
    expect(slurm.ok).toBe(false);
    if (!slurm.ok) expect(slurm.fieldErrors[0].message).toMatch(/^partition must be a word/);
    const run = checkCall('sweeps.importRun', ['/s', '../etc']);
    expect(run.ok).toBe(false);
    if (!run.ok) expect(run.fieldErrors[0].message).toBe('taskId must be a task id like t003 (got "../etc")');
  });

  it('take a report card of an absolute folder only', () => {
    expect(checkCall('sweeps.reportCard', ['/tmp/seeds']).ok).toBe(true);
    const r = checkCall('sweeps.reportCard', ['seeds/../x']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('sweeps.reportCard: dir must be an absolute path (got "seeds/../x")');
    const two = checkCall('sweeps.reportCard', ['/a', '/b']);
    expect(two.ok).toBe(false);
    if (!two.ok) expect(two.error).toBe('sweeps.reportCard takes at most 1 argument(s), got 2');
  });
});

describe('listen calls', () => {
  it('take base64 audio, an optional session and window, and refuse the rest', () => {
    expect(checkCall('listen.analyze', [{ wav: 'UklGRg==', sessionId: null }]).ok).toBe(true);
    expect(checkCall('listen.analyze', [{ wav: 'UklGRg==', sessionId: '20260101-120000-ab12', windowS: 1.5 }]).ok).toBe(true);
    const r = checkCall('listen.analyze', [{ wav: 'not base64!', sessionId: '../x', windowS: 100, more: 1 }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors.map((e) => e.field)).toEqual(['more', 'wav', 'sessionId', 'windowS']);
  });
});
