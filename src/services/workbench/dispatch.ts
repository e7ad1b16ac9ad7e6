/**
 * Turns one untrusted call (method name + argument list, from IPC or HTTP) into a {@link CallReply}:
 * validated with `checkCall`, run against the API, every failure caught. Nothing a caller sends can throw
 * out of here, so a bad payload never crashes main or the server.
 */
import { errorReply, okReply, type CallReply } from '../../shared/ipc/callReply';
import type { MethodName } from '../../shared/ipc/channels';
import { checkCall } from '../../shared/ipc/checkCall';
import { WorkbenchError, type WorkbenchApi } from '../../shared/workbenchApi';

type AnyFn = (...args: unknown[]) => Promise<unknown>;

function methodOf(api: WorkbenchApi, method: MethodName): AnyFn {
  const [group, name] = method.split('.') as [string, string | undefined];
  const owner = name === undefined ? (api as unknown as Record<string, unknown>) : (api as unknown as Record<string, Record<string, unknown>>)[group];
  return (owner[name ?? group] as AnyFn).bind(owner);
}

export type CallOutcome = { reply: CallReply; status: 'ok' | 'refused' | 'failed' };

/** `refused`: the payload was invalid (HTTP 400); `failed`: a valid call that could not be done (still an error reply). */
export async function dispatchCall(api: WorkbenchApi, method: unknown, args: unknown): Promise<CallOutcome> {
  const checked = checkCall(method, args);
  if (!checked.ok) return { reply: errorReply(checked.error, checked.fieldErrors), status: 'refused' };
  try {
    return { reply: okReply(await methodOf(api, checked.method)(...checked.args)), status: 'ok' };
  } catch (err) {
    if (err instanceof WorkbenchError) return { reply: errorReply(err.message, err.fieldErrors), status: 'failed' };
    return { reply: errorReply(err instanceof Error ? err.message : String(err)), status: 'failed' };
  }
}
