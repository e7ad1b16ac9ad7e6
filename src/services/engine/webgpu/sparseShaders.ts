/**
 * The webgpu backend's kernels on lists and per-neuron vectors (the dense products are denseShaders.ts's, the
 * time loops layerShaders.ts's):
 *
 *   listGather        xw[r, h] = Σ_{e ∈ row r} val[e]·W_in[col[e], h]    the binned input (CSR by row), layer 0
 *                     ∂W_in[c, h] = Σ_{e ∈ column c} val[e]·G[row[e], h]  the same list by column (CSC)
 *   batchSum          out[h] = Σ_b src[b, h]                              per-neuron gradient sums, batch order
 *   dropoutMask       the mask of dropout.ts, hashed on the GPU from the same key
 *
 * Each list keeps the order of the CPU's (rows or columns taken stably from the input list), so every sum runs
 * over the same terms in the same order as the fused loop's.
 */
import { bindingDecls, ro, rw, type Kernel } from './kernel';
import { constants, elementwiseMain, gridFor } from './wgslText';

/**
 * out[outOff + line·H + h] = Σ_{e ∈ line} val[e]·src[srcOff + idx[e]·H + h] over a list grouped by line (ptr has
 * lines + 1 entries). By row it is the input projection (idx: columns, src: W_in in the parameters, out: xw); by
 * column it is ∂W_in (idx: rows, src: G, out: the gradients at W_in's offset).
 */
export function listGather(d: { label: string; lines: number; H: number; srcOff: number; outOff: number; maxGroups: number }): Kernel {
  const bindings = [ro('ptr'), ro('idx'), ro('val'), ro('src'), rw('out')];
  const grid = gridFor(d.lines * d.H, d.maxGroups);
  return {
    label: d.label,
    bindings,
    grid,
    code: `${constants({ H: d.H, N: d.lines * d.H, SRC: d.srcOff, OUT: d.outOff })}
${bindingDecls(bindings, { ptr: 'u32', idx: 'u32' })}
${elementwiseMain(grid)}
  if (id >= N) { return; }
  let line = id / H;
  let h = id - line * H;
  var acc = 0.0;
  for (var e = ptr[line]; e < ptr[line + 1u]; e++) {
    acc = acc + val[e] * src[SRC + idx[e] * H + h];
  }
  out[OUT + id] = acc;
}`,
  };
}

/** out[outOff + h] = Σ_{b < B} src[srcOff + b·H + h], b in order. */
export function batchSum(d: { B: number; H: number; srcOff: number; outOff: number; maxGroups: number; label: string }): Kernel {
  const bindings = [ro('src'), rw('grads')];
  const grid = gridFor(d.H, d.maxGroups);
  return {
    label: d.label,
    bindings,
    grid,
    code: `${constants({ B: d.B, H: d.H, SRC: d.srcOff, OUT: d.outOff })}
${bindingDecls(bindings)}
${elementwiseMain(grid)}
  if (id >= H) { return; }
  var acc = 0.0;
  for (var b = 0u; b < B; b++) { acc = acc + src[SRC + b * H + id]; }
  grads[OUT + id] = acc;
}`,
  };
}

/**
 * dropout.ts's mask [T, B, H] from its per-layer key `base` and the batch's sample indices: lowbias32 in u32
 * arithmetic is the same function as hashMix.ts's Math.imul version.
 */
export function dropoutMask(d: { T: number; B: number; H: number; base: number; cut: number; scale: number; maxGroups: number }): Kernel {
  const bindings = [ro('samples'), rw('mask')];
  const grid = gridFor(d.T * d.B * d.H, d.maxGroups);
  return {
    label: 'dropout mask',
    bindings,
    grid,
    code: `${constants({ T: d.T, B: d.B, H: d.H, BASE: d.base >>> 0, CUT: d.cut, SCALE: d.scale }, ['SCALE'])}
${bindingDecls(bindings, { samples: 'u32' })}
fn mix(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
${elementwiseMain(grid)}
  if (id >= T * B * H) { return; }
  let h = id % H;
  let tb = id / H;
  let b = tb % B;
  let t = tb / B;
  let sampleKey = mix(BASE ^ ((samples[b] + 1u) * 0xc2b2ae35u));
  let stepKey = mix(sampleKey ^ ((t + 1u) * 0x27d4eb2fu));
  mask[id] = select(0.0, SCALE, (mix(stepKey ^ ((h + 1u) * 0x165667b1u)) >> 8u) >= CUT);
}`,
  };
}
