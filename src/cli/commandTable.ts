/**
 * Every CLI command, by name, with its one-line summary. A command's module (and what it pulls in: tfjs,
 * h5wasm) loads only when that command runs, so `--help` and light commands start fast.
 */
import type { CliCommand } from './cliCommand';

export interface CommandEntry {
  summary: string;
  load(): Promise<CliCommand>;
}

export const commands: Record<string, CommandEntry> = {
  info: {
    summary: 'describe an SHD-layout HDF5 file or a named dataset (demo, shd, ssc): samples, classes, channels, spikes, speakers',
    load: async () => (await import('./commands/info')).infoCommand,
  },
  data: {
    summary: 'datasets: status of the data directory; fetch shd|ssc (download, verify, unpack)',
    load: async () => (await import('./commands/data')).dataCommand,
  },
  train: {
    summary: 'train a spiking network of 1–4 LIF or adaptive LIF layers (recurrent or feed-forward) on SHD-layout files or a named dataset; writes a session file every epoch',
    load: async () => (await import('./commands/train')).trainCommand,
  },
  evaluate: {
    summary: "evaluate a session's network on a data file: accuracy and every prediction",
    load: async () => (await import('./commands/evaluate')).evaluateCommand,
  },
  encode: {
    summary: 'encode a folder of WAV recordings to an SHD-layout file through the cochlea front end',
    load: async () => (await import('./commands/encode')).encodeCommand,
  },
  'export-nir': {
    summary: "write a LIF session's network as a NIR graph (for Lava/Loihi 2, SpiNNaker2, Xylo, snnTorch, Norse)",
    load: async () => (await import('./commands/nir')).exportNirCommand,
  },
  'import-nir': {
    summary: 'read a NIR graph (CubaLIF layers, CubaLI readout) back into a session',
    load: async () => (await import('./commands/nir')).importNirCommand,
  },
  sweep: {
    summary: 'hyperparameter sweeps from a JSON spec: expand, run here N at a time, write a SLURM job array, collect',
    load: async () => (await import('./commands/sweep')).sweepCommand,
  },
  bench: {
    summary: 'time training epochs and test evaluation at SHD size on generated data',
    load: async () => (await import('./commands/bench')).benchCommand,
  },
};
