#!/usr/bin/env node
/**
 * The recipe check: every preset's short version, and the plain reference, on every development set with a
 * speaker-disjoint test (scripts/makeDevSets.sh), a few seeds each; the table of selected-epoch test accuracy
 * (mean ± std over seeds), epochs run and wall time goes into docs/recipes.md between its markers, so a recipe
 * change shows its effect on every set at once.
 *
 *   npm run recipe-check -- --sets DIR [--seeds 3] [--recipes reference,fast,…] [--parallel 2] [--no-docs | --doc FILE]
 *                           [--extra "--flag v …"] [--out-dir DIR]
 *
 * By default the recipes are reference, fast, adlif-shd-small, seed and shd (ssc's short version is known too but
 * not run by default: 2×720 for 30 epochs is hours on a laptop CPU).
 *
 * DIR holds one folder per set with train.h5 and test.h5. Each run is the built CLI's `train … --report R.json`,
 * one worker thread per run, `--parallel` runs at a time. The short versions: a preset's epochs are capped at
 * SHORT_EPOCHS (the presets that already run fewer keep theirs); `reference` is the issue's yardstick, the
 * reference's adLIF 1×128 (preset adlif-shd-small) for 30 epochs with no validation set, the last epoch.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const SHORT_EPOCHS = 30;
const RECIPES = {
  reference: { what: 'adLIF 1×128, 30 epochs, Adam 0.01, last epoch, no validation (the yardstick)', args: ['--preset', 'adlif-shd-small', '--epochs', '30', '--validation-fraction', '0'] },
  fast: { what: 'preset fast, as shipped', args: ['--preset', 'fast'] },
  'adlif-shd-small': { what: `preset adlif-shd-small`, args: ['--preset', 'adlif-shd-small'] },
  seed: { what: 'preset seed (LIF 1×128, 15 epochs)', args: ['--preset', 'seed'] },
  shd: { what: `preset shd, epochs capped at ${SHORT_EPOCHS}`, args: ['--preset', 'shd', '--epochs', String(SHORT_EPOCHS)] },
  ssc: { what: `preset ssc, epochs capped at ${SHORT_EPOCHS}`, args: ['--preset', 'ssc', '--epochs', String(SHORT_EPOCHS)] },
  'brf-shd': { what: 'preset brf-shd (BRF 1×128, 20 epochs)', args: ['--preset', 'brf-shd'] },
  'shd-delays': { what: `preset shd-delays (LIF 2×256, recurrent delays), epochs capped at ${SHORT_EPOCHS}`, args: ['--preset', 'shd-delays', '--epochs', String(SHORT_EPOCHS)] },
  // The same network and protocol with the delays off: what the delays add.
  'shd-delays-off': { what: `preset shd-delays with --rec-delay-max 0, epochs capped at ${SHORT_EPOCHS}`, args: ['--preset', 'shd-delays', '--epochs', String(SHORT_EPOCHS), '--rec-delay-max', '0'] },
};

function parse(argv) {
  const o = { sets: '', seeds: 3, recipes: ['reference', 'fast', 'adlif-shd-small', 'seed', 'shd'], parallel: 2, docs: true, build: true, doc: join(root, 'docs/recipes.md'), extra: [], outDir: join(root, 'out/recipe-check') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--sets') o.sets = v();
    else if (a === '--seeds') o.seeds = Number(v());
    else if (a === '--recipes') o.recipes = v().split(',');  // NAME or NAME:SEEDS (fewer seeds for a slow recipe)
    else if (a === '--parallel') o.parallel = Number(v());
    else if (a === '--no-docs') o.docs = false;
    else if (a === '--doc') o.doc = resolve(v());
    else if (a === '--no-build') o.build = false; // the test suite: its setup built out/node already
    else if (a === '--extra') o.extra = v().split(/\s+/).filter(Boolean);
    else if (a === '--out-dir') o.outDir = resolve(v());
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.sets) throw new Error('--sets DIR is needed (build it with scripts/makeDevSets.sh)');
  if (!Number.isInteger(o.seeds) || o.seeds < 1) throw new Error('--seeds must be an integer ≥ 1');
  if (!Number.isInteger(o.parallel) || o.parallel < 1) throw new Error('--parallel must be an integer ≥ 1');
  o.seedsOf = {};
  o.recipes = o.recipes.map((spec) => {
    const [r, n] = spec.split(':');
    if (!RECIPES[r]) throw new Error(`unknown recipe ${r} (known: ${Object.keys(RECIPES).join(', ')})`);
    if (n !== undefined && !(Number.isInteger(Number(n)) && Number(n) >= 1)) throw new Error(`${spec}: seeds must be an integer ≥ 1`);
    o.seedsOf[r] = n === undefined ? o.seeds : Number(n);
    return r;
  });
  return o;
}

/** The CLI bundle the runs use: a copy, so that a rebuild of out/node while the check runs (a test run) cannot mix builds. */
let build = '';

function run(args, log) {
  return new Promise((res, rej) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [join(build, 'cli.js'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      writeFileSync(log, err);
      if (code === 0) res((Date.now() - t0) / 1000);
      else rej(new Error(`train ${args.join(' ')} failed (${code}); see ${log}`));
    });
  });
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pct = (x) => (100 * x).toFixed(1);

async function main() {
  const o = parse(process.argv.slice(2));
  if (o.build) await new Promise((res, rej) => spawn(process.execPath, [join(root, 'scripts/buildNode.mjs')], { cwd: root, stdio: 'inherit' }).on('close', (c) => (c === 0 ? res() : rej(new Error('the build failed')))));
  const sets = readdirSync(o.sets).filter((d) => existsSync(join(o.sets, d, 'train.h5')) && existsSync(join(o.sets, d, 'test.h5'))).sort();
  if (sets.length === 0) throw new Error(`no set in ${o.sets} has train.h5 and test.h5`);
  mkdirSync(o.outDir, { recursive: true });
  // Inside the checkout, so the bundle's imports (h5wasm, …) resolve from its node_modules.
  build = join(root, 'out', `recipe-check-build-${process.pid}`);
  rmSync(build, { recursive: true, force: true });
  cpSync(join(root, 'out/node'), build, { recursive: true });
  const jobs = [];
  for (const recipe of o.recipes) for (const set of sets) for (let seed = 0; seed < o.seedsOf[recipe]; seed++) jobs.push({ recipe, set, seed });
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++];
      const base = join(o.outDir, `${j.set}-${j.recipe}-s${j.seed}`);
      const args = ['train', '--train', join(o.sets, j.set, 'train.h5'), '--test', join(o.sets, j.set, 'test.h5'), ...RECIPES[j.recipe].args, ...o.extra, '--seed', String(j.seed), '--workers', '1', '--out', `${base}.h5`, '--report', `${base}.json`];
      const wall = await run(args, `${base}.log`);
      const r = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
      results.push({ ...j, wall, acc: r.test_acc_selected, epochs: r.history.length, selected: r.selected_epoch, valSamples: r.validation?.validationSamples ?? 0, trainSamples: r.data?.train_samples, testSamples: r.data?.test_samples });
      console.error(`${j.set} ${j.recipe} seed ${j.seed}: ${pct(r.test_acc_selected)} % at epoch ${r.selected_epoch} of ${r.history.length}, ${wall.toFixed(0)} s`);
    }
  };
  try {
    await Promise.all(Array.from({ length: o.parallel }, worker));
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  const rows = [];
  for (const recipe of o.recipes) {
    const cells = sets.map((set) => {
      const rs = results.filter((r) => r.recipe === recipe && r.set === set);
      const accs = rs.map((r) => r.acc);
      const spread = accs.length > 1 ? ` ± ${pct(std(accs))}` : '';
      return `${pct(mean(accs))}${spread} (${mean(rs.map((r) => r.epochs)).toFixed(0)} ep, ${mean(rs.map((r) => r.wall)).toFixed(0)} s)`;
    });
    const n = o.seedsOf[recipe];
    rows.push(`| ${recipe}${n === o.seeds ? '' : ` (${n} seed${n === 1 ? '' : 's'})`} | ${RECIPES[recipe].what}${o.extra.length ? ` + \`${o.extra.join(' ')}\`` : ''} | ${cells.join(' | ')} |`);
  }
  const sizes = sets.map((set) => {
    const r = results.find((x) => x.set === set);
    return r?.trainSamples ? `${set} (${r.trainSamples} / ${r.testSamples})` : set;
  });
  const table = [
    `| recipe | what | ${sizes.join(' | ')} |`,
    `| --- | --- | ${sizes.map(() => '---').join(' | ')} |`,
    ...rows,
  ].join('\n');
  const recipeList = o.recipes.map((r) => (o.seedsOf[r] === o.seeds ? r : `${r}:${o.seedsOf[r]}`)).join(',');
  const stamp = `Test accuracy at the selected epoch, mean ± std over ${o.seeds} seed(s) (0…${o.seeds - 1}; fewer where a row says so), with the epochs run and the wall time per run (one worker thread, ${o.parallel} run(s) at a time; set (training / test samples)), made by \`npm run recipe-check -- --sets ${o.sets} --seeds ${o.seeds} --recipes ${recipeList}${o.extra.length ? ` --extra "${o.extra.join(' ')}"` : ''}\` on ${new Date().toISOString().slice(0, 10)}.`;
  console.log(`${stamp}\n\n${table}`);
  writeFileSync(join(o.outDir, 'results.json'), JSON.stringify(results, null, 1));
  if (o.docs) {
    const doc = o.doc;
    const text = readFileSync(doc, 'utf8');
    const begin = '<!-- recipe-check:begin -->';
    const end = '<!-- recipe-check:end -->';
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`${doc} has no ${begin} … ${end} markers`);
    const updated = `${text.slice(0, a + begin.length)}\n${stamp}\n\n${table}\n${text.slice(b)}`;
    writeFileSync(`${doc}.tmp`, updated);
    renameSync(`${doc}.tmp`, doc);
    console.error(`table written to ${doc}`);
  }
}

main().catch((e) => {
  console.error(`recipe-check: ${e.message}`);
  process.exit(2);
});
