/**
 * Imports point downward only (docs: shared/ARCHITECTURE.md, "Layers"): shared ← services ← adapters ← renderer,
 * and the data services never import the engine. Like VS Code's `code-layering` rule (eslint.config.js, "do not
 * relax"), the layers are a table and every import of every file under src/ is judged against it; a second check
 * refuses import cycles. Each failure is one line naming the importing file, the imported file and the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, layerViolations, type ImportKind, type LayerRule, type Violation } from './importGraph';

const ROOT = join(import.meta.dirname, '..', '..');

const SERVICES_AND_SHARED = ['src/shared', 'src/services'];

/**
 * The layers. A file obeys the most specific rule whose folder holds it. `allow`: what it may import (relative
 * imports, resolved); `deny`: folders refused inside those; `packages`: which npm packages and Node built-ins.
 */
const LAYERS: readonly LayerRule[] = [
  {
    layer: 'src/shared',
    allow: ['src/shared'],
    packages: 'none',
    why: 'the contract is plain TypeScript: it imports only src/shared (no Node, no DOM, no package)',
  },
  {
    layer: 'src/services',
    // package.json: a session records the app's version (sessions/sessionMeta.ts).
    allow: [...SERVICES_AND_SHARED, 'package.json'],
    packages: 'no-electron',
    why: 'services are Electron-free Node: they import src/shared and src/services only, never an adapter or the renderer',
  },
  {
    layer: 'src/services/data',
    allow: SERVICES_AND_SHARED,
    deny: ['src/services/engine'],
    packages: 'no-electron',
    why: 'the data services never import the engine (the engine reads data, not the other way round)',
  },
  { layer: 'src/cli', allow: [...SERVICES_AND_SHARED, 'src/cli'], packages: 'any', why: 'an adapter imports shared, services and itself, never another adapter or the renderer' },
  { layer: 'src/main', allow: [...SERVICES_AND_SHARED, 'src/main'], packages: 'any', why: 'an adapter imports shared, services and itself, never another adapter or the renderer' },
  { layer: 'src/serve', allow: [...SERVICES_AND_SHARED, 'src/serve'], packages: 'any', why: 'an adapter imports shared, services and itself, never another adapter or the renderer' },
  { layer: 'src/preload', allow: ['src/shared', 'src/preload'], packages: 'any', why: 'the preload bridges IPC: it imports shared and itself, never a service, another adapter or the renderer' },
  {
    layer: 'src/renderer',
    allow: ['src/renderer', 'src/shared'],
    packages: 'no-node-no-electron',
    why: 'the renderer speaks only the contract: it imports src/renderer and src/shared, never a service, an adapter, Node or Electron',
  },
];

/**
 * Known exceptions, `importing -> imported`, each with its reason. Empty: every import obeys the table. An entry
 * here is a debt to pay, not a relaxation of the rule.
 */
const ALLOWED: ReadonlySet<string> = new Set<string>([]);

/**
 * Every kind of import counts for cycles, `import type` too: none is needed today, and a type-only circle is
 * still two files that cannot be understood apart. Not worker entries: a worker runs in a module graph of its own.
 */
const CYCLE_KINDS: readonly ImportKind[] = ['value', 'type', 'dynamic'];

function sourcesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|svelte)$/.test(e.name)) files.set(relative(ROOT, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(join(ROOT, dir));
  return files;
}

const lines = (vs: Violation[]) => vs.map((v) => `${v.from} imports ${v.imported}: ${v.rule}`);
const chains = (cycles: string[][]) => cycles.map((c) => c.join(' -> '));

describe('layering of src/', () => {
  const sources = sourcesUnder('src');
  const edges = importGraph(sources);

  it('reads every source file and its imports', () => {
    // Sanity: a walk or a parser that found nothing would make the checks below pass vacuously.
    expect(sources.size).toBeGreaterThan(200);
    expect([...sources.keys()].some((p) => p.endsWith('.svelte'))).toBe(true);
    expect(edges.length).toBeGreaterThan(sources.size);
    const has = (from: string, to: string, kind: ImportKind) => edges.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(has('src/services/engine/run/startRunner.ts', 'src/services/engine/run/workerPool.ts', 'dynamic')).toBe(true);
    expect(has('src/services/engine/run/workerPool.ts', 'src/services/engine/run/batchWorker.ts', 'worker')).toBe(true);
    expect(has('src/services/workbench/nodeForkLauncher.ts', 'src/services/workbench/trainingProcessEntry.ts', 'worker')).toBe(true);
    expect(has('src/renderer/src/main.ts', 'src/renderer/src/App.svelte', 'value')).toBe(true);
  });

  it('has every import point the allowed way', () => {
    expect(lines(layerViolations(edges, LAYERS, ALLOWED))).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(chains(importCycles(edges, CYCLE_KINDS))).toEqual([]);
  });

  it('keeps no stale exception', () => {
    const all = new Set(edges.map((e) => `${e.from} -> ${e.to ?? e.specifier}`));
    expect([...ALLOWED].filter((entry) => !all.has(entry))).toEqual([]);
  });
});

describe('the layering checker', () => {
  // Fake files with known faults: the checks above can fail.
  const fakes = new Map<string, string>([
    ['src/shared/contract.ts', `import { readFileSync } from 'node:fs';\nimport type { Service } from '../services/data/service';\nexport const x = 1;`],
    ['src/services/data/service.ts', `import { x } from '../../shared/contract';\nexport type Service = typeof x;\nexport const load = () => import('../engine/trainer');`],
    ['src/services/engine/trainer.ts', `/** a comment: import { no } from '../../renderer/src/App.svelte' */\nimport { a } from './a';\nexport { a };`],
    ['src/services/engine/a.ts', `import type { b } from './b';\nexport const a = 1;`],
    ['src/services/engine/b.ts', `export { a as b } from './a';\nconst w = new URL('./worker.ts', import.meta.url);`],
    ['src/services/engine/worker.ts', `import { b } from './b';`],
    ['src/renderer/src/View.svelte', `<script lang="ts">\n  import { load } from '../../services/data/service';\n  import Panel from './Panel.svelte';\n</script>\n<p>import x from 'nowhere'</p>`],
    ['src/renderer/src/Panel.svelte', `<script lang="ts">\n  import { x } from '../../shared/contract';\n</script>`],
    ['src/tools/stray.ts', `export {};`],
    ['src/tools/user.ts', `import './stray';`],
  ]);
  const fakeEdges = importGraph(fakes);

  it('names each wrong-way import with its file, the imported file and the rule', () => {
    const found = layerViolations(fakeEdges, LAYERS).map((v) => `${v.from} imports ${v.imported}`);
    expect(found).toEqual([
      'src/shared/contract.ts imports node:fs',
      'src/shared/contract.ts imports src/services/data/service.ts',
      'src/services/data/service.ts imports src/services/engine/trainer.ts',
      'src/renderer/src/View.svelte imports src/services/data/service.ts',
      'src/tools/user.ts imports src/tools/stray.ts',
    ]);
    const rule = layerViolations(fakeEdges, LAYERS).find((v) => v.from === 'src/services/data/service.ts')!.rule;
    expect(rule).toBe('src/services/data: the data services never import the engine (the engine reads data, not the other way round)');
  });

  it('honours an explicit exception, and only that one', () => {
    const allowed = new Set(['src/shared/contract.ts -> node:fs']);
    expect(layerViolations(fakeEdges, LAYERS, allowed).map((v) => v.imported)).not.toContain('node:fs');
    expect(layerViolations(fakeEdges, LAYERS, allowed)).toHaveLength(4);
  });

  it('prints each cycle as a chain of files, type-only and dynamic imports included, workers not', () => {
    expect(chains(importCycles(fakeEdges, CYCLE_KINDS))).toEqual([
      'src/services/data/service.ts -> src/shared/contract.ts -> src/services/data/service.ts',
      'src/services/engine/a.ts -> src/services/engine/b.ts -> src/services/engine/a.ts',
    ]);
    // Without type-only imports both circles are open; the worker's import of b.ts never closes one.
    expect(chains(importCycles(fakeEdges, ['value', 'dynamic']))).toEqual([]);
  });

  it('finds every circle through a file, not one per tangle', () => {
    const tangle = new Map([
      ['src/shared/hub.ts', `import './x';\nimport './y';`],
      ['src/shared/x.ts', `import './hub';`],
      ['src/shared/y.ts', `import './hub';`],
    ]);
    expect(chains(importCycles(importGraph(tangle), CYCLE_KINDS))).toEqual([
      'src/shared/hub.ts -> src/shared/x.ts -> src/shared/hub.ts',
      'src/shared/hub.ts -> src/shared/y.ts -> src/shared/hub.ts',
    ]);
  });
});
