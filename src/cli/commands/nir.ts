/**
 * `export-nir` and `import-nir`: a LIF-family session to a NIR graph file (Lava/Loihi 2, SpiNNaker2, Xylo,
 * snnTorch, Norse, Spyx read it) and such a graph back into a session (services/nir/ has the mapping and
 * where NIR's neuron differs from the engine's).
 */
import { existsSync } from 'node:fs';
import { binSpec } from '../../services/data/binning';
import { readSessionGuarded } from '../../services/sessions/guardedSessionRead';
import type { SpikeDataset } from '../../services/data/spikeDataset';
import { binDataset } from '../../services/engine/run/binnedDataset';
import type { Session } from '../../services/engine/model/modelState';
import { checkNir } from '../../services/nir/nirCheck';
import { NIR_RESET_ORDER_LABELS, type NirCheck } from '../../shared/workbenchApi';
import { readNir } from '../../services/nir/nirFile';
import { exportSessionNir, importNirSession } from '../../services/nir/nirSession';
import { writeSession } from '../../services/sessions/sessionWrite';
import { parseFlags, printJson, printUsage } from '../args';
import type { CliCommand } from '../cliCommand';
import { CliError } from '../cliError';
import { CONFIG_FLAGS, configOverrides } from '../configFlags';
import { CountProgress } from '../progressBar';
import { checkSessionData, loadEvalData } from '../trainingData';

const EXPORT_USAGE = `usage: npm run cli -- export-nir --session S.h5 --out MODEL.nir [--selected] [--check DATA [--check-samples N]] [--json]

Writes the session's network as a NIR graph (HDF5): Input → Linear → CubaLIF (⇄ Linear for recurrence) … →
Linear → CubaLI (the readout) → Output, with τ_syn = dt/(1−α), τ_mem = dt/(1−β), r = τ_mem/dt, w_in = τ_syn/dt,
v_leak = 0 (snnTorch's mapping). Channel pooling is folded into the first Linear. Learnable delays become
Delay nodes (on the recurrent cycle and on each layer's way up), rounded to whole steps as evaluation rounds
them, in seconds. adLIF sessions are refused: NIR has no adaptive neuron. --selected exports the selected epoch's weights (default: the last epoch's).

--check DATA      then runs the written file in a NIR simulator (forward Euler from NIR's definitions, not the
                  engine's code) on DATA (a file, or shd/ssc/demo as for evaluate) in both reset orders and
                  prints how many predictions equal the engine's: "delayed" (the spike read from the membrane a
                  step starts with, the reset in place of that step's integration: the engine's order and
                  snnTorch's default) and "immediate" (reset as soon as the new membrane crosses: Norse, Lava,
                  snnTorch's NIR import). The first tells the file is right; the second what a backend of that
                  order will make of the network.
--check-samples N the first N samples of DATA only (default: all).`;

const IMPORT_USAGE = `usage: npm run cli -- import-nir MODEL.nir --out S.h5 [model options for what NIR does not carry] [--json]

Reads a NIR graph of the shape export-nir writes (CubaLIF layers, optional recurrent Linear, a CubaLI readout)
into a session of zero epochs: evaluate it, or train it further with train --resume. The time step comes from
w_in = τ_syn/dt; T, max time, binning and the readout's decoding are not in NIR: give --nb-steps, --max-time,
--bins, --readout as for train (defaults otherwise).`;

export const exportNirCommand: CliCommand = {
  async run(argv) {
    const { values } = parseFlags(argv, {
      session: { type: 'string' },
      out: { type: 'string' },
      selected: { type: 'boolean' },
      check: { type: 'string' },
      'check-samples': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return printUsage(EXPORT_USAGE);
    if (!values.session || !values.out) throw new CliError(`--session and --out are required\n\n${EXPORT_USAGE}`, 2);
    const limit = values['check-samples'] === undefined ? undefined : Number(values['check-samples']);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new CliError(`--check-samples must be a positive integer (got ${values['check-samples']})`, 2);
    if (limit !== undefined && !values.check) throw new CliError('--check-samples needs --check DATA', 2);
    const session = await readSessionGuarded(values.session);
    let r;
    try {
      r = await exportSessionNir(session, values.out, values.selected ? 'selected' : 'last');
    } catch (err) {
      throw new CliError(`${values.session}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const check = values.check ? await checkExport(values.out, values.session, session, values.selected ? 'selected' : 'last', values.check, values['data-dir'], limit) : undefined;
    if (values.json) {
      printJson({ out: values.out, ...r, ...(check ? { check } : {}) });
      return 0;
    }
    process.stdout.write(`wrote ${values.out}: ${r.nodes} nodes, ${r.edges} edges\n`);
    if (check) {
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
      process.stdout.write(
        [
          `checked on ${check.samples} samples of ${check.dataset} (the engine: ${pct(check.engineAccuracy)} correct); the graph, simulated with`,
          ...check.orders.map((o) => `  ${NIR_RESET_ORDER_LABELS[o.order].padEnd(58)} ${pct(o.agreement).padStart(7)} of predictions as the engine's, ${pct(o.accuracy)} correct`),
        ].join('\n') + '\n',
      );
    }
    return 0;
  },
};

/** The written file (read back, as a backend would) simulated on DATA next to the engine's predictions. */
async function checkExport(file: string, sessionFile: string, session: Session, which: 'last' | 'selected', data: string, dataDir: string | undefined, samples: number | undefined): Promise<NirCheck> {
  const params = which === 'selected' ? session.selected!.params : session.params;
  const { data: ds } = await loadEvalData(data, dataDir, session.params.shape.channels);
  checkSessionData(sessionFile, session, ds);
  const progress = new CountProgress(process.stderr, 'checking');
  try {
    return await checkNir(await readNir(file), params, session.config, binDataset(ds as SpikeDataset, binSpec(session.config)), { samples, onProgress: (d, t) => progress.update(d, t, data) });
  } catch (err) {
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    progress.clear();
  }
}

export const importNirCommand: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...CONFIG_FLAGS, out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true);
    if (values.help) return printUsage(IMPORT_USAGE);
    const file = positionals[0];
    if (!file || !values.out) throw new CliError(`MODEL.nir and --out are required\n\n${IMPORT_USAGE}`, 2);
    if (!existsSync(file)) throw new CliError(`${file}: no such file`, 2);
    let session;
    try {
      session = await importNirSession(file, configOverrides(values));
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err));
    }
    await writeSession(values.out, session);
    const layers = session.params.shape.layers.map((l) => `${l.size}${l.recurrent ? 'r' : ''}`).join('-');
    if (values.json) printJson({ out: values.out, layers: session.config.layers, pool: session.config.pool, dtS: session.config.dtS });
    else process.stdout.write(`wrote ${values.out}: lif ${session.params.shape.channels}-${layers}-${session.params.shape.classes}, pool ${session.config.pool}, dt ${session.config.dtS} s\n`);
    return 0;
  },
};
