import { describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../../../../src/shared/workbenchApi';
import { joinWorkbench, type WorkbenchSnapshot } from '../../../../src/renderer/src/lib/workbenchSnapshot';

const sessionsEvent = (n: number): WorkbenchEvent => ({ kind: 'sessions', sessions: Array(n).fill(null) } as unknown as WorkbenchEvent);

/** An API whose snapshot waits for `release`, so events can arrive before it; `fail` makes the settings call throw. */
function fakeApi(fail = false) {
  let emit: (e: WorkbenchEvent) => void = () => {};
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let unsubscribed = 0;
  const api = {
    onEvent: (cb: (e: WorkbenchEvent) => void) => {
      emit = cb;
      return () => void unsubscribed++;
    },
    info: async () => (await gate, { appVersion: '1' }) as unknown as WorkbenchSnapshot['info'],
    settings: { get: async () => (await gate, fail ? Promise.reject(new Error('settings unreadable')) : ({ backend: 'auto' } as WorkbenchSnapshot['settings'])) },
    training: { status: async () => (await gate, { state: 'idle' }) as WorkbenchSnapshot['status'] },
    sessions: { list: async () => (await gate, []) },
  };
  return { api, emit: (e: WorkbenchEvent) => emit(e), release: () => release(), unsubscribed: () => unsubscribed };
}

describe('joining the workbench', () => {
  it('holds the events that arrive before the snapshot and handles them after it, then the later ones at once', async () => {
    const f = fakeApi();
    const log: string[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const unsubscribe = joinWorkbench(f.api, {
      snapshot: (s) => log.push(`snapshot ${s.info.appVersion} ${s.settings.backend} ${s.status.state} ${s.sessions.length}`),
      event: (e) => log.push(`event ${e.kind === 'sessions' ? e.sessions.length : '?'}`),
      error: (e) => log.push(`error ${String(e)}`),
      done: () => (log.push('done'), finished()),
    });
    f.emit(sessionsEvent(1));
    f.emit(sessionsEvent(2));
    expect(log).toEqual([]);
    f.release();
    await done;
    f.emit(sessionsEvent(3));
    expect(log).toEqual(['snapshot 1 auto idle 0', 'event 1', 'event 2', 'done', 'event 3']);
    unsubscribe();
    expect(f.unsubscribed()).toBe(1);
  });

  it('a failed snapshot is reported, and the held events are still handled', async () => {
    const f = fakeApi(true);
    const log: string[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    joinWorkbench(f.api, {
      snapshot: () => log.push('snapshot'),
      event: () => log.push('event'),
      error: (e) => log.push(`error ${(e as Error).message}`),
      done: () => (log.push('done'), finished()),
    });
    f.emit(sessionsEvent(1));
    f.release();
    await done;
    expect(log).toEqual(['error settings unreadable', 'event', 'done']);
  });
});
