/**
 * docs/cli.md is the CLI's own help (scripts/cliReference.mjs): regenerated here in memory from the bundled CLI
 * (test/globalSetup.ts builds it) and compared section by section, so a flag added, removed or reworded without
 * regenerating the page fails with the command's name and the command that fixes it.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commandTable';
// @ts-expect-error plain ESM script without type declarations
import { CLI_MD, cliReference, driftedParts, REGENERATE } from '../../scripts/cliReference.mjs';
import { CLI_BUNDLE } from '../nodeBundle';

interface Reference {
  markdown: string;
  sections: { name: string; text: string }[];
}

describe('docs/cli.md, the CLI reference', () => {
  let fresh: Reference;
  const committed = readFileSync(CLI_MD, 'utf8');

  beforeAll(() => {
    fresh = cliReference(CLI_BUNDLE) as Reference;
  }, 120_000);

  it('covers every command of src/cli/commandTable.ts, in its order', () => {
    expect(fresh.sections.map((s) => s.name)).toEqual(Object.keys(commands));
    for (const name of Object.keys(commands)) expect(committed).toContain(`\n## ${name}\n`);
  });

  it("matches every command's --help (regenerate it when a flag changes)", () => {
    const drifted: string[] = driftedParts(committed, fresh);
    expect(drifted, `docs/cli.md is out of date for: ${drifted.join(', ')}. Regenerate it: ${REGENERATE}`).toEqual([]);
  });

  it('names the command whose help changed', () => {
    // A flag reworded in train's help, as a change to src/cli/commands/train.ts would make it.
    const trainSection = fresh.sections.find((s) => s.name === 'train')!.text;
    const edited = fresh.markdown.replace(trainSection, trainSection.replace('--epochs N', '--epochs COUNT'));
    expect(edited).not.toBe(fresh.markdown);
    expect(driftedParts(edited, fresh)).toEqual(['train']);
    // A command missing from the page, and the page's header edited by hand.
    const infoSection = fresh.sections.find((s) => s.name === 'info')!.text;
    expect(driftedParts(fresh.markdown.replace(infoSection, ''), fresh)).toEqual(['info']);
    expect(driftedParts(fresh.markdown.replace('# Command-line reference', '# CLI'), fresh)).toEqual(['header']);
  });

  it('says nothing about the machine that made it', () => {
    expect(committed).not.toContain(process.env.HOME ?? '/nonexistent-home');
    expect(committed).toMatch(/default: the machine's cores/);
  });
});
