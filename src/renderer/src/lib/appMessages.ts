/** The window's message list: errors from calls and from the services' events, each shown once until cleared. */

/** The line to show for a thrown value. */
export function messageText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `shown` with `e`'s line added, or null when that line is already shown (a repeated failure is one line). */
export function withMessage(shown: readonly string[], e: unknown): string[] | null {
  const message = messageText(e);
  return shown.includes(message) ? null : [...shown, message];
}
