/** Builds the plain-Node bundles (out/node) once per test run: the CLI and serve tests spawn what users run. */
// @ts-expect-error plain ESM build script without type declarations
import { buildNode } from '../scripts/buildNode.mjs';

export default async function setup(): Promise<void> {
  await buildNode();
}
