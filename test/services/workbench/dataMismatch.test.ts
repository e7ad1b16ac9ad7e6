/**
 * The app's side of issue 22's warnings, through the service and its training process as the renderer reaches
 * them: a run on train and test files that number their speakers apart carries the warning in its start event
 * (the Training tab shows it), a resumed session on data with other class names adds one, and the NIR check on
 * such data returns them beside its numbers or refuses what cannot be scored, naming the session by its name.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../src/shared/events';
import { ShdFileWriter } from '../../../src/services/data/shdWriter';
import { isState, isTrain, makeBench, tinyRequest } from './workbenchHelpers';

type Start = { kind: 'train'; runId: string; event: Extract<TrainEvent, { type: 'start' }> };

const CHANNELS = 16;
/** Spikes that tell the class apart (class k fires channels 4k…4k+3), the same for every file written from them. */
function sample(i: number, classes: number) {
  const label = i % classes;
  const times = Array.from({ length: 12 }, (_, k) => 0.01 + 0.05 * k + 0.001 * (i % 7));
  const units = times.map((_, k) => (4 * label + (k % 4)) % CHANNELS);
  return { times, units, label };
}

function write(path: string, opts: { samples: number; classNames: string[]; speakerNames: string[]; labelClasses?: number }): string {
  const w = new ShdFileWriter(path, {
    classNames: opts.classNames,
    channels: CHANNELS,
    speakers: true,
    extraText: { encoder: JSON.stringify({ encoder: 'spiking-workbench cochlea', speakers: opts.speakerNames }) },
  });
  for (let i = 0; i < opts.samples; i++) w.add({ ...sample(i, opts.labelClasses ?? 4), speaker: i % opts.speakerNames.length });
  w.finish();
  return path;
}

describe('warnings for mismatched data in the app (issue 22)', () => {
  const bench = makeBench();
  afterAll(() => bench.dispose());
  const files = join(bench.dir, 'files');
  mkdirSync(files, { recursive: true });
  const classNames = ['a', 'b', 'c', 'd'];
  const train = write(join(files, 'train.h5'), { samples: 40, classNames, speakerNames: ['amy', 'bob', 'cat', 'dan'] });
  // Encoded apart: its two voices are numbered 0 and 1 too.
  const test = write(join(files, 'test.h5'), { samples: 20, classNames, speakerNames: ['eve', 'fay'] });
  const filesRef = (trainPath: string, testPath: string) => ({ kind: 'files' as const, trainPath, testPath });
  const clash = `${train} and ${test} number their speakers apart: speaker 0 is "amy" in one and "eve" in the other (2 of 2 shared ids), so per-speaker results and held-out voices mix different people; encode both with the same --speakers list`;
  let sessionId = '';

  it('a run on train and test files that number their speakers apart carries the warning in its start event and status', async () => {
    const idle = bench.next(isState('idle'));
    const started = bench.next<Start>(isTrain('start'));
    await bench.service.api.training.start(tinyRequest({ dataset: filesRef(train, test) }, { epochs: 1, validationFraction: 0 }));
    expect((await started).event.warnings).toEqual([clash]);
    await idle;
    expect((await bench.service.api.training.status()).started?.warnings).toEqual([clash]);
    sessionId = (await bench.service.api.sessions.save('mismatch run')).id;
  });

  it('a run without a mismatch has no warnings', async () => {
    const idle = bench.next(isState('idle'));
    const started = bench.next<Start>(isTrain('start'));
    await bench.service.api.training.start(tinyRequest({ dataset: filesRef(train, train) }, { epochs: 1, validationFraction: 0 }));
    expect((await started).event.warnings).toBeUndefined();
    await idle;
  });

  it('resuming a session on the same data under other class names warns with the session\'s name', async () => {
    const renamed = ['A', 'B', 'C', 'D'];
    const trainRenamed = write(join(files, 'train-renamed.h5'), { samples: 40, classNames: renamed, speakerNames: ['amy', 'bob', 'cat', 'dan'] });
    const testRenamed = write(join(files, 'test-renamed.h5'), { samples: 20, classNames: renamed, speakerNames: ['amy', 'bob'] });
    const idle = bench.next(isState('idle'));
    const started = bench.next<Start>(isTrain('start'));
    await bench.service.api.training.start(tinyRequest({ dataset: filesRef(trainRenamed, testRenamed), resumeSessionId: sessionId }, { epochs: 2, validationFraction: 0 }));
    expect((await started).event.warnings).toEqual([
      `${trainRenamed} names its classes differently from the session "mismatch run": class 0 is "A" there, "a" in the session (4 of 4 names differ); labels are scored by index`,
    ]);
    await idle;
    expect((await bench.service.api.training.status()).finished?.reason).toBe('completed');
  });

  it('the NIR check on a test split with fewer classes returns the warning beside its numbers', async () => {
    const two = write(join(files, 'two.h5'), { samples: 20, classNames: ['a', 'b'], speakerNames: ['amy'], labelClasses: 2 });
    const check = await bench.service.api.sessions.checkNir(sessionId, filesRef(train, two));
    expect(check.samples).toBe(20);
    expect(check.warnings).toEqual([
      `${two} has 2 classes (a, b), the session "mismatch run" 4 (a, b, c, d): labels are scored by index, and the session can predict its classes 2…3, which this data never holds`,
    ]);
    expect((await bench.service.api.sessions.checkNir(sessionId, filesRef(train, train))).warnings).toBeUndefined();
  });

  it('the NIR check refuses a test split with classes the session has no output for, naming the session by its name', async () => {
    const five = write(join(files, 'five.h5'), { samples: 20, classNames: ['a', 'b', 'c', 'd', 'e'], speakerNames: ['amy'], labelClasses: 5 });
    await expect(bench.service.api.sessions.checkNir(sessionId, filesRef(train, five))).rejects.toThrow(
      `cannot check the NIR export of session "mismatch run": ${five} has 5 classes, but the session "mismatch run" has 4 outputs: labels 4 (e) cannot be scored; 4 of its 20 samples carry them (the first: sample 4)`,
    );
  });

  it('refuses to export an adLIF session to NIR, naming the session by its name, not its id', async () => {
    copyFileSync(resolve(import.meta.dirname, '../../fixtures/sessions/adlif2_session.h5'), join(bench.dir, 'data', 'sessions', 'adlif-fixture.h5'));
    const name = (await bench.service.api.sessions.list()).find((s) => s.id === 'adlif-fixture')!.name;
    expect(name).not.toContain('adlif-fixture');
    await expect(bench.service.api.sessions.exportNir('adlif-fixture')).rejects.toThrow(`cannot export session "${name}" to NIR: layer 1 is adLIF, which NIR cannot express`);
  });
});
