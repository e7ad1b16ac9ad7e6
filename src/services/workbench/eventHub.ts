/** The workbench's subscribers (windows, serve-mode streams, tests) and the one way events reach them. */
import type { WorkbenchEvent } from '../../shared/workbenchApi';

export class EventHub {
  private readonly listeners = new Set<(event: WorkbenchEvent) => void>();

  onEvent(listener: (event: WorkbenchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: WorkbenchEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed window, a dropped stream) must not starve the others.
      }
    }
  }
}
