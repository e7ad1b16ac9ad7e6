/**
 * The `listen.*` calls: a recording through the cochlea front end and (with a session) its network, and a folder
 * of recordings encoded into a dataset; both run in a training process.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { checkCall } from '../../shared/ipc/checkCall';
import { listenRequestErrors } from '../../shared/ipc/listenPayloads';
import { WorkbenchError, type EncodedFolder, type ListenRequest, type ListenResult } from '../../shared/workbenchApi';
import { runOneShotJob } from './oneShotJob';
import type { SessionStore } from './sessionStore';
import { fail, type WorkbenchServiceOptions } from './workbenchOptions';

export class ListenCalls {
  constructor(
    private readonly opts: WorkbenchServiceOptions,
    private readonly sessions: SessionStore,
  ) {}

  /** A recording through the cochlea front end and (with a session) its network, in a training process. */
  async listen(request: ListenRequest): Promise<ListenResult> {
    const problems = listenRequestErrors(request);
    if (problems.length) fail(problems, 'invalid listen request');
    const wav = new Uint8Array(Buffer.from(request.wav, 'base64'));
    let sessionPath: string | null = null;
    let sessionName = '';
    if (request.sessionId !== null) {
      sessionPath = this.sessions.pathOf(request.sessionId);
      if (!existsSync(sessionPath)) throw new WorkbenchError(`no session ${request.sessionId}`);
      sessionName = (await this.sessions.list()).find((s) => s.id === request.sessionId)?.name ?? request.sessionId;
    }
    const job = { type: 'listen' as const, wav, sessionPath, sessionName: sessionName || 'none', windowS: request.windowS ?? null };
    const answer = await runOneShotJob(this.opts.launch, job, 'listen').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    return answer.result;
  }

  /** DIR/train and DIR/test encoded into <dataDir>/encoded/<folder name>-train.h5 and -test.h5, in a training process. */
  async encodeFolder(dir: string): Promise<EncodedFolder> {
    const problems = checkCall('listen.encodeFolder', [dir]);
    if (!problems.ok) throw new WorkbenchError(problems.error, problems.fieldErrors);
    const folder = join(this.opts.dataDir, 'encoded');
    await mkdir(folder, { recursive: true });
    const name = basename(resolve(dir)).replace(/[^A-Za-z0-9_.-]/g, '_') || 'recordings';
    const answer = await runOneShotJob(this.opts.launch, { type: 'encodeFolder', dir: resolve(dir), outPrefix: join(folder, name) }, 'encodedFolder').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    return answer.encoded;
  }
}
