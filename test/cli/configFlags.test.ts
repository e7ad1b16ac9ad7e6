import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/args';
import { CONFIG_FLAGS, configFromFlags, configOverrides } from '../../src/cli/configFlags';
import { DEFAULT_CONFIG, makeConfig } from '../../src/shared/config';

const parse = (argv: string[]) => parseFlags(argv, CONFIG_FLAGS).values;

describe('config flags', () => {
  it('maps every option, times in seconds, to the config', () => {
    const argv = [
      '--hidden', '64', '--no-recurrent', '--tau-syn', '0.004', '--tau-mem', '0.02', '--dt', '0.002', '--threshold', '1.5',
      '--surrogate-scale', '50', '--weight-scale', '0.3', '--nb-steps', '50', '--max-time', '1', '--bins', 'uniform',
      '--readout', 'mean', '--reg-l1', '1e-5', '--reg-l2', '3e-6', '--optimizer', 'adamax', '--lr', '0.002',
      '--batch', '32', '--epochs', '4', '--seed', '7',
    ];
    expect(configFromFlags(parse(argv))).toEqual({
      hidden: 64, recurrent: false, tauSynS: 0.004, tauMemS: 0.02, dtS: 0.002, threshold: 1.5, surrogateScale: 50,
      weightScale: 0.3, nbSteps: 50, maxTimeS: 1, binning: 'uniform', readout: 'mean', regL1: 1e-5, regL2: 3e-6,
      optimizer: 'adamax', learningRate: 0.002, batchSize: 32, epochs: 4, seed: 7,
    });
  });

  it('gives the defaults when no flag is given, and only the given ones as overrides', () => {
    expect(configFromFlags(parse([]))).toEqual(DEFAULT_CONFIG);
    expect(configOverrides(parse(['--epochs', '3', '--recurrent']))).toEqual({ epochs: 3, recurrent: true });
  });

  it('--reg sets both regularisers, --reg-l1/--reg-l2 override it', () => {
    expect(configOverrides(parse(['--reg', '1e-4']))).toEqual({ regL1: 1e-4, regL2: 1e-4 });
    expect(configOverrides(parse(['--reg', '1e-4', '--reg-l2', '0']))).toEqual({ regL1: 1e-4, regL2: 0 });
  });

  it('overlays a base config (resume)', () => {
    const base = makeConfig({ hidden: 12, epochs: 2 });
    expect(configFromFlags(parse(['--epochs', '5']), base)).toEqual({ ...base, epochs: 5 });
  });

  it('refuses bad values naming the flag', () => {
    expect(() => configFromFlags(parse(['--tau-syn=-1']))).toThrow(/--tau-syn: tauSynS must be a number > 0 and ≤ 10 \(got -1\)/);
    expect(() => configFromFlags(parse(['--bins', 'log']))).toThrow(/--bins: binning must be one of spytorch, uniform \(got "log"\)/);
    expect(() => configFromFlags(parse(['--hidden', '1.5']))).toThrow(/--hidden: hidden must be an integer/);
    expect(() => configFromFlags(parse(['--lr', 'fast']))).toThrow(/--lr must be a number \(got "fast"\)/);
    expect(() => configFromFlags(parse(['--recurrent', '--no-recurrent']))).toThrow(/not both/);
    expect(() => parse(['--hiden', '3'])).toThrow(/hiden/);
  });
});
