/**
 * From values to payout weights (DESIGN §7; royalty share max(φ_i, 0)/Σ_j max(φ_j, 0) as in
 * Wang, Deng, Chiba-Okabe, Barak & Su 2024): opted-out owners get weight 0, negative values are
 * clipped to 0, the rest is normalised. Weights are converted *exactly* from doubles to
 * integers — every finite double is m·2^e, so all of them are integers over one power of two
 * — so the split is bit-for-bit reproducible and free of rounding drift.
 */
import { InvalidPayoutError } from '../errors.ts';

/** max(v, 0), or 0 for an opted-out owner. */
export function clippedWeights(values: readonly number[], optedOut: readonly boolean[]): number[] {
  return values.map((v, i) => {
    if (!Number.isFinite(v))
      throw new InvalidPayoutError('values must be finite', { details: `value ${i} is ${v}` });
    return optedOut[i] ? 0 : Math.max(0, v);
  });
}

/** Mantissa and binary exponent of a finite double x ≥ 0: x = m · 2^e exactly. */
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exponent === 0) return [fraction, -1074]; // subnormal (or zero)
  return [fraction | (1n << 52n), exponent - 1075];
}

/** Exact integers proportional to the given non-negative doubles. */
export function exactWeights(weights: readonly number[]): bigint[] {
  const parts = weights.map((w) => {
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new InvalidPayoutError('weights must be finite and non-negative', {
        details: `got ${w}`,
      });
    }
    return decompose(w);
  });
  const minExp = Math.min(...parts.filter(([m]) => m > 0n).map(([, e]) => e), 0);
  return parts.map(([m, e]) => (m === 0n ? 0n : m << BigInt(e - minExp)));
}

/** Shares in [0, 1] as doubles (for display and intervals; amounts use exact weights). */
export function normalisedShares(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}
