/**
 * train's config parser as the shared module gives it (the CLI's wrapper, with its exit codes and help, is tested in
 * test/cli/configFlags.test.ts): each problem names the flag it belongs to, which the Sweeps preview needs to mark a
 * cell, and `--config FILE` is read through the caller's function.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/shared/config';
import { baseConfig, ConfigFlagError, configFromFlags, type FlagProblem } from '../../src/shared/configFlags';

function problemsOf(values: Record<string, unknown>): FlagProblem[] {
  try {
    configFromFlags(values);
  } catch (err) {
    if (err instanceof ConfigFlagError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigFlagError');
}

describe('shared config flags', () => {
  it('names the flag of every problem, without its dashes', () => {
    expect(problemsOf({ 'tau-mem': '20' })).toEqual([{ flag: 'tau-mem', message: '--tau-mem must be a number > 0 and ≤ 10 (got 20)' }]);
    expect(problemsOf({ hidden: '0' })).toEqual([{ flag: 'hidden', message: '--hidden: layer 1 size must be an integer ≥ 1 and ≤ 4096 (got 0)' }]);
    expect(problemsOf({ lr: 'fast' })).toEqual([{ flag: 'lr', message: '--lr must be a number (got "fast")' }]);
    expect(problemsOf({ 'learn-tau': true, 'no-learn-tau': true })).toEqual([{ flag: 'learn-tau', message: 'give --learn-tau or --no-learn-tau, not both' }]);
    expect(problemsOf({ 'aug-delete': '2' })).toEqual([{ flag: 'aug-delete', message: '--aug-delete must be a number ≥ 0 and < 1 (got 2)' }]);
    expect(problemsOf({ preset: 'nope' })[0]).toMatchObject({ flag: 'preset', message: expect.stringMatching(/^--preset "nope" is not a preset; known presets: /) });
    // Two problems, one line each in the message.
    const two = new ConfigFlagError(problemsOf({ 'tau-mem': '20', epochs: '0' }));
    expect(two.problems.map((p) => p.flag)).toEqual(['epochs', 'tau-mem']);
    expect(two.message.split('\n')).toHaveLength(2);
  });

  it('reads --config from JSON text, or from a file through the given reader', () => {
    const json = JSON.stringify({ ...DEFAULT_CONFIG, epochs: 7 });
    expect(baseConfig({ config: json }, () => { throw new Error('not a file'); }).epochs).toBe(7);
    const read: string[] = [];
    expect(baseConfig({ config: '/cfg.json' }, (p) => (read.push(p), json)).epochs).toBe(7);
    expect(read).toEqual(['/cfg.json']);
    expect(baseConfig({}, () => '')).toEqual(DEFAULT_CONFIG);
    expect(() => baseConfig({ config: '{"epochs": 0' }, () => '')).toThrow(/^--config: the JSON is not a readable JSON config/);
  });
});
