/**
 * Confidence intervals on payout amounts. Amounts are a non-linear function of all values
 * (clipping at 0, normalisation, opt-out), so instead of the delta method we use a parametric
 * bootstrap: draw φ* ~ N(φ̂, diag(stderr²)) (estimates are asymptotically normal), recompute
 * the shares, and take the empirical quantiles of pool·share. Seeded, hence reproducible.
 * Owners with an infinite standard error get the whole range [0, pool].
 */
import { InvalidPayoutError } from '../errors.ts';
import { Rng, type Seed } from '../rng.ts';

export interface AmountInterval {
  /** Nominal coverage, e.g. 0.95. */
  readonly level: number;
  readonly low: bigint;
  readonly high: bigint;
}

export interface IntervalParameters {
  readonly pool: bigint;
  readonly values: readonly number[];
  readonly stderr: readonly number[];
  readonly optedOut: readonly boolean[];
  readonly level?: number;
  readonly draws?: number;
  readonly seed?: Seed;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const toUnits = (x: number, pool: bigint): bigint => {
  const v = BigInt(Math.round(Math.max(0, x)));
  return v > pool ? pool : v;
};

export function amountIntervals(p: IntervalParameters): AmountInterval[] {
  const level = p.level ?? 0.95;
  const draws = p.draws ?? 4000;
  if (!(level > 0 && level < 1))
    throw new InvalidPayoutError('confidence level must be in (0, 1)', { details: `got ${level}` });
  if (!Number.isInteger(draws) || draws < 100)
    throw new InvalidPayoutError('need at least 100 draws', { details: `got ${draws}` });
  const n = p.values.length;
  const poolNum = Number(p.pool);
  const samples = Array.from({ length: n }, () => new Float64Array(draws));
  const rng = new Rng(p.seed ?? 'payout-intervals');
  const w = new Float64Array(n);
  for (let d = 0; d < draws; d++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const se = p.stderr[i]!;
      const draw = Number.isFinite(se) ? p.values[i]! + se * rng.normal() : p.values[i]!;
      w[i] = p.optedOut[i] ? 0 : Math.max(0, draw);
      total += w[i]!;
    }
    for (let i = 0; i < n; i++) samples[i]![d] = total > 0 ? (poolNum * w[i]!) / total : 0;
  }
  const tail = (1 - level) / 2;
  return samples.map((s, i) => {
    if (p.optedOut[i]) return { level, low: 0n, high: 0n };
    if (!Number.isFinite(p.stderr[i]!)) return { level, low: 0n, high: p.pool };
    s.sort();
    return {
      level,
      low: toUnits(quantile(s, tail), p.pool),
      high: toUnits(quantile(s, 1 - tail), p.pool),
    };
  });
}
