/**
 * A session file from outside the app (here: one the app trained, copied out without its sidecar, as a colleague
 * would send it) opened through the API: it joins the list (event and recent sessions), knows its demo dataset from
 * its fingerprint, and is evaluated (the NIR check runs the engine on its test split), resumed and deleted like any
 * other. A wrong file is refused in one line naming it, and the list does not change.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionSummary, WorkbenchEvent } from '../../../src/shared/workbenchApi';
import { dispatchCall } from '../../../src/services/workbench/dispatch';
import { isState, isTrain, makeBench, tinyRequest } from './workbenchHelpers';

describe('opening a session file through the workbench service', () => {
  const bench = makeBench();
  afterAll(() => bench.dispose());
  let outside = '';
  let opened: SessionSummary;

  it('opens a copied-out session file: listed with its origin, an event sent, remembered', async () => {
    await bench.service.api.training.start(tinyRequest());
    await bench.next(isTrain('done'));
    await bench.next(isState('idle'));
    const saved = await bench.service.api.sessions.save('original');
    outside = join(bench.dir, 'from a colleague.h5');
    copyFileSync(join(bench.dir, 'data', 'sessions', `${saved.id}.h5`), outside);

    const listed = bench.next<Extract<WorkbenchEvent, { kind: 'sessions' }>>((e) => e.kind === 'sessions');
    opened = await bench.service.api.sessions.openFile(outside);
    expect(opened.id).not.toBe(saved.id);
    expect(opened.origin).toMatchObject({ path: outside, fileName: 'from a colleague.h5' });
    // Named as a session without a name is (the sidecar with "original" stayed behind), same numbers.
    expect(opened.name).toBe(`demo · lif 16 · 2 epochs · test ${(opened.finalTestAcc! * 100).toFixed(1)}%`);
    expect(opened).toMatchObject({ epochs: 2, finalTestAcc: saved.finalTestAcc, selectedEpoch: saved.selectedEpoch, config: saved.config });
    // The demo set at 40/20 (seed 0) is recognised by its fingerprint, so it can be checked and resumed on it.
    expect(opened.datasetRef).toEqual({ kind: 'demo', trainSamples: 40, testSamples: 20 });
    expect((await listed).sessions.map((s) => s.id).sort()).toEqual([saved.id, opened.id].sort());
    expect((await bench.service.api.settings.get()).recentSessions[0]).toBe(opened.id);
  });

  it('evaluates it: the NIR check runs the engine and the exported graph on its test split', async () => {
    const check = await bench.service.api.sessions.checkNir(opened.id, opened.datasetRef!);
    expect(check.samples).toBe(20);
    expect(check.engineAccuracy).toBeCloseTo(opened.finalTestAcc!, 6);
    expect(check.orders.map((o) => o.order)).toEqual(['delayed', 'immediate']);
  });

  it('resumes it: epoch 3 continues its history', async () => {
    const loaded = await bench.service.api.sessions.load(opened.id);
    const done = bench.next<Extract<WorkbenchEvent, { kind: 'train' }>>(isTrain('done'));
    await bench.service.api.training.start(tinyRequest({ resumeSessionId: opened.id, dataset: opened.datasetRef! }, { epochs: 3 }));
    const finished = (await done).event as Extract<WorkbenchEvent, { kind: 'train' }>['event'] & { history: { epoch: number }[] };
    await bench.next(isState('idle'));
    expect(finished.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(finished.history.slice(0, 2)).toEqual(loaded.history);
  });

  it('refuses a wrong file in one line naming it, and a relative path before reading anything', async () => {
    const before = readdirSync(join(bench.dir, 'data', 'sessions')).sort();
    const notes = join(bench.dir, 'notes.h5');
    writeFileSync(notes, 'not a session');
    await expect(bench.service.api.sessions.openFile(notes)).rejects.toThrow(`session file ${notes}: not an HDF5 file (no HDF5 signature found)`);
    const relative = await dispatchCall(bench.service.api, 'sessions.openFile', ['notes.h5']);
    expect(relative).toMatchObject({ status: 'refused', reply: { ok: false, error: 'sessions.openFile: path must be an absolute path (got "notes.h5")' } });
    expect(readdirSync(join(bench.dir, 'data', 'sessions')).sort()).toEqual(before);
  });

  it('deletes it like any other, leaving the original file alone', async () => {
    await bench.service.api.sessions.delete(opened.id);
    expect((await bench.service.api.sessions.list()).map((s) => s.id)).not.toContain(opened.id);
    expect(readdirSync(bench.dir)).toContain('from a colleague.h5');
  });

  it('has no file dialog in serve mode', async () => {
    expect(await bench.service.api.sessions.pickFile()).toBeNull();
  });
});
