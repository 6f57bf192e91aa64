/**
 * Coalitions are sorted arrays of player indices. Methods that enumerate or tabulate use bit
 * masks; JavaScript bit operations are 32-bit signed, so masks are limited to 30 players.
 */
import { TooManyPlayersError } from './errors.ts';

/** A coalition: player indices in ascending order, no duplicates. */
export type Coalition = readonly number[];

/** Largest player count for which coalitions are represented as bit masks. */
export const MAX_MASK_PLAYERS = 30;

/** Throws unless n players fit in a bit mask. */
export function assertMaskable(method: string, n: number, max = MAX_MASK_PLAYERS): void {
  if (n > max) throw new TooManyPlayersError(method, n, max);
}

/** Bit mask of a coalition (bit i set iff player i is a member). */
export function maskOf(coalition: Coalition): number {
  let m = 0;
  for (const i of coalition) m |= 1 << i;
  return m;
}

/** Members of a bit mask, ascending. */
export function coalitionOfMask(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if ((mask >>> i) & 1) out.push(i);
  return out;
}

/** Number of set bits of a 32-bit integer. */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Binomial coefficient C(n, k) as a double (exact while it stays below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

/** The complement of a coalition among players 0..n−1. */
export function complementOf(coalition: Coalition, n: number): number[] {
  const inS = new Uint8Array(n);
  for (const i of coalition) inS[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!inS[i]) out.push(i);
  return out;
}

/**
 * The k-subset of {0..n−1} with the given rank in colexicographic order (combinatorial number
 * system: rank = Σ_j C(c_j, j+1) for c_0 < c_1 < … < c_{k−1}). Lets strata be sampled without
 * replacement by drawing distinct ranks.
 */
export function unrankCombination(rank: number, n: number, k: number): number[] {
  const out = new Array<number>(k);
  let r = rank;
  let c = n - 1;
  for (let j = k; j >= 1; j--) {
    while (binomial(c, j) > r) c--;
    out[j - 1] = c;
    r -= binomial(c, j);
    c--;
  }
  return out;
}

/** Canonical text key of a coalition of named players ("a,b,c" in player order). */
export function coalitionKey(coalition: Coalition, players: readonly string[]): string {
  return coalition.map((i) => players[i]).join(',');
}
