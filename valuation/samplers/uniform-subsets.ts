/**
 * Uniform random subsets: every player joins independently with probability 1/2, i.e. a
 * uniform draw from all 2^n coalitions — the sampling distribution of the Banzhaf value.
 */
import type { Rng } from '../rng.ts';

export function sampleUniformSubset(rng: Rng, n: number): number[] {
  const out: number[] = [];
  for (let base = 0; base < n; base += 32) {
    const bits = rng.nextUint32();
    for (let j = 0; j < 32 && base + j < n; j++) if ((bits >>> j) & 1) out.push(base + j);
  }
  return out;
}
