import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../src/shared/events';
import type { WorkbenchEvent } from '../../../src/shared/workbenchApi';
import { dispatchCall } from '../../../src/services/workbench/dispatch';
import { isState, isTrain, makeBench, tinyRequest, TINY } from './workbenchHelpers';

type Train<T extends TrainEvent['type']> = { kind: 'train'; runId: string; event: Extract<TrainEvent, { type: T }> };
const FIXTURE = resolve(import.meta.dirname, '../../fixtures/shd/f16_fixed_keys.h5');

describe('workbench service: a complete run, saved, listed, loaded, resumed, deleted', () => {
  const bench = makeBench();
  afterAll(() => bench.dispose());
  let runId = '';
  let sessionId = '';

  it('trains on demo data in a training process and relays every event', async () => {
    const done = bench.next<Train<'done'>>(isTrain('done'));
    const idle = bench.next(isState('idle'));
    ({ runId } = await bench.service.api.training.start(tinyRequest()));
    expect(runId).toMatch(/^[0-9a-f]{12}$/);
    const finished = await done;
    await idle;
    expect(finished.event.reason).toBe('completed');
    expect(finished.event.history.map((r) => r.epoch)).toEqual([1, 2]);

    const start = bench.trainEvents(runId, 'start')[0] as Train<'start'>;
    expect(start.event.backend.name).toBe('cpu');
    // The default protocol holds out a stratified share of each of the 20 classes: with 2 samples a class, one
    // each, so 20 train in 2 batches of 10.
    expect(start.event.dataset).toMatchObject({ trainSamples: 20, testSamples: 20, channels: 700 });
    expect(start.event.validation).toMatchObject({ kind: 'stratified-by-class', trainSamples: 20, validationSamples: 20 });
    expect(start.event.batchesPerEpoch).toBe(2);
    expect(bench.trainEvents(runId, 'batch')).toHaveLength(4);
    expect(bench.trainEvents(runId, 'epoch')).toHaveLength(2);
    const probes = bench.trainEvents(runId, 'probe') as Train<'probe'>[];
    expect(probes.map((p) => [p.event.probe.epoch, p.event.probe.sampleIndex])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const states = bench.events.filter((e): e is Extract<WorkbenchEvent, { kind: 'state' }> => e.kind === 'state').map((e) => e.state);
    expect(states).toEqual(['starting', 'running', 'idle']);

    const status = await bench.service.api.training.status();
    expect(status).toMatchObject({ state: 'idle', runId, canSave: true, finished: { reason: 'completed' } });
    expect(status.history).toHaveLength(2);
    expect(status.confusion).toHaveLength(20);
    expect(status.probe?.layers.map((l) => [l.kind, l.size])).toEqual([['lif', 16]]);
    expect(status.probe?.layers[0].mem).toHaveLength(20 * 16);
    // The selection and the split travel in the snapshot too, so a reloaded page shows them.
    expect(finished.event.selectedEpoch).toBeGreaterThanOrEqual(1);
    expect(status.selectedEpoch).toBe(finished.event.selectedEpoch);
    expect(status.validation).toEqual(start.event.validation);
    // The run's choices became the last-used settings.
    const settings = await bench.service.api.settings.get();
    expect(settings.lastConfig).toEqual(TINY);
    expect(settings.lastDataset).toEqual({ kind: 'demo', trainSamples: 40, testSamples: 20 });
    expect(settings.backend).toBe('cpu');
  });

  it('saves the run as a session and lists it with its key numbers', async () => {
    const listed = bench.next<Extract<WorkbenchEvent, { kind: 'sessions' }>>((e) => e.kind === 'sessions');
    // Two saves at once (a double click) give one session.
    const [summary, twin] = await Promise.all([bench.service.api.sessions.save('tiny demo'), bench.service.api.sessions.save('tiny demo')]);
    expect(twin.id).toBe(summary.id);
    sessionId = summary.id;
    expect(sessionId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const status = await bench.service.api.training.status();
    expect(summary).toMatchObject({ name: 'tiny demo', dataset: 'demo', epochs: 2, backend: 'cpu', config: TINY });
    expect(summary.finalTestAcc).toBe(status.history[1].test_acc);
    // The number to publish: test accuracy at the epoch validation selected, with the split that selected it.
    expect(summary.selectedEpoch).toBe(status.selectedEpoch);
    expect(summary.testAccSelected).toBe(status.history[status.selectedEpoch! - 1].test_acc);
    expect(summary.validation).toEqual(status.validation);
    expect(summary.sizeBytes).toBeGreaterThan(1000);
    expect((await listed).sessions.map((s) => s.id)).toEqual([sessionId]);
    expect(readdirSync(join(bench.dir, 'data', 'sessions')).sort()).toEqual([`${sessionId}.h5`, `${sessionId}.json`]);
    expect((await bench.service.api.sessions.list()).map((s) => s.name)).toEqual(['tiny demo']);
    expect((await bench.service.api.settings.get()).recentSessions).toEqual([sessionId]);
  });

  it('loads the session: config, history, meta, probe and confusion as they were', async () => {
    const status = await bench.service.api.training.status();
    const loaded = await bench.service.api.sessions.load(sessionId);
    expect(loaded.config).toEqual(TINY);
    expect(loaded.history).toEqual(status.history);
    expect(loaded.meta).toMatchObject({ backend: 'cpu', dataset: { name: 'demo', trainSamples: 40, testSamples: 20 } });
    expect(loaded.meta.dataset.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(loaded.meta.classNames).toHaveLength(20);
    expect(loaded.probe).toEqual(status.probe);
    expect(loaded.confusion).toEqual(status.confusion);
  });

  it('resumes the session: epochs continue from 3 with the saved history in front', async () => {
    const saved = await bench.service.api.sessions.load(sessionId);
    const done = bench.next<Train<'done'>>(isTrain('done'));
    const { runId: resumed } = await bench.service.api.training.start(tinyRequest({ resumeSessionId: sessionId }, { epochs: 3 }));
    const history = (await done).event.history;
    await bench.next(isState('idle'));
    expect((bench.trainEvents(resumed, 'start')[0] as Train<'start'>).event.firstEpoch).toBe(3);
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(history.slice(0, 2)).toEqual(saved.history);
    expect(bench.trainEvents(resumed, 'epoch')).toHaveLength(1);
    expect((await bench.service.api.training.status()).sessionId).toBe(sessionId);
  });

  it('starts one run when two resume requests arrive at once (a double click), refusing the other', async () => {
    const request = tinyRequest({ resumeSessionId: sessionId }, { epochs: 3 });
    const settled = await Promise.allSettled([bench.service.api.training.start(request), bench.service.api.training.start(request)]);
    const started = settled.filter((s): s is PromiseFulfilledResult<{ runId: string }> => s.status === 'fulfilled');
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    // Wait for every run that did start, so none is left training behind the test.
    await Promise.all(started.map((s) => bench.next((e) => e.kind === 'train' && e.runId === s.value.runId && e.event.type === 'done')));
    while ((await bench.service.api.training.status()).state !== 'idle') await new Promise((r) => setTimeout(r, 50));
    expect(started).toHaveLength(1);
    expect(refused.map((r) => (r.reason as Error).message)).toEqual(['a training run is already in progress; stop it first']);
  });

  it('refuses to resume with a changed model, naming the field', async () => {
    const err = await bench.service.api.training.start(tinyRequest({ resumeSessionId: sessionId }, { epochs: 5, layers: [{ size: 32, recurrent: true, dropout: 0 }] })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`cannot resume session ${sessionId}: its config differs in layers (only epochs may change when resuming)`);
    const few = await bench.service.api.training.start(tinyRequest({ resumeSessionId: sessionId }, { epochs: 2 })).catch((e: Error) => e);
    expect((few as Error).message).toMatch(/the session has 2 epochs done; set epochs above 2/);
  });

  it('deletes the session and its sidecar', async () => {
    await bench.service.api.sessions.delete(sessionId);
    expect(await bench.service.api.sessions.list()).toEqual([]);
    expect(existsSync(join(bench.dir, 'data', 'sessions', `${sessionId}.json`))).toBe(false);
    expect((await bench.service.api.settings.get()).recentSessions).toEqual([]);
    await expect(bench.service.api.sessions.load(sessionId)).rejects.toThrow(`no session "${sessionId}"`);
  });
});

describe('workbench service: pause, resume and a clean stop', () => {
  const bench = makeBench();
  afterAll(() => bench.dispose());

  it('pauses between batches, resumes, and stops keeping the last completed epoch', async () => {
    // 20 batches an epoch and far more epochs than the test waits for.
    const firstEpoch = bench.next(isTrain('epoch'));
    const { runId } = await bench.service.api.training.start(tinyRequest({}, { batchSize: 2, epochs: 1000 }));
    await firstEpoch;

    const paused = bench.next(isState('paused'));
    await bench.service.api.training.pause();
    await paused;
    expect(bench.trainEvents(runId, 'paused')).toHaveLength(1);
    const batchesAtPause = bench.trainEvents(runId, 'batch').length;
    await new Promise((r) => setTimeout(r, 600));
    expect(bench.trainEvents(runId, 'batch').length).toBe(batchesAtPause);
    expect((await bench.service.api.training.status()).state).toBe('paused');

    const more = bench.next(isTrain('batch'));
    await bench.service.api.training.resume();
    await more;
    expect(bench.trainEvents(runId, 'resumed')).toHaveLength(1);
    expect((await bench.service.api.training.status()).state).toBe('running');

    await bench.service.api.training.setProbeSample(7);
    const nextProbe = await bench.next<Train<'probe'>>(isTrain('probe'));
    expect(nextProbe.event.probe.sampleIndex).toBe(7);
    await expect(bench.service.api.training.setProbeSample(20)).rejects.toThrow(
      'probe sample 20 is out of range: the test set has 20 samples (0…19)',
    );
    await expect(bench.service.api.training.start(tinyRequest())).rejects.toThrow('a training run is already in progress; stop it first');

    const done = bench.next<Train<'done'>>(isTrain('done'));
    const idle = bench.next(isState('idle'));
    await bench.service.api.training.stop();
    expect((await bench.service.api.training.status()).state).toBe('stopping');
    const finished = await done;
    await idle;
    expect(finished.event.reason).toBe('cancelled');
    const status = await bench.service.api.training.status();
    const epochsSeen = bench.trainEvents(runId, 'epoch').length;
    expect(status.history).toHaveLength(epochsSeen);
    expect(finished.event.history).toHaveLength(epochsSeen);
    expect(status).toMatchObject({ canSave: true, finished: { reason: 'cancelled' } });
    const summary = await bench.service.api.sessions.save();
    expect(summary.epochs).toBe(epochsSeen);
    expect(summary.name).toMatch(new RegExp(`^demo · lif 16 · ${epochsSeen} epochs · test \\d+\\.\\d%$`));
    await expect(bench.service.api.training.pause()).rejects.toThrow('no training run to pause');
  });

  it('stops a paused run without resuming it', async () => {
    const firstBatch = bench.next(isTrain('batch'));
    const { runId } = await bench.service.api.training.start(tinyRequest({}, { batchSize: 2, epochs: 1000 }));
    await firstBatch;
    const paused = bench.next(isState('paused'));
    await bench.service.api.training.pause();
    await paused;
    const batches = bench.trainEvents(runId, 'batch').length;
    const done = bench.next<Train<'done'>>(isTrain('done'));
    const idle = bench.next(isState('idle'));
    await bench.service.api.training.stop();
    expect((await done).event.reason).toBe('cancelled');
    await idle;
    expect(bench.trainEvents(runId, 'resumed')).toHaveLength(0);
    expect(bench.trainEvents(runId, 'batch').length).toBe(batches);
    const status = await bench.service.api.training.status();
    expect(status.finished).toEqual({ reason: 'cancelled' });
    expect(status.canSave).toBe(status.history.length > 0);
  });
});

describe('workbench service: failures are replies, not crashes', () => {
  let killed = 0;
  const bench = makeBench();
  afterAll(() => bench.dispose());

  it('refuses bad payloads through dispatch with the problems, and keeps working', async () => {
    const api = bench.service.api;
    const bad = await dispatchCall(api, 'training.start', [{ ...tinyRequest(), config: { ...TINY, nbSteps: 2.5 }, dataset: { kind: 'files' } }]);
    expect(bad.status).toBe('refused');
    expect(bad.reply).toMatchObject({ ok: false });
    if (bad.reply.ok) return;
    expect(bad.reply.fieldErrors.map((e) => e.field).sort()).toEqual(['dataset.testPath', 'dataset.trainPath', 'nbSteps']);
    expect(bad.reply.fieldErrors.find((e) => e.field === 'nbSteps')!.message).toBe('nbSteps must be an integer ≥ 1 and ≤ 10000 (got 2.5)');
    expect((await dispatchCall(api, 'sessions.delete', ['../../etc/passwd'])).status).toBe('refused');
    expect((await dispatchCall(api, 'constructor', [])).status).toBe('refused');
    const ok = await dispatchCall(api, 'training.status', []);
    expect(ok).toMatchObject({ status: 'ok', reply: { ok: true, value: { state: 'idle' } } });
  });

  it('reports a dataset that cannot be loaded as a failed run with the reason', async () => {
    const idle = bench.next(isState('idle'));
    await bench.service.api.training.start(tinyRequest({ dataset: { kind: 'files', trainPath: '/nonexistent/train.h5', testPath: '/nonexistent/test.h5' } }));
    await idle;
    const status = await bench.service.api.training.status();
    expect(status.finished).toEqual({ reason: 'error', message: '/nonexistent/train.h5: no such file' });
    expect(status.canSave).toBe(false);
    await expect(bench.service.api.sessions.save()).rejects.toThrow('nothing to save: the last run did not complete an epoch');
  });

  it('survives a training process that dies mid-run', async () => {
    const { nodeForkLauncher } = await import('../../../src/services/workbench/nodeForkLauncher');
    const launch = nodeForkLauncher();
    const procs: ReturnType<typeof launch>[] = [];
    const crashy = makeBench(() => {
      const p = launch();
      procs.push(p);
      return p;
    });
    try {
      const firstBatch = crashy.next(isTrain('batch'));
      await crashy.service.api.training.start(tinyRequest({}, { batchSize: 2, epochs: 1000 }));
      await firstBatch;
      const error = crashy.next<Extract<WorkbenchEvent, { kind: 'error' }>>((e) => e.kind === 'error');
      process.kill(procs[0].pid!, 'SIGKILL');
      killed++;
      expect((await error).message).toBe('the training process exited unexpectedly (killed)');
      const status = await crashy.service.api.training.status();
      expect(status.state).toBe('idle');
      expect(status.finished).toEqual({ reason: 'error', message: 'the training process exited unexpectedly (killed)' });
      // The next Train works, in a fresh process.
      const done = crashy.next(isTrain('done'));
      await crashy.service.api.training.start(tinyRequest({}, { epochs: 1 }));
      expect(await done).toMatchObject({ event: { type: 'done', reason: 'completed' } });
      expect(procs.length).toBe(2);
    } finally {
      await crashy.dispose();
    }
    expect(killed).toBe(1);
  });

  it('summarises demo data and opens an HDF5 file, naming a missing one', async () => {
    const summary = await bench.service.api.datasets.summary({ kind: 'demo', trainSamples: 40, testSamples: 20 });
    expect(summary).toMatchObject({ name: 'demo', channels: 700, train: { samples: 40 }, test: { samples: 20 } });
    expect(summary.classNames).toHaveLength(20);
    expect(summary.train.labelCounts.reduce((a, b) => a + b, 0)).toBe(40);
    const file = await bench.service.api.datasets.openFile(FIXTURE);
    expect(file).toMatchObject({ path: FIXTURE, samples: 24, channels: 700, spikes: 969 });
    expect(file.maxTimeS).toBeCloseTo(1.19921875, 6);
    expect(file.labelCounts.slice(0, 5)).toEqual([2, 2, 2, 2, 1]);
    expect((await bench.service.api.datasets.list()).recentFiles).toEqual([FIXTURE]);
    await expect(bench.service.api.datasets.openFile('/nonexistent/x.h5')).rejects.toThrow('/nonexistent/x.h5: no such file');
    const broken = resolve(import.meta.dirname, '../../fixtures/shd/bad_not_hdf5.h5');
    await expect(bench.service.api.datasets.openFile(broken)).rejects.toThrow(/bad_not_hdf5\.h5/);
  });

  it('lists the demo set and the catalog sets with their files', async () => {
    const list = await bench.service.api.datasets.list();
    expect(list.dataDir).toBe(join(bench.dir, 'data'));
    expect(list.datasets.map((d) => [d.name, d.available])).toEqual([
      ['demo', true],
      ['shd', false],
      ['ssc', false],
    ]);
    expect(list.datasets[1].files.map((f) => f.file)).toEqual(['shd_train.h5', 'shd_test.h5']);
  });
});

describe('the training process on its own', () => {
  it('answers a bad message with a failed message and still takes a valid job', async () => {
    const { nodeForkLauncher } = await import('../../../src/services/workbench/nodeForkLauncher');
    const proc = nodeForkLauncher()();
    const messages: { type: string; message?: string }[] = [];
    const finished = new Promise<void>((r) =>
      proc.onMessage((m) => {
        messages.push(m as { type: string });
        if ((m as { type: string }).type === 'finished') r();
      }),
    );
    const exited = new Promise<number | null>((r) => proc.onExit(r));
    proc.send({ type: 'format-disk' } as never);
    proc.send({ type: 'probeBackend', preference: 'cpu' });
    await finished;
    expect(await exited).toBe(0);
    expect(messages[0]).toEqual({ type: 'failed', message: 'training process refused a message: unknown message type "format-disk"' });
    expect(messages[1]).toMatchObject({ type: 'backend', report: { name: 'cpu', tfBackend: 'cpu', skipped: [] } });
    expect(messages.at(-1)).toEqual({ type: 'finished' });
  });
});

beforeAll(() => {
  expect(existsSync(FIXTURE)).toBe(true);
});
