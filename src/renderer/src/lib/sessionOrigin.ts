/** How the Sessions tab describes where a session opened from a file came from. */
import type { SessionOrigin } from '../../../shared/workbenchApi';
import { formatDate } from './format';

/** "/home/me/runs/a.h5, opened 2026-01-02 10:00" or "a.h5 (uploaded), opened …". */
export function originText(origin: SessionOrigin): string {
  return `${origin.path ?? `${origin.fileName} (uploaded)`}, opened ${formatDate(origin.importedAt)}`;
}
