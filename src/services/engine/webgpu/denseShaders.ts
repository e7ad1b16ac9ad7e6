/**
 * The webgpu backend's dense product, in 16 × 16 tiles through workgroup memory:
 *
 *     C[i, j] = epilogue( Σ_k A(i, k)·B(k, j) ),   i < M, j < N, k < KD in order
 *     A(i, k) = A[aOff + i·lda + k]  (or A[aOff + k·lda + i] when transA), times aMask at the same index
 *     B(k, j) = B[bOff + k·ldb + j]  (or B[bOff + j·ldb + k] when transB)
 *     epilogue(v) = v·cMask[i·N + j] (with a mask) + vec[j] (with a vector), stored at C[cOff + i·N + j]
 *
 * It covers every dense step of a batch: the upper layers' input projection (S⊙mask)·W_in and the readout's
 * S⊙mask·W_out, the weight gradients (S⊙mask)ᵀ·G, S_{t−1}ᵀ·G_t (∂W_rec, by offsetting A and B one step), and
 * the gradient sent down, G·W_inᵀ⊙mask + reg. Each output sums over k in order, as the fused loop does.
 */
import { bindingDecls, ro, rw, type Kernel } from './kernel';
import { constants } from './wgslText';

export interface MatmulSpec {
  label: string;
  M: number;
  N: number;
  KD: number;
  transA: boolean;
  transB: boolean;
  lda: number;
  ldb: number;
  aOff: number;
  bOff: number;
  cOff: number;
  aMask: boolean;
  cMask: boolean;
  vec: boolean;
  /** Where the vector starts in its buffer. */
  vecOff?: number;
  maxGroups: number;
}

const TILE = 16;

export function matmul(s: MatmulSpec): Kernel {
  const bindings = [ro('a'), ro('b'), rw('c'), ro('aMask'), ro('cMask'), ro('vec')];
  const grid = { x: Math.ceil(s.N / TILE), y: Math.ceil(s.M / TILE) };
  if (grid.x > s.maxGroups || grid.y > s.maxGroups) throw new Error(`${s.label}: a ${s.M} × ${s.N} product is larger than one dispatch of this GPU holds`);
  // A tile is loaded so that neighbouring threads read neighbouring addresses in either orientation.
  const loadA = s.transA
    ? `let ai = row0 + lid.x; let ak = k0 + lid.y;
    var av = 0.0;
    if (ai < M && ak < KD) { let at = A_OFF + ak * LDA + ai; av = a[at]; if (A_MASK) { av = av * aMask[at]; } }
    ta[lid.x][lid.y] = av;`
    : `let ai = row0 + lid.y; let ak = k0 + lid.x;
    var av = 0.0;
    if (ai < M && ak < KD) { let at = A_OFF + ai * LDA + ak; av = a[at]; if (A_MASK) { av = av * aMask[at]; } }
    ta[lid.y][lid.x] = av;`;
  const loadB = s.transB
    ? `let bj = col0 + lid.y; let bk = k0 + lid.x;
    var bv = 0.0;
    if (bj < N && bk < KD) { bv = b[B_OFF + bj * LDB + bk]; }
    tb[lid.x][lid.y] = bv;`
    : `let bj = col0 + lid.x; let bk = k0 + lid.y;
    var bv = 0.0;
    if (bj < N && bk < KD) { bv = b[B_OFF + bk * LDB + bj]; }
    tb[lid.y][lid.x] = bv;`;
  return {
    label: s.label,
    bindings,
    grid,
    code: `${constants({ M: s.M, N: s.N, KD: s.KD, LDA: s.lda, LDB: s.ldb, A_OFF: s.aOff, B_OFF: s.bOff, C_OFF: s.cOff, VEC_OFF: s.vecOff ?? 0, A_MASK: s.aMask, C_MASK: s.cMask, VEC: s.vec })}
${bindingDecls(bindings)}
var<workgroup> ta: array<array<f32, ${TILE}>, ${TILE}>;
var<workgroup> tb: array<array<f32, ${TILE}>, ${TILE}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * ${TILE}u;
  let col0 = wg.x * ${TILE}u;
  var acc = 0.0;
  for (var k0 = 0u; k0 < KD; k0 += ${TILE}u) {
    ${loadA}
    ${loadB}
    workgroupBarrier();
    for (var q = 0u; q < ${TILE}u; q++) { acc = acc + ta[lid.y][q] * tb[q][lid.x]; }
    workgroupBarrier();
  }
  let i = row0 + lid.y;
  let j = col0 + lid.x;
  if (i < M && j < N) {
    var v = acc;
    if (C_MASK) { v = v * cMask[i * N + j]; }
    if (VEC) { v = v + vec[VEC_OFF + j]; }
    c[C_OFF + i * N + j] = v;
  }
}`,
  };
}
