/**
 * `evaluate`: runs a session's network over every sample of a data file with the session's own options
 * (nb_steps, max_time, binning, time constants, readout), and prints the accuracy and each prediction in
 * file order — the same output as the reference's `--eval-session`, so the two can be compared directly.
 * By default the weights are the last epoch's (what the session's /weights holds and the reference reads);
 * `--selected` takes the selected epoch's instead (chosen on validation), the model the protocol keeps.
 */
import { parseFlags, printJson, printUsage } from '../args';
import { backendFlag, BACKEND_COMMAND_FLAGS, BACKEND_HELP } from '../backendFlag';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { CountProgress } from '../progressBar';
import { binCacheFlag, channelsFlag, checkSessionData, loadEvalData } from '../trainingData';
import { binSpec } from '../../services/data/binning';
import { readSessionGuarded } from '../../services/sessions/guardedSessionRead';

const USAGE = `usage: npm run cli -- evaluate --session SESSION.h5 --data B.h5 [--selected] [--json] [--backend B]

  --session FILE        a session file written by \`train\` (or the app)
  --data FILE|NAME      an SHD-layout HDF5 file, or a dataset name (demo, shd, ssc: its test split)
  --data-dir DIR        where named datasets live (as for \`data fetch\`)
  --channels N          input channels; the session's network fixes them, so N must equal its input count
  --bin-cache MODE      auto (default): a file over 1 GB is read through its binned cache (built once next to it);
                        on: always; off: hold every spike in memory
  --selected            the selected epoch's weights (chosen on validation) instead of the last epoch's
  --json                {"accuracy", "predictions" (one class index per sample, in file order), "per_class",
                        "per_speaker" (files with extra/speaker), "activity" (spikes, rates, SynOps, MACs)} on stdout
${BACKEND_HELP}`;

export const evaluateCommand: CliCommand = {
  async run(argv) {
    const { values } = parseFlags(argv, {
      session: { type: 'string' },
      data: { type: 'string' },
      'data-dir': { type: 'string' },
      channels: { type: 'string' },
      'bin-cache': { type: 'string' },
      selected: { type: 'boolean' },
      ...BACKEND_COMMAND_FLAGS,
    });
    if (values.help) return printUsage(USAGE);
    if (!values.session || !values.data) throw new CliError(`--session and --data are required\n\n${USAGE}`, 2);
    const backendPref = backendFlag(values.backend);
    const session = await readSessionGuarded(values.session);
    if (values.selected && !session.selected) throw new CliError(`--selected: ${values.session} has no selected epoch (it holds no completed epoch)`, 2);
    const weights = values.selected ? session.selected! : { epoch: session.epochsDone, params: session.params };
    const given = channelsFlag(values.channels);
    if (given !== undefined && given !== session.params.shape.channels) {
      throw new CliError(`--channels ${given} does not fit the session's network, which has ${session.params.shape.channels} inputs`, 2);
    }
    // The network fixes the channel count: every unit must be below it, and fewer in the file is fine.
    const binning = new CountProgress(process.stderr, 'binning');
    const cache = {
      mode: binCacheFlag(values['bin-cache']),
      spec: binSpec(session.config),
      onProgress: (file: string, done: number, total: number) => binning.update(done, total, file),
    };
    const { data, bins } = await loadEvalData(values.data, values['data-dir'], session.params.shape.channels, cache);
    binning.clear();
    checkSessionData(values.session, session, data);

    const { selectBackend, describeBackend } = await import('../../services/engine/tfjs/backendSelect');
    const { evaluate, perClassResults } = await import('../../services/engine/training/evaluate');
    const backend = await selectBackend(backendPref);
    process.stderr.write(`${describeBackend(backend)}\n`);
    const result = await evaluate(weights.params, session.config, data, { ...(bins && { bins }), backend: backend.name, ...(data.speakers ? { speakers: { speakers: data.speakers } } : {}) });
    const perClass = perClassResults(result.confusion, session.meta.classNames);

    if (values.json) {
      printJson({
        accuracy: result.accuracy,
        predictions: Array.from(result.predictions),
        per_class: perClass,
        ...(result.speakers ? { per_speaker: result.speakers } : {}),
        activity: result.activity,
      });
      return 0;
    }
    const correct = Math.round(result.accuracy * data.samples);
    const a = result.activity;
    const lines = [
      `accuracy ${(100 * result.accuracy).toFixed(2)}% (${correct} of ${data.samples}) on ${values.data}, mean NLL ${result.loss.toFixed(4)}`,
      `session ${values.session}: ${session.epochsDone} epochs, trained on ${session.meta.dataset.name}; ` +
        `weights of the ${values.selected ? 'selected' : 'last'} epoch, ${weights.epoch}`,
      'per class (true → correct of samples):',
      ...perClass.map((c) => `  ${String(c.class).padStart(3)} ${c.name.padEnd(12)} ${c.correct} of ${c.samples}`),
      ...(result.speakers ? ['per speaker (correct of samples):', ...result.speakers.map((s) => `  speaker ${String(s.speaker).padStart(3)}  ${s.correct} of ${s.samples} (${(100 * s.accuracy).toFixed(1)}%)`)] : []),
      'activity per sample (test set):',
      `  input ${a.inputSpikesPerSample.toFixed(0)} spikes; ` + a.layers.map((l) => `layer ${l.layer}: ${l.spikesPerSample.toFixed(0)} spikes, ${l.rateHz.toFixed(1)} Hz`).join('; '),
      `  ${a.synOpsPerSample.toExponential(3)} SynOps against ${a.denseMacsPerSample.toExponential(3)} MACs of the same dense network ` +
        `(${((100 * a.synOpsPerSample) / a.denseMacsPerSample).toFixed(2)} %); ${(a.energyPerSample.synOpsPj / 1e3).toFixed(1)} nJ against ` +
        `${(a.energyPerSample.denseMacsPj / 1e3).toFixed(1)} nJ at 45 nm (0.9 pJ per AC, 4.6 pJ per MAC; memory and data movement not counted)`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
