/**
 * `export-nir` and `import-nir`: a LIF-family session to a NIR graph file (Lava/Loihi 2, SpiNNaker2, Xylo,
 * snnTorch, Norse, Spyx read it) and such a graph back into a session (services/nir/ has the mapping and
 * where NIR's neuron differs from the engine's).
 */
import { existsSync } from 'node:fs';
import { readSessionGuarded } from '../../services/data/fileGuard';
import { exportSessionNir, importNirSession } from '../../services/nir/nirSession';
import { writeSession } from '../../services/sessions/sessionFile';
import { parseFlags, printJson, printUsage } from '../args';
import type { CliCommand } from '../cliCommand';
import { CliError } from '../cliError';
import { CONFIG_FLAGS, configOverrides } from '../configFlags';

const EXPORT_USAGE = `usage: npm run cli -- export-nir --session S.h5 --out MODEL.nir [--selected] [--json]

Writes the session's network as a NIR graph (HDF5): Input → Linear → CubaLIF (⇄ Linear for recurrence) … →
Linear → CubaLI (the readout) → Output, with τ_syn = dt/(1−α), τ_mem = dt/(1−β), r = τ_mem/dt, w_in = τ_syn/dt,
v_leak = 0 (snnTorch's mapping). Channel pooling is folded into the first Linear. adLIF sessions are refused:
NIR has no adaptive neuron. --selected exports the selected epoch's weights (default: the last epoch's).`;

const IMPORT_USAGE = `usage: npm run cli -- import-nir MODEL.nir --out S.h5 [model options for what NIR does not carry] [--json]

Reads a NIR graph of the shape export-nir writes (CubaLIF layers, optional recurrent Linear, a CubaLI readout)
into a session of zero epochs: evaluate it, or train it further with train --resume. The time step comes from
w_in = τ_syn/dt; T, max time, binning and the readout's decoding are not in NIR: give --nb-steps, --max-time,
--bins, --readout as for train (defaults otherwise).`;

export const exportNirCommand: CliCommand = {
  async run(argv) {
    const { values } = parseFlags(argv, { session: { type: 'string' }, out: { type: 'string' }, selected: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return printUsage(EXPORT_USAGE);
    if (!values.session || !values.out) throw new CliError(`--session and --out are required\n\n${EXPORT_USAGE}`, 2);
    const session = await readSessionGuarded(values.session);
    let r;
    try {
      r = await exportSessionNir(session, values.out, values.selected ? 'selected' : 'last');
    } catch (err) {
      throw new CliError(`${values.session}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (values.json) printJson({ out: values.out, ...r });
    else process.stdout.write(`wrote ${values.out}: ${r.nodes} nodes, ${r.edges} edges\n`);
    return 0;
  },
};

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
