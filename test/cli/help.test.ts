import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../src/cli/commandTable';
import { BACKEND_PREFERENCES } from '../../src/shared/workbenchApi';

/** A command's --help text, run in this process. */
async function helpOf(name: string): Promise<string> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const command = await commands[name].load();
  const code = await command.run(['--help']);
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return stdout;
}

/** The option lines of a usage text that document `flag` (a line starting with it, after indentation). */
function optionLines(help: string, flag: string): string[] {
  return help.split('\n').filter((l) => new RegExp(`^\\s+${flag}\\b`).test(l));
}

afterEach(() => vi.restoreAllMocks());

describe('--help documents the flags each command parses', () => {
  it('evaluate documents --channels, which it accepts', async () => {
    expect(optionLines(await helpOf('evaluate'), '--channels')).toHaveLength(1);
  });

  it('bench documents --epochs once, with its own default of 3', async () => {
    const lines = optionLines(await helpOf('bench'), '--epochs');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\b3\b/);
    expect(lines[0]).not.toMatch(/\b15\b/);
  });
});

describe('--backend', () => {
  it('lists every backend, webgpu included, in the help of each command that takes it', async () => {
    expect(BACKEND_PREFERENCES).toContain('webgpu');
    for (const name of ['train', 'evaluate', 'bench']) {
      const lines = optionLines(await helpOf(name), '--backend');
      expect(lines, name).toHaveLength(1);
      expect(lines[0]).toContain(`--backend ${BACKEND_PREFERENCES.join('|')}`);
    }
  });
});

describe('the command table', () => {
  it('loads every command it lists, each with a summary', async () => {
    expect(Object.keys(commands).sort()).toEqual(['bench', 'data', 'encode', 'evaluate', 'export-nir', 'import-nir', 'info', 'sweep', 'train']);
    for (const entry of Object.values(commands)) {
      expect(entry.summary.length).toBeGreaterThan(10);
      expect(typeof (await entry.load()).run).toBe('function');
    }
  });

  it('describes train by the model family it trains, not as the one recurrent LIF network it began with', () => {
    expect(commands.train.summary).toMatch(/LIF or adaptive LIF layers \(recurrent or feed-forward\)/);
    expect(commands.train.summary).not.toMatch(/the recurrent LIF network/);
  });
});
