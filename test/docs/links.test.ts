/**
 * The docs hold together: every relative link and image in README.md and docs/ reaches a file (and a heading,
 * when it names one), every picture in docs/images is shown somewhere, the README stays a door (≤ 250 lines),
 * and the user guide has a page for every tab of the app, linked from the README's tour in the tabs' order.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, docPages, headingSlug, readPage, relativeLinks, ROOT } from './markdown';

const README_MAX_LINES = 250;
const pages = docPages();

/** Where a link points: the file (the page itself for "#anchor") and the anchor, if any. */
function resolveLink(page: string, target: string): { file: string; anchor: string | null } {
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
  return { file: path ? resolve(dirname(join(ROOT, page)), decodeURIComponent(path)) : join(ROOT, page), anchor };
}

/** The tabs of the app, in order, as lib/tabs.ts declares them ({ id: '…', label: '…' }). */
function appTabs(): { id: string; label: string }[] {
  const source = readFileSync(join(ROOT, 'src/renderer/src/lib/tabs.ts'), 'utf8');
  const tabs = [...source.matchAll(/\{\s*id:\s*'([^']+)',\s*label:\s*'([^']+)'\s*\}/g)].map((m) => ({ id: m[1], label: m[2] }));
  if (tabs.length === 0) throw new Error('found no tabs in src/renderer/src/lib/tabs.ts (expected { id: …, label: … } entries)');
  return tabs;
}

describe('the markdown reader these tests use', () => {
  it("gives GitHub's anchors", () => {
    expect(headingSlug('Reliability and security')).toBe('reliability-and-security');
    expect(headingSlug('`export-nir`')).toBe('export-nir');
    expect(headingSlug('Files of any size (SSC)')).toBe('files-of-any-size-ssc');
    expect(headingSlug('Data & model')).toBe('data--model');
    expect(headingSlug('τ in the form: ms, in files: s')).toBe('τ-in-the-form-ms-in-files-s');
    expect([...anchors('# A\n## A\n```sh\n# not a heading\n```\n### [Link](x.md) b')]).toEqual(['a', 'a-1', 'link-b']);
  });

  it('finds links and images outside code only', () => {
    const text = 'see [a](a.md#x) and ![p](img/p.png)\n`[no](no.md)`\n```\n[no](no.md)\n```\n[web](https://x.org) <img src="i.png">';
    expect(relativeLinks(text)).toEqual([
      { line: 1, image: false, target: 'a.md#x' },
      { line: 1, image: true, target: 'img/p.png' },
      { line: 6, image: true, target: 'i.png' },
    ]);
  });
});

describe('README.md and docs/', () => {
  it(`README.md is a door, not a manual: at most ${README_MAX_LINES} lines`, () => {
    const lines = readPage('README.md').trimEnd().split('\n').length;
    expect(lines, `README.md has ${lines} lines; move detail into docs/`).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('has the pages the README links to', () => {
    expect(pages).toContain('docs/cli.md');
    expect(pages.filter((p) => p.startsWith('docs/')).length).toBeGreaterThan(5);
  });

  it.each(pages)('%s: every relative link and image reaches a file inside the repository, and a heading when it names one', (page) => {
    const problems: string[] = [];
    for (const link of relativeLinks(readPage(page))) {
      const where = `${page}:${link.line}: ${link.target}`;
      const { file, anchor } = resolveLink(page, link.target);
      if (relative(ROOT, file).split(sep)[0] === '..') problems.push(`${where} points outside the repository`);
      else if (!existsSync(file)) problems.push(`${where}: no such file ${relative(ROOT, file)}`);
      else if (link.image && !/\.(png|svg|jpe?g|gif)$/i.test(file)) problems.push(`${where}: an image that is not a picture`);
      else if (link.image && statSync(file).size === 0) problems.push(`${where}: an empty picture`);
      else if (anchor !== null && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        problems.push(`${where}: ${relative(ROOT, file)} has no heading with the anchor #${anchor}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows every picture in docs/images on some page', () => {
    const shown = new Set<string>();
    for (const page of pages) for (const link of relativeLinks(readPage(page))) if (link.image) shown.add(resolveLink(page, link.target).file);
    const images = readdirSync(join(ROOT, 'docs/images')).map((f) => join(ROOT, 'docs/images', f));
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter((f) => !shown.has(f)).map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('has a guide page for every tab of the app, each with a picture, linked from the README in the tabs\' order', () => {
    const tabs = appTabs();
    const guide = pages.filter((p) => p.startsWith('docs/guide/'));
    const titles = new Map(guide.map((p) => [/^# (.*)$/m.exec(readPage(p))?.[1] ?? '', p]));
    const readmeGuideLinks = relativeLinks(readPage('README.md'))
      .map((l) => relative(ROOT, resolveLink('README.md', l.target).file))
      .filter((p) => p.startsWith(join('docs', 'guide')));
    const expected: string[] = [];
    for (const tab of tabs) {
      const page = titles.get(tab.label);
      expect(page, `no page in docs/guide/ has the title "# ${tab.label}" (the tab "${tab.id}" of lib/tabs.ts)`).toBeDefined();
      expect(relativeLinks(readPage(page!)).some((l) => l.image), `${page} shows no picture of its tab`).toBe(true);
      expected.push(page!);
    }
    // The tour names each tab once, in the order the app shows them (other links to the guide may follow).
    expect(readmeGuideLinks.slice(0, tabs.length)).toEqual(expected);
  });
});
