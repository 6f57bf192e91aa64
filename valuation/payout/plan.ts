/**
 * A royalty payout plan for one epoch: per-owner amounts (exact to the unit), confidence
 * intervals, statements, and the Merkle root that funds a RoyaltySplitter epoch (DESIGN §7).
 */
import { InvalidPayoutError, NoPositiveValuesError } from '../errors.ts';
import type { Seed } from '../rng.ts';
import { amountIntervals, type AmountInterval } from './intervals.ts';
import { largestRemainder } from './largest-remainder.ts';
import { normaliseAddress, payoutTree } from './merkle.ts';
import { clippedWeights, exactWeights, normalisedShares } from './shares.ts';

export interface PayoutParameters {
  readonly owners: readonly string[];
  readonly values: readonly number[];
  /** Standard errors (0 for exact values; Infinity/NaN when unknown). */
  readonly stderr?: readonly number[];
  /** Revenue pool in smallest units (wei, token base units). */
  readonly pool: bigint;
  readonly optOut?: readonly string[];
  /** Payout address per owner; owners that are themselves addresses need no entry. */
  readonly addresses?: Readonly<Record<string, string>>;
  readonly confidence?: number;
  readonly seed?: Seed;
}

/** One owner's statement. */
export interface OwnerStatement {
  readonly owner: string;
  readonly address: string | null;
  readonly value: number;
  readonly stderr: number;
  readonly optedOut: boolean;
  /** max(value, 0), or 0 if opted out. */
  readonly clippedValue: number;
  readonly share: number;
  readonly amount: bigint;
  readonly interval: AmountInterval;
  /** Merkle proof of (address, amount); null when not in the tree. */
  readonly proof: string[] | null;
}

export interface PayoutPlan {
  readonly pool: bigint;
  readonly statements: readonly OwnerStatement[];
  /** Root of the (address, amount) tree, or null if some paid owner has no address. */
  readonly merkleRoot: string | null;
  readonly missingAddresses: readonly string[];
  readonly treeDump: unknown;
}

export function planPayout(p: PayoutParameters): PayoutPlan {
  const n = p.owners.length;
  if (p.values.length !== n)
    throw new InvalidPayoutError('one value per owner', {
      details: `got ${p.values.length}, want ${n}`,
    });
  const stderr = (p.stderr ?? new Array<number>(n).fill(0)).map((s) =>
    Number.isNaN(s) ? Infinity : s,
  );
  if (stderr.length !== n)
    throw new InvalidPayoutError('one stderr per owner', {
      details: `got ${stderr.length}, want ${n}`,
    });
  if (new Set(p.owners).size !== n) throw new InvalidPayoutError('owner ids must be unique');
  const known = new Set(p.owners);
  for (const o of p.optOut ?? []) {
    if (!known.has(o))
      throw new InvalidPayoutError('opt-out names an unknown owner', { details: `got "${o}"` });
  }
  const opted = new Set(p.optOut ?? []);
  const optedOut = p.owners.map((o) => opted.has(o));
  const clipped = clippedWeights(p.values, optedOut);
  if (clipped.every((w) => w === 0))
    throw new NoPositiveValuesError(optedOut.filter((x) => !x).length);
  const amounts = largestRemainder(p.pool, exactWeights(clipped), p.owners);
  const shares = normalisedShares(clipped);
  const intervals = amountIntervals({
    pool: p.pool,
    values: p.values,
    stderr,
    optedOut,
    ...(p.confidence !== undefined ? { level: p.confidence } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
  });

  const addressOf = (o: string): string | null => {
    const given = p.addresses?.[o];
    if (given !== undefined) return normaliseAddress(o, given);
    return /^0x[0-9a-fA-F]{40}$/.test(o) ? normaliseAddress(o, o) : null;
  };
  const addresses = p.owners.map(addressOf);
  const missing = p.owners.filter((o, i) => amounts[i]! > 0n && addresses[i] === null);
  const tree =
    missing.length === 0
      ? payoutTree(
          p.owners.flatMap((o, i) =>
            addresses[i] ? [{ owner: o, address: addresses[i]!, amount: amounts[i]! }] : [],
          ),
        )
      : null;

  const statements = p.owners.map((owner, i): OwnerStatement => {
    const address = addresses[i] ?? null;
    const amount = amounts[i]!;
    const interval = intervals[i]!;
    return {
      owner,
      address,
      value: p.values[i]!,
      stderr: stderr[i]!,
      optedOut: optedOut[i]!,
      clippedValue: clipped[i]!,
      share: shares[i]!,
      amount,
      // The interval always contains the amount actually paid.
      interval: {
        level: interval.level,
        low: interval.low < amount ? interval.low : amount,
        high: interval.high > amount ? interval.high : amount,
      },
      proof: tree && address && amount > 0n ? (tree.proofs.get(address) ?? null) : null,
    };
  });
  return {
    pool: p.pool,
    statements,
    merkleRoot: tree?.root ?? null,
    missingAddresses: missing,
    treeDump: tree?.dump ?? null,
  };
}

/** JSON-safe form of a plan (bigints as decimal strings). */
export function payoutPlanToJSON(plan: PayoutPlan): Record<string, unknown> {
  return {
    pool: plan.pool.toString(),
    total: plan.statements.reduce((a, s) => a + s.amount, 0n).toString(),
    merkleRoot: plan.merkleRoot,
    missingAddresses: plan.missingAddresses,
    statements: plan.statements.map((s) => ({
      owner: s.owner,
      address: s.address,
      value: Number.isFinite(s.value) ? s.value : null,
      stderr: Number.isFinite(s.stderr) ? s.stderr : null,
      optedOut: s.optedOut,
      share: s.share,
      amount: s.amount.toString(),
      interval: {
        level: s.interval.level,
        low: s.interval.low.toString(),
        high: s.interval.high.toString(),
      },
      proof: s.proof,
    })),
  };
}
