/**
 * Integer apportionment by largest remainder (Hamilton's method): each owner first gets
 * ⌊pool·w_i/W⌋ smallest units, then the units left over (fewer than the number of owners) go
 * one each to the largest remainders. The amounts sum to the pool exactly and each differs
 * from its exact quota by less than one unit. Weights are exact integers (see exactWeights),
 * so the result is the same on every machine.
 * Tie-break for equal remainders: larger weight first, then owner id in code-unit order.
 */
import { InvalidPayoutError } from '../errors.ts';

/** Amounts per owner (same order as `weights`), summing to `pool`. */
export function largestRemainder(
  pool: bigint,
  weights: readonly bigint[],
  ids: readonly string[],
): bigint[] {
  if (pool < 0n)
    throw new InvalidPayoutError('pool must be non-negative', { details: `got ${pool}` });
  if (weights.length !== ids.length) {
    throw new InvalidPayoutError('one id per weight', {
      details: `got ${ids.length} ids, ${weights.length} weights`,
    });
  }
  let total = 0n;
  for (const w of weights) {
    if (w < 0n)
      throw new InvalidPayoutError('weights must be non-negative', { details: `got ${w}` });
    total += w;
  }
  if (total === 0n) {
    throw new InvalidPayoutError('weights sum to zero', {
      details: 'want at least one positive weight',
    });
  }
  const amounts = weights.map((w) => (pool * w) / total);
  const remainders = weights.map((w) => (pool * w) % total);
  let left = pool - amounts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((_, i) => i)
    .filter((i) => weights[i]! > 0n)
    .sort((a, b) => {
      const r = remainders[b]! - remainders[a]!;
      if (r !== 0n) return r > 0n ? 1 : -1;
      const w = weights[b]! - weights[a]!;
      if (w !== 0n) return w > 0n ? 1 : -1;
      return ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0;
    });
  for (const i of order) {
    if (left === 0n) break;
    amounts[i]! += 1n;
    left -= 1n;
  }
  return amounts;
}
