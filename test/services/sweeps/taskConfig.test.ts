/**
 * Sweep tasks read by train's own parser: the config a task trains with (τ in seconds, as train takes them), and
 * each problem put on the cell (varied flag) that causes it, or on the task when no single value does.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/shared/config';
import type { SweepSpec } from '../../../src/shared/sweep';
import { checkTasks, taskConfig, taskProblems } from '../../../src/services/sweeps/taskConfig';
import { expandSweep } from '../../../src/services/sweeps/sweepTable';

const softmax: TrainConfig = { ...DEFAULT_CONFIG, readout: 'softmax-sum', readoutSkip: 10, nbSteps: 20 };
const spec = (over: Partial<SweepSpec>): SweepSpec => ({ config: softmax, data: { dataset: 'demo' }, ...over });
const checked = (s: SweepSpec) => checkTasks(expandSweep(s, '/'));

describe('a sweep task through train\'s parser', () => {
  it('gives the config train runs: the base, then the task\'s flags (τ in seconds)', () => {
    const [task] = expandSweep(spec({ grid: { 'tau-mem': ['0.005:0.025'], hidden: [16] } }), '/');
    const config = taskConfig(task.args);
    expect(config.tauMemS).toEqual({ lo: 0.005, hi: 0.025 });
    expect(config.layers.map((l) => l.size)).toEqual([16]);
    expect(config.readoutSkip).toBe(10);
    expect(taskProblems(task.args)).toEqual([]);
  });

  it('puts a value train refuses on its own on its cell, with train\'s reason', () => {
    const tasks = checked(spec({ grid: { 'tau-mem': ['0.01', '20'], seed: [1] } }));
    expect(tasks.map((t) => t.problems)).toEqual([[], [{ flag: 'tau-mem', message: '--tau-mem must be a number > 0 and ≤ 10 (got 20)' }]]);
  });

  it('puts a clash with the base config on the varied value that causes it, though train names another flag', () => {
    const tasks = checked(spec({ grid: { 'nb-steps': [20, 10], 'tau-mem': ['0.01', '0.02'] } }));
    const bad = tasks.filter((t) => t.problems.length);
    expect(bad.map((t) => t.varied)).toEqual([{ 'nb-steps': 10, 'tau-mem': '0.01' }, { 'nb-steps': 10, 'tau-mem': '0.02' }]);
    for (const t of bad) expect(t.problems).toEqual([{ flag: 'nb-steps', message: '--readout-skip must be below the number of time steps (10), got 10' }]);
  });

  it('keeps a problem of the fixed flags off every cell (the task\'s own), and a combination\'s on the flag train names', () => {
    const base = checked(spec({ backend: 'quantum', grid: { seed: [1, 2] } }));
    expect(base.map((t) => t.problems)).toEqual([
      [{ flag: null, message: '--backend must be one of auto, webgpu, gpu, native, wasm, cpu (got "quantum")' }],
      [{ flag: null, message: '--backend must be one of auto, webgpu, gpu, native, wasm, cpu (got "quantum")' }],
    ]);
    const unknown = checked(spec({ base: { 'no-such': 1 }, grid: { seed: [1] } }));
    expect(unknown[0].problems).toEqual([{ flag: null, message: expect.stringMatching(/^Unknown option '--no-such'/) }]);
    // max with a skip of 5 is refused, though each value alone is fine with the softmax-sum base (skip 10 → 0 first).
    const combo = checked(spec({ config: { ...softmax, readoutSkip: 0 }, grid: { readout: ['max', 'softmax-sum'], 'readout-skip': [0, 5] } }));
    expect(combo.map((t) => [t.varied, t.problems])).toEqual([
      [{ readout: 'max', 'readout-skip': 0 }, []],
      [{ readout: 'max', 'readout-skip': 5 }, [{ flag: 'readout-skip', message: '--readout-skip applies to the softmax-sum readout only; set it to 0 for max' }]],
      [{ readout: 'softmax-sum', 'readout-skip': 0 }, []],
      [{ readout: 'softmax-sum', 'readout-skip': 5 }, []],
    ]);
  });

  it('reads delay values for every layer and per layer, and puts a list that does not fit the layers on its cell', () => {
    const tasks = checked(spec({ base: { hidden: '16,8' }, grid: { 'rec-delay-max': [0, 25, '25,0', '25,0,0'] } }));
    expect(tasks.map((t) => t.problems)).toEqual([
      [], [], [],
      [{ flag: 'rec-delay-max', message: '--rec-delay-max lists 3 values but the network has 2 layers; give one value for every layer or one per layer (got "25,0,0")' }],
    ]);
    const configs = tasks.slice(0, 3).map((t) => taskConfig(t.args));
    expect(configs.map((c) => [c.recDelayMax, ...c.layers.map((l) => l.recDelayMax)])).toEqual([[0, undefined, undefined], [25, undefined, undefined], [0, 25, 0]]);
  });
});
