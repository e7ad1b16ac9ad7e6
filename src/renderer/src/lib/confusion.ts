/** Confusion matrix arithmetic. confusion[true][predicted] holds counts, as the trainer's 'epoch' event sends. */

/** Each row divided by its total (the recall view); an empty row stays all zero. */
export function normalizeRows(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Accuracy of each true class (diagonal / row total); null for a class with no test samples. */
export function perClassAccuracy(confusion: readonly (readonly number[])[]): (number | null)[] {
  return confusion.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? row[k] / total : null;
  });
}

/** Overall accuracy: trace / total (0 for an empty matrix). */
export function overallAccuracy(confusion: readonly (readonly number[])[]): number {
  let hit = 0;
  let total = 0;
  confusion.forEach((row, k) => {
    hit += row[k] ?? 0;
    for (const v of row) total += v;
  });
  return total > 0 ? hit / total : 0;
}

/** Throws unless the matrix is square with non-negative finite counts. */
export function checkConfusion(confusion: readonly (readonly number[])[]): void {
  const n = confusion.length;
  confusion.forEach((row, k) => {
    if (row.length !== n) throw new Error(`confusion row ${k} has ${row.length} entries, expected ${n}`);
    row.forEach((v, j) => {
      if (!(Number.isFinite(v) && v >= 0)) throw new Error(`confusion[${k}][${j}] is ${v}, expected a count`);
    });
  });
}
