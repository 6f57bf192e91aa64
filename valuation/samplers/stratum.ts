/**
 * Sampling k-subsets of a candidate list uniformly *without replacement*. Strata of small
 * coalition sizes are small (C(12,2) = 66), and re-evaluating a coalition already seen wastes
 * a training run, so stratified estimators draw distinct coalitions and apply the finite
 * population correction; a stratum drawn to the end is known exactly.
 * Ranks 0..C−1 are drawn with a sparse Fisher–Yates shuffle (O(draws) memory) and mapped to
 * subsets by the combinatorial number system. Above 2^32 subsets, draws are random subsets
 * de-duplicated by key (a repeat then has probability < draws²/2^33).
 */
import { binomial, unrankCombination } from '../coalition.ts';
import { InvalidInputError } from '../errors.ts';
import type { Rng } from '../rng.ts';

const MAX_RANKED = 2 ** 32;

export class StratumSampler {
  /** Number of distinct subsets in the stratum. */
  readonly population: number;
  #drawn = 0;
  readonly #swaps = new Map<number, number>();
  readonly #seen = new Set<string>();

  /**
   * @param candidates players to choose from
   * @param k          how many to choose
   * @param fixed      players added to every draw (e.g. the anchor of a complement pair)
   */
  constructor(
    readonly candidates: readonly number[],
    readonly k: number,
    readonly fixed: readonly number[] = [],
  ) {
    if (!Number.isInteger(k) || k < 0 || k > candidates.length) {
      throw new InvalidInputError('stratum size out of range', {
        details: `got k=${k}, want 0 <= k <= ${candidates.length}`,
      });
    }
    this.population = binomial(candidates.length, k);
  }

  /** Subsets drawn so far. */
  get drawn(): number {
    return this.#drawn;
  }

  /** True when every subset has been drawn. */
  get exhausted(): boolean {
    return this.#drawn >= this.population;
  }

  /** The next distinct subset (ascending, including `fixed`). Throws when exhausted. */
  next(rng: Rng): number[] {
    if (this.exhausted) {
      throw new InvalidInputError('stratum exhausted', { details: `all ${this.population} drawn` });
    }
    const chosen = this.population <= MAX_RANKED ? this.#nextRanked(rng) : this.#nextRandom(rng);
    this.#drawn++;
    return [...chosen, ...this.fixed].sort((a, b) => a - b);
  }

  #nextRanked(rng: Rng): number[] {
    // Sparse Fisher–Yates: position t receives a uniform unused rank among t..population−1.
    const t = this.#drawn;
    const j = t + rng.int(this.population - t);
    const rank = this.#swaps.get(j) ?? j;
    this.#swaps.set(j, this.#swaps.get(t) ?? t);
    this.#swaps.delete(t);
    return unrankCombination(rank, this.candidates.length, this.k).map((c) => this.candidates[c]!);
  }

  #nextRandom(rng: Rng): number[] {
    for (;;) {
      const pool = this.candidates.slice();
      for (let i = 0; i < this.k; i++) {
        const j = i + rng.int(pool.length - i);
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      }
      const pick = pool.slice(0, this.k).sort((a, b) => a - b);
      const key = pick.join(',');
      if (!this.#seen.has(key)) {
        this.#seen.add(key);
        return pick;
      }
    }
  }
}
