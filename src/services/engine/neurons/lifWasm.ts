/**
 * The lif kernels (lif.ts, where they and their arguments are documented with their JS twins) as WebAssembly
 * SIMD, four neurons at a time; the same operations in the same order, so the same bits.
 */
import type { Func } from '../cpu/wasmAssembler';
import { StepKernel } from './simdStep';

function lifForwardStep(): Func {
  const k = new StepKernel(
    'lifForwardStep',
    ['xw', 'rec', 'syn', 'mem', 'spk', 'den', 'memRec', 'synRec', 'list', 'alpha', 'beta'],
    ['theta', 'scale'],
    ['u', 'dist', 'mask', 's', 'q', 'input'],
    true,
  );
  const { v, ld, ldH, st, add, sub, mul, abs, gt, and, andNot, splat } = k;
  return k.build([
    // u = U_t (kept in the record); dist = U_t − θ; a spike where dist > 0.
    k.let('u', ld('mem')),
    k.ifPtr('memRec', st('memRec', v('u'))),
    k.let('dist', sub(v('u'), splat('theta'))),
    k.let('mask', gt(v('dist'), v('vZero'))),
    st('spk', and(v('mask'), v('vOne'))),
    // The surrogate's denominator (scale·|dist| + 1)².
    k.ifPtr('den', [...k.let('q', add(mul(splat('scale'), abs(v('dist'))), v('vOne'))), ...st('den', mul(v('q'), v('q')))]),
    // J_t = x_t·W_in (+ S_{t−1}·W_rec)
    k.let('input', ld('xw')),
    k.ifPtr('rec', k.let('input', add(v('input'), ld('rec')))),
    // I_{t+1} = α·I_t + J_t;  U_{t+1} = (β·U_t + I_t)·(1 − S_t)
    k.let('s', ld('syn')),
    k.ifPtr('synRec', st('synRec', v('s'))),
    st('syn', add(mul(ldH('alpha'), v('s')), v('input'))),
    st('mem', andNot(add(mul(ldH('beta'), v('u')), v('s')), v('mask'))),
    k.appendLanes('mask', 'list'),
  ]);
}

function lifBackwardStep(): Func {
  const k = new StepKernel(
    'lifBackwardStep',
    ['g', 'dIn', 'rec', 'spk', 'den', 'memRec', 'synRec', 'gMem', 'gSyn', 'accAlpha', 'accBeta', 'alpha', 'beta'],
    [],
    ['gs', 'gSpike', 'kept'],
    false,
  );
  const { v, ld, ldH, st, add, mul, div, ne, andNot } = k;
  return k.build([
    // G_t = ∂I_{t+1}
    k.let('gs', ld('gSyn')),
    st('g', v('gs')),
    // ∂S_t = D_t (+ G_{t+1}·W_recᵀ)
    k.let('gSpike', ld('dIn')),
    k.ifPtr('rec', k.let('gSpike', add(v('gSpike'), ld('rec')))),
    // kept = (1 − S_t)·∂U_{t+1}
    k.let('kept', andNot(ld('gMem'), ne(ld('spk'), v('vZero')))),
    k.ifPtr('accAlpha', [...st('accAlpha', add(ld('accAlpha'), mul(ld('synRec'), v('gs')))), ...st('accBeta', add(ld('accBeta'), mul(ld('memRec'), v('kept'))))]),
    // ∂U_t = β·kept + ∂S_t / den;  ∂I_t = α·∂I_{t+1} + kept
    st('gMem', add(mul(ldH('beta'), v('kept')), div(v('gSpike'), ld('den')))),
    st('gSyn', add(mul(ldH('alpha'), v('gs')), v('kept'))),
  ]);
}

export const lifWasmFuncs: readonly (() => Func)[] = [lifForwardStep, lifBackwardStep];
