/**
 * Just enough Markdown for the docs tests: the pages (README.md and docs/), their headings as GitHub anchors,
 * and their relative links and images. Code (fenced blocks and `inline`) is left out, since a link written there
 * is text, not a link.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** README.md and every .md under docs/, as paths relative to the repository root, sorted. */
export function docPages(): string[] {
  const pages: string[] = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'docs'));
  return pages.sort();
}

export function readPage(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

/** The text with fenced code blocks blanked (line numbers kept) and inline code spans removed. */
export function withoutCode(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  return lines
    .map((line) => {
      const open = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fence === null && open) {
        fence = open[1];
        return '';
      }
      if (fence !== null) {
        if (line.trim().startsWith(fence)) fence = null;
        return '';
      }
      return line.replace(/(`+)[^`]*?\1/g, '');
    })
    .join('\n');
}

/**
 * GitHub's anchor for a heading: its text without markup, lower-case, punctuation dropped (letters, digits,
 * spaces, `-` and `_` stay), spaces turned into dashes. Repeats get -1, -2, … in order.
 */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a page's headings give (code blocks excluded: a `# comment` in a shell block is no heading). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const lines = text.split('\n');
  let fence: string | null = null;
  for (const line of lines) {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) fence = open[1];
    else if (fence !== null && line.trim().startsWith(fence)) fence = null;
    if (fence !== null || open) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const slug = headingSlug(h[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

export interface Link {
  line: number;
  image: boolean;
  target: string;
}

/** Links and images that point into the repository (not http:, https:, mailto:), with their line numbers. */
export function relativeLinks(text: string): Link[] {
  const links: Link[] = [];
  withoutCode(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(m[2])) links.push({ line: i + 1, image: m[1] === '!', target: m[2] });
      }
      for (const m of line.matchAll(/<img\s[^>]*src="([^"]+)"/g)) {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) links.push({ line: i + 1, image: true, target: m[1] });
      }
    });
  return links;
}
