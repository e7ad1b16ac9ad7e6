/**
 * The adlif kernels (adlif.ts, where they and their arguments are documented with their JS twins) as
 * WebAssembly SIMD, four neurons at a time; the same operations in the same order, so the same bits.
 */
import type { Func } from '../cpu/wasmAssembler';
import { StepKernel } from './simdStep';

function adlifForwardStep(): Func {
  const k = new StepKernel(
    'adlifForwardStep',
    ['xw', 'rec', 'u', 'w', 'spk', 'den', 'memRec', 'adaptRec', 'list', 'alpha', 'beta', 'a', 'b'],
    ['theta', 'scale', 'q'],
    ['j', 'wPrev', 'U', 'dist', 'mask', 'S', 'd', 'up', 'al', 'be', 'wNext'],
    true,
  );
  const { v, ld, ldH, st, add, sub, mul, abs, gt, and, andNot, splat } = k;
  return k.build([
    k.let('al', ldH('alpha')),
    k.let('be', ldH('beta')),
    // J_t, written back for the backward pass when the recurrence adds to it.
    k.let('j', ld('xw')),
    k.ifPtr('rec', [...k.let('j', add(v('j'), ld('rec'))), ...st('xw', v('j'))]),
    // U_t = α·U'_{t−1} + (1 − α)·(J_t − A_{t−1})
    k.let('wPrev', ld('w')),
    k.let('U', add(mul(v('al'), ld('u')), mul(sub(v('vOne'), v('al')), sub(v('j'), v('wPrev'))))),
    k.ifPtr('memRec', st('memRec', v('U'))),
    k.let('dist', sub(v('U'), splat('theta'))),
    k.let('mask', gt(v('dist'), v('vZero'))),
    k.let('S', and(v('mask'), v('vOne'))),
    st('spk', v('S')),
    k.ifPtr('den', [...k.let('d', add(mul(splat('scale'), abs(v('dist'))), v('vOne'))), ...st('den', mul(v('d'), v('d')))]),
    // U'_t = U_t·(1 − S_t);  A_t = β·A_{t−1} + ((1 − β)·q)·(a·U'_t + b·S_t)
    k.let('up', andNot(v('U'), v('mask'))),
    st('u', v('up')),
    k.let('wNext', add(mul(v('be'), v('wPrev')), mul(mul(sub(v('vOne'), v('be')), splat('q')), add(mul(ldH('a'), v('up')), mul(ldH('b'), v('S')))))),
    st('w', v('wNext')),
    k.ifPtr('adaptRec', st('adaptRec', v('wNext'))),
    k.appendLanes('mask', 'list'),
  ]);
}

function adlifBackwardStep(): Func {
  const k = new StepKernel(
    'adlifBackwardStep',
    ['g', 'dIn', 'rec', 'spk', 'den', 'memRec', 'xw', 'prevMem', 'prevSpk', 'prevAdapt', 'gU', 'gA', 'accAlpha', 'accBeta', 'accA', 'accB', 'alpha', 'beta', 'a', 'b'],
    ['q'],
    ['al', 'be', 'va', 'vb', 'oma', 'c', 'gUNext', 'dA', 'dUp', 'dS', 'S', 'smask', 'dU', 'up', 'upPrev', 'aPrev'],
    false,
  );
  const { v, ld, ldH, st, add, sub, mul, div, ne, andNot, splat } = k;
  return k.build([
    k.let('al', ldH('alpha')),
    k.let('be', ldH('beta')),
    k.let('va', ldH('a')),
    k.let('vb', ldH('b')),
    k.let('oma', sub(v('vOne'), v('al'))),
    k.let('c', mul(sub(v('vOne'), v('be')), splat('q'))),
    // ∂A_t = β·∂A_{t+1} − (1 − α)·∂U_{t+1}
    k.let('gUNext', ld('gU')),
    k.let('dA', sub(mul(v('be'), ld('gA')), mul(v('oma'), v('gUNext')))),
    // ∂U'_t = α·∂U_{t+1} + (c·a)·∂A_t;  ∂S_t = D_t (+ G_{t+1}·W_recᵀ) + (c·b)·∂A_t
    k.let('dUp', add(mul(v('al'), v('gUNext')), mul(mul(v('c'), v('va')), v('dA')))),
    k.let('dS', ld('dIn')),
    k.ifPtr('rec', k.let('dS', add(v('dS'), ld('rec')))),
    k.let('dS', add(v('dS'), mul(mul(v('c'), v('vb')), v('dA')))),
    // ∂U_t = (1 − S_t)·∂U'_t + ∂S_t / den;  G_t = (1 − α)·∂U_t
    k.let('S', ld('spk')),
    k.let('smask', ne(v('S'), v('vZero'))),
    k.let('dU', add(andNot(v('dUp'), v('smask')), div(v('dS'), ld('den')))),
    st('g', mul(v('oma'), v('dU'))),
    k.let('up', andNot(ld('memRec'), v('smask'))),
    k.ifPtr('accAlpha', [
      ...k.ifPtrElse('prevMem', k.let('upPrev', andNot(ld('prevMem'), ne(ld('prevSpk'), v('vZero')))), k.let('upPrev', v('vZero'))),
      ...k.ifPtrElse('prevAdapt', k.let('aPrev', ld('prevAdapt')), k.let('aPrev', v('vZero'))),
      // ∂α += (U'_{t−1} − (J_t − A_{t−1}))·∂U_t;  ∂β += (A_{t−1} − q·(a·U'_t + b·S_t))·∂A_t
      ...st('accAlpha', add(ld('accAlpha'), mul(sub(v('upPrev'), sub(ld('xw'), v('aPrev'))), v('dU')))),
      ...st('accBeta', add(ld('accBeta'), mul(sub(v('aPrev'), mul(splat('q'), add(mul(v('va'), v('up')), mul(v('vb'), v('S'))))), v('dA')))),
    ]),
    k.ifPtr('accA', [...st('accA', add(ld('accA'), mul(mul(v('c'), v('up')), v('dA')))), ...st('accB', add(ld('accB'), mul(mul(v('c'), v('S')), v('dA'))))]),
    st('gU', v('dU')),
    st('gA', v('dA')),
  ]);
}

export const adlifWasmFuncs: readonly (() => Func)[] = [adlifForwardStep, adlifBackwardStep];
