/**
 * The import graph of the sources and the two checks run over it: layer rules (which folder may import which) and
 * import cycles. Pure functions over a map of repo-relative path → source text, so the layering test can run them
 * on the real `src/` and on a few in-memory files with a known violation and a known cycle (proof it can fail).
 *
 * Imports are read with the TypeScript parser, not regexes, so a doc comment that shows an import is not one.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

/**
 * How an import is used at runtime:
 * - `value`: loaded when the importer loads (`import … from`, `export … from`, `import {type A} from` too — with
 *   verbatimModuleSyntax that one stays as `import {} from`, a real load);
 * - `type`: erased by the compiler (`import type`, `export type … from`, `typeof import('…')`);
 * - `dynamic`: `import('…')`, loaded later, on demand;
 * - `worker`: a file started as a worker or child process (`new URL('./x', import.meta.url)`,
 *   `findWorkerEntry('x', import.meta.url)`): it runs in a module graph of its own.
 */
export type ImportKind = 'value' | 'type' | 'dynamic' | 'worker';

export interface ImportEdge {
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** The resolved repo-relative path for a relative specifier; undefined for a package or a built-in. */
  to?: string;
  kind: ImportKind;
}

/** One layer rule, VS Code's `code-layering` style: files under `layer` may import only what `allow` names. */
export interface LayerRule {
  /** A folder (repo-relative); the most specific rule that contains a file applies. */
  layer: string;
  /** Folders or files (repo-relative) whose contents the layer may import. */
  allow: string[];
  /** Folders inside `allow` that are still refused (data never imports the engine). */
  deny?: string[];
  /** Which packages the layer may import: none at all, none of Node's built-ins or Electron, or any. */
  packages: 'none' | 'no-node-no-electron' | 'no-electron' | 'any';
  /** Why, printed with each violation. */
  why: string;
}

export interface Violation {
  from: string;
  imported: string;
  rule: string;
}

/** `<script>` blocks of a Svelte component (module and instance), joined; markup never imports. */
export function svelteScripts(source: string): string {
  return [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

const NODE_BUILTINS = new Set(builtinModules);

export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
}

function isElectron(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/') || specifier.startsWith('electron-');
}

/** The text of a string literal or a template with placeholders dropped (`./entry${ext}` → `./entry`). */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => s.literal.text).join('');
  return undefined;
}

function isImportMetaUrl(node: ts.Node | undefined): boolean {
  return (
    node !== undefined &&
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

/** Every import of one file, unresolved: specifier and kind. */
export function extractImports(path: string, source: string): { specifier: string; kind: ImportKind }[] {
  const text = path.endsWith('.svelte') ? svelteScripts(source) : source;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { specifier: string; kind: ImportKind }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, kind: node.importClause?.isTypeOnly ? 'type' : 'value' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type' : 'value' });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const spec = literalText(node.moduleReference.expression);
      if (spec !== undefined) found.push({ specifier: spec, kind: node.isTypeOnly ? 'type' : 'value' });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, kind: 'type' });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 0) {
      // import(variable) names no file here (a package probed at runtime); only literals are edges.
      const spec = literalText(node.arguments[0]);
      if (spec !== undefined) found.push({ specifier: spec, kind: 'dynamic' });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [target, base] = node.arguments ?? [];
      const spec = target && literalText(target);
      if (spec !== undefined && isImportMetaUrl(base) && spec.startsWith('.')) found.push({ specifier: spec, kind: 'worker' });
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'findWorkerEntry') {
      // src/services/workerThread.ts: findWorkerEntry('name', import.meta.url) starts ./name beside the caller.
      const [name, base] = node.arguments;
      const spec = name && literalText(name);
      if (spec !== undefined && isImportMetaUrl(base)) found.push({ specifier: `./${spec}`, kind: 'worker' });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * A relative specifier resolved the way the bundler resolves it: the file itself, `.ts`, `.js` written for a
 * `.ts`, then `index.ts`. A path none of those finds comes back as written (normalised), so an import of a file
 * outside the map (the project's package.json) still has a path to judge.
 */
export function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`];
  return candidates.find((c) => files.has(c)) ?? base;
}

export function importGraph(sources: ReadonlyMap<string, string>): ImportEdge[] {
  const files = new Set(sources.keys());
  return [...sources].flatMap(([from, source]) =>
    extractImports(from, source).map((imp) => ({ from, ...imp, to: resolveSpecifier(from, imp.specifier, files) })),
  );
}

function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** The most specific rule whose layer holds `path`. */
export function ruleFor(path: string, rules: readonly LayerRule[]): LayerRule | undefined {
  return rules.filter((r) => within(path, r.layer)).sort((a, b) => b.layer.length - a.layer.length)[0];
}

/** Every edge that points the wrong way; `allowList` entries (`from -> imported`) are known exceptions. */
export function layerViolations(
  edges: readonly ImportEdge[],
  rules: readonly LayerRule[],
  allowList: ReadonlySet<string> = new Set(),
): Violation[] {
  const out: Violation[] = [];
  for (const e of edges) {
    const rule = ruleFor(e.from, rules);
    const imported = e.to ?? e.specifier;
    if (allowList.has(`${e.from} -> ${imported}`)) continue;
    if (!rule) {
      out.push({ from: e.from, imported, rule: 'the file is in no layer: add its folder to the layer table' });
      continue;
    }
    const name = `${rule.layer}: ${rule.why}`;
    if (e.to === undefined) {
      const refused =
        rule.packages === 'none' ||
        (rule.packages === 'no-node-no-electron' && (isNodeBuiltin(e.specifier) || isElectron(e.specifier))) ||
        (rule.packages === 'no-electron' && isElectron(e.specifier));
      if (refused) out.push({ from: e.from, imported, rule: name });
    } else if (!rule.allow.some((a) => within(e.to!, a)) || (rule.deny ?? []).some((d) => within(e.to!, d))) {
      out.push({ from: e.from, imported, rule: name });
    }
  }
  return out;
}

/**
 * The import cycles among the files: the strongly connected components (Tarjan), and in each the shortest chain
 * from each of its files back to itself, each printed once. Edges of the kinds in `kinds` count; the rest (a
 * worker runs in a module graph of its own) do not.
 */
export function importCycles(edges: readonly ImportEdge[], kinds: readonly ImportKind[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.to === undefined || !kinds.includes(e.kind)) continue;
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)!.add(e.to);
  }
  const nodes = [...next.keys()].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(next.get(v) ?? [])].sort()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)?.has(v)) components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) connect(v);
  // Within one component, the shortest cycle through each of its files, each cycle once (rotated to start at its
  // first file by name): every circle a fix has to break, not just one per component.
  const cycles = new Map<string, string[]>();
  for (const component of components) {
    const members = new Set(component);
    for (const start of component) {
      const chain = shortestCycle(start, members, next).slice(0, -1);
      const first = chain.indexOf([...chain].sort()[0]);
      const rotated = [...chain.slice(first), ...chain.slice(0, first)];
      cycles.set(rotated.join(' '), [...rotated, rotated[0]]);
    }
  }
  return [...cycles.values()].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

/** Breadth-first from `start` back to itself inside one component: the chain, start repeated at the end. */
function shortestCycle(start: string, component: ReadonlySet<string>, next: ReadonlyMap<string, Set<string>>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(next.get(v) ?? [])].sort()) {
      if (!component.has(w)) continue;
      if (w === start) {
        const back = [v];
        while (back[back.length - 1] !== start) back.push(parent.get(back[back.length - 1])!);
        return [...back.reverse(), start];
      }
      if (!parent.has(w) && w !== start) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
