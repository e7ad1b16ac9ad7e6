import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlaygroundRequest, PlaygroundResult, NeuronDescription } from '../../../src/shared/playground';
import { JsonFileSettingsStore } from '../../../src/services/settings/settingsStore';
import { dispatchCall } from '../../../src/services/workbench/dispatch';
import { WorkbenchService } from '../../../src/services/workbench/workbenchService';

const dir = mkdtempSync(join(tmpdir(), 'wb-playground-'));
// The playground computes in the serving process: no training process may be started.
const service = new WorkbenchService({
  mode: 'serve',
  dataDir: join(dir, 'data'),
  settings: new JsonFileSettingsStore(join(dir, 'settings.json')),
  launch: () => {
    throw new Error('the playground started a training process');
  },
});
afterAll(async () => {
  await service.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('playground calls through dispatch (what IPC and HTTP run)', () => {
  it('describe the kinds and run a request built from a description', async () => {
    const kinds = await dispatchCall(service.api, 'playground.kinds', []);
    expect(kinds.status).toBe('ok');
    const described = (kinds.reply as { value: NeuronDescription[] }).value;
    const brf = described.find((k) => k.kind === 'brf')!;
    expect(brf.states.map((s) => s.name)).toEqual(['u', 'v', 'q']);
    const request: PlaygroundRequest = {
      neuron: 'brf',
      params: Object.fromEntries(brf.params.map((p) => [p.name, p.defaultSpan.lo])),
      scalars: { brfGamma: 0.8 },
      dtS: 1e-3,
      steps: 50,
      input: { shape: 'ramp', amplitude: 4 * brf.firingCurrent!, onsetStep: 0, noiseStd: 0, rateHz: 0, seed: 0 },
      fi: { minAmplitude: 0, maxAmplitude: 1, points: 3 },
    };
    const run = await dispatchCall(service.api, 'playground.run', [request]);
    expect(run.status).toBe('ok');
    const r = (run.reply as { value: PlaygroundResult }).value;
    expect(r.states.map((s) => [s.name, s.values.length])).toEqual([['u', 50], ['v', 50], ['q', 50]]);
    expect(r.records.map((s) => s.name)).toEqual(['mem']);
    expect(r.input[49]).toBeCloseTo(4 * brf.firingCurrent!, 5);
    expect(r.fi.amplitude).toEqual([0, 0.5, 1]);
  });

  it('refuse a bad payload at the gate and a parameter out of its kind\'s range in the service, in one line', async () => {
    const gate = await dispatchCall(service.api, 'playground.run', [{ neuron: 'lif' }]);
    expect(gate.status).toBe('refused');
    expect(gate.reply.ok ? '' : gate.reply.error).toMatch(/^playground\.run: params must be an object of numbers by name \(got undefined\); scalars must be/);
    const request = { neuron: 'adlif', params: { alpha: 0.02, beta: 0.1, a: 500, b: 1 }, scalars: {}, dtS: 1e-3, steps: 10, input: { shape: 'step', amplitude: 1, onsetStep: 0, noiseStd: 0, rateHz: 0, seed: 0 }, fi: { minAmplitude: 0, maxAmplitude: 1, points: 2 } };
    const service2 = await dispatchCall(service.api, 'playground.run', [request]);
    expect(service2.status).toBe('failed');
    expect(service2.reply.ok ? '' : service2.reply.error).toBe('playground: params.a must be a number ≥ -100 and ≤ 100 (got 500)');
  });

  it('describe the training form\'s user-defined neuron last when given its program, and run it with that program', async () => {
    const custom = { name: 'leaky', source: 'state U\nparam leak in 0.8..0.95\nS = spike(U - theta)\nU = leak*U*(1 - detach(S)) + J', surrogate: 'fast-sigmoid' };
    const kinds = await dispatchCall(service.api, 'playground.kinds', [custom]);
    expect(kinds.status).toBe('ok');
    const described = (kinds.reply as { value: NeuronDescription[] }).value;
    expect(described.map((k) => k.kind)).toEqual(['lif', 'adlif', 'brf', 'csilif', 'custom']);
    const mine = described[4];
    expect([mine.title, mine.params.map((p) => [p.name, p.range.min, p.range.max])]).toEqual(['leaky', [['leak', 0.8, 0.95]]]);
    const request: PlaygroundRequest = {
      neuron: 'custom',
      custom: mine.custom,
      params: { leak: 0.9 },
      scalars: {},
      dtS: 1e-3,
      steps: 20,
      input: { shape: 'step', amplitude: 0.5, onsetStep: 0, noiseStd: 0, rateHz: 0, seed: 0 },
      fi: { minAmplitude: 0, maxAmplitude: 1, points: 2 },
    };
    const run = await dispatchCall(service.api, 'playground.run', [request]);
    expect(run.status).toBe('ok');
    // The spike reads U before the step: U = 0.9·U + 0.5 is 0.5, 0.95, 1.355 after steps 0–2, so step 3 spikes and
    // restarts U from J; every third step after.
    expect((run.reply as { value: PlaygroundResult }).value.spikeSteps).toEqual([3, 6, 9, 12, 15, 18]);
    const refused = await dispatchCall(service.api, 'playground.kinds', [{ ...custom, surrogate: 'boxcar' }]);
    expect(refused.status).toBe('refused');
    expect(refused.reply.ok ? '' : refused.reply.error).toBe('playground.kinds: custom: surrogate must be one of fast-sigmoid, double-gaussian');
  });
});
