/** A Poisson count of mean λ from a seeded stream (Knuth's product of uniforms; for the small means used here, λ ≲ 30). */
import type { SeededRandom } from './seededRandom';

export function poisson(rng: SeededRandom, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
