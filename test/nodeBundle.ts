/** Paths of the plain-Node bundles built by test/globalSetup.ts (scripts/buildNode.mjs). */
import { resolve } from 'node:path';

const OUT = resolve(import.meta.dirname, '../out/node');

export const CLI_BUNDLE = resolve(OUT, 'cli.js');
export const SERVE_BUNDLE = resolve(OUT, 'serve.js');
export const TRAINING_ENTRY_BUNDLE = resolve(OUT, 'trainingProcessEntry.js');
