/**
 * Every kind's generated step kernels, WebAssembly SIMD against the JS twins: the same bits, for inputs that
 * spike and reset, with the optional pointers given and absent. Each set runs on its own memory with the same
 * inputs at the same addresses (allocated in the same order).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { Arena, createKernelRuntime, kernelModuleBytes, type KernelRuntime } from '../../../../src/services/engine/cpu/engineKernels';
import { scalarValues } from '../../../../src/services/engine/codegen/layerKernelPlan';
import { backwardName, backwardPointers, forwardName, forwardPointers } from '../../../../src/services/engine/codegen/kernelArgs';
import { kernelSchedule } from '../../../../src/services/engine/codegen/schedule';
import { simdKernels } from '../../../../src/services/engine/codegen/wasmEmit';
import { NEURON_DEFINITIONS } from '../../../../src/services/engine/definitions';
import type { NeuronDefinition } from '../../../../src/services/engine/definitions/neuronDefinition';
import { SeededRandom } from '../../../../src/services/random/seededRandom';

type Arrays = Record<string, { ptr: number; view: Float32Array | Int32Array }>;

/** Inputs for every pointer of a kernel: `optional` false leaves the optional ones 0. */
function inputs(def: NeuronDefinition, arena: Arena, rng: SeededRandom, pointers: string[], n: number, H: number, optional: boolean): Arrays {
  const s = kernelSchedule(def);
  const out: Arrays = {};
  for (const p of pointers) {
    const absentable = p === 'rec' || p.startsWith('r_') || p.startsWith('acc_') || (p.startsWith('hist_') && !s.plan.needs.states.has(p.slice(5)));
    if (absentable && !optional) continue;
    if (p === 'list') {
      out[p] = arena.i32(n);
      continue;
    }
    const param = def.params.find((x) => `p_${x.name}` === p);
    const a = arena.f32(param ? H : n);
    for (let i = 0; i < a.view.length; i++) {
      a.view[i] = param ? ('decayOf' in param.init ? 0.5 + 0.49 * rng.next() : rng.next()) : 0.5 + 0.8 * rng.normal();
    }
    out[p] = a;
  }
  return out;
}

function run(rt: KernelRuntime, def: NeuronDefinition, which: 'forward' | 'backward', H: number, optional: boolean) {
  const arena = new Arena(rt.memory);
  arena.reset(1 << 16, 64);
  const B = 3;
  const n = B * H;
  const s = kernelSchedule(def);
  const pointers = which === 'forward' ? forwardPointers(s) : backwardPointers(s);
  const arrays = inputs(def, arena, new SeededRandom(21), pointers, n, H, optional);
  const scalars = scalarValues(def, DEFAULT_CONFIG);
  const name = which === 'forward' ? forwardName(def.id) : backwardName(def.id);
  const ret = rt.pick(true).steps[name](n, H, ...pointers.map((p) => arrays[p]?.ptr ?? 0), ...def.scalars.map((x) => scalars[x.name]));
  return { arrays, ret };
}

function expectSameBits(a: Arrays, b: Arrays) {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const key of Object.keys(a)) {
    const [x, y] = [a[key].view, b[key].view];
    expect(new Uint32Array(x.buffer, x.byteOffset, x.length), key).toEqual(new Uint32Array(y.buffer, y.byteOffset, y.length));
  }
}

describe('generated step kernels', () => {
  const exported = new Set(WebAssembly.Module.exports(new WebAssembly.Module(kernelModuleBytes())).map((e) => e.name));

  for (const def of Object.values(NEURON_DEFINITIONS)) {
    it(`${def.kind}: the kernel module has a SIMD version of each kernel whose operations all have SIMD instructions`, () => {
      const simd = simdKernels(def);
      expect(exported.has(forwardName(def.id))).toBe(simd.forward);
      expect(exported.has(backwardName(def.id))).toBe(simd.backward);
      // lif and adlif have no operation without one; brf's surrogate needs exp; csilif's decay and rotation need
      // exp, cos and sin in both kernels.
      if (def.kind === 'csilif') expect(simd).toEqual({ forward: false, backward: false });
      else if (def.kind !== 'brf') expect(simd).toEqual({ forward: true, backward: true });
    });

    for (const which of ['forward', 'backward'] as const) {
      for (const H of [8, 12]) {
        for (const optional of [true, false]) {
          it(`${def.kind} ${which}: SIMD = JS twin bit for bit (H=${H}, optional pointers ${optional ? 'given' : '0'})`, () => {
            const simd = run(createKernelRuntime(true), def, which, H, optional);
            const js = run(createKernelRuntime(false), def, which, H, optional);
            if (which === 'forward') expect(simd.ret).toBe(js.ret);
            expectSameBits(simd.arrays, js.arrays);
            if (which === 'forward') {
              const spikes = Array.from(js.arrays.spk.view);
              expect(spikes.some((x) => x === 1) && spikes.some((x) => x === 0)).toBe(true);
              expect(js.ret).toBe(spikes.filter((x) => x === 1).length);
            } else {
              expect(js.arrays.g.view.some((x) => x !== 0)).toBe(true);
            }
          });
        }
      }
    }
  }
});
