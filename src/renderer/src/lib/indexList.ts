/** Parsing and choosing neuron indices for the membrane-trace picker. */

/**
 * "3, 17 40-42" → [3, 17, 40, 41, 42]: commas or spaces between items, a-b for ranges, duplicates dropped,
 * order kept. Every index must lie in 0…count−1; the error names the offending item.
 */
export function parseIndexList(text: string, count: number, maxItems = 16): { indices: number[]; error: string | null } {
  const indices: number[] = [];
  const items = text.split(/[\s,;]+/).filter(Boolean);
  for (const item of items) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) return { indices, error: `"${item}" is not an index or a range like 4-7` };
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) return { indices, error: `range "${item}" runs backwards` };
    if (b >= count) return { indices, error: `${b} is outside 0…${count - 1}` };
    for (let i = a; i <= b; i++) {
      if (!indices.includes(i)) indices.push(i);
      if (indices.length > maxItems) return { indices: indices.slice(0, maxItems), error: `at most ${maxItems} neurons at once` };
    }
  }
  return { indices, error: null };
}

/** The k neurons with the most spikes (ties: lower index first); neurons that never spiked are left out. */
export function mostActive(neuronOfSpike: ArrayLike<number>, neurons: number, k: number): number[] {
  const counts = new Array<number>(neurons).fill(0);
  for (let i = 0; i < neuronOfSpike.length; i++) {
    const n = neuronOfSpike[i];
    if (n >= 0 && n < neurons) counts[n]++;
  }
  return counts
    .map((c, n) => ({ c, n }))
    .filter((x) => x.c > 0)
    .sort((a, b) => b.c - a.c || a.n - b.n)
    .slice(0, k)
    .map((x) => x.n);
}
