import { describe, expect, it } from 'vitest';
import { messageText, withMessage } from '../../../../src/renderer/src/lib/appMessages';

describe('the message list', () => {
  it("shows an error's message, anything else as text", () => {
    expect(messageText(new Error('disk full'))).toBe('disk full');
    expect(messageText('training: stopped')).toBe('training: stopped');
    expect(messageText(42)).toBe('42');
  });

  it('adds a new line at the end and a repeated one not at all', () => {
    const shown = ['first'];
    expect(withMessage(shown, new Error('second'))).toEqual(['first', 'second']);
    expect(shown).toEqual(['first']);
    expect(withMessage(shown, 'first')).toBeNull();
    expect(withMessage([], new Error('first'))).toEqual(['first']);
  });
});
