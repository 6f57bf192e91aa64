/**
 * Capture-the-flag (DESIGN §5). At job open the trainer commits C = H(salt ‖ sorted flagged
 * indices) (ledger flagCommitment). Every entry carries sealedRoot = H(salt ‖ index ‖ true root).
 * A flagged entry's stateRoot is the root of the true state with one float32 element of every
 * weight tensor moved by one unit in the last place, at positions derived from H(salt ‖ index ‖
 * name): a plausible-looking divergence that only a replay exposes, while training continues
 * from (and the stored blob holds) the true state. After the audit window the trainer reveals
 * salt and indices; `classifyAudit` turns a verifier's computed root into the verdict.
 */
import { randomBytes } from 'node:crypto';
import {
  flagCommitment,
  fromHex,
  sealedRoot,
  sha256,
  toHex,
  type NamedTensor,
} from '../ledger/index.ts';
import { ProverError } from './errors.ts';
import { Rng } from './rng.ts';

export interface FlagPlan {
  /** 32-byte secret, 64-hex; revealed after the audit window. */
  readonly salt: string;
  /** Flagged entry indices, ascending (never 0: entry 0 is W0, checked from the seed). */
  readonly indices: readonly number[];
  /** C = flagCommitment(salt, indices), posted at job open. */
  readonly commitment: string;
}

/** What settlement needs: the salt and indices, checked against the posted commitment. */
export type FlagReveal = FlagPlan;

export interface PlanFlagsOptions {
  /** Number of entries the job will have (entry 0 included). */
  readonly entryCount: number;
  /** How many entries to flag (default: ⌈5 %⌉ of segments, at least 1 when there is a segment). */
  readonly count?: number;
  /** Secret salt; fresh random bytes when omitted. */
  readonly salt?: string;
}

/** Chooses flagged indices uniformly among 1..entryCount−1 from a generator keyed by the salt. */
export function planFlags(o: PlanFlagsOptions): FlagPlan {
  const salt = o.salt ?? toHex(randomBytes(32));
  if (fromHex(salt).length !== 32)
    throw new ProverError('FLAGSTONE_ERR_FLAGS_INVALID', 'salt must be 32 bytes');
  const segments = Math.max(o.entryCount - 1, 0);
  const count = Math.min(o.count ?? Math.ceil(segments * 0.05), segments);
  const seed = new DataView(
    sha256(fromHex(salt), new TextEncoder().encode('flagstone:flag-choice')).buffer,
  ).getUint32(0, true);
  const order = Rng.fromSeed(`flags:${salt}`, seed).permutation(segments);
  const indices = Array.from(order.subarray(0, count), (i) => i + 1).sort((a, b) => a - b);
  return { salt, indices, commitment: flagCommitment(salt, indices) };
}

/** The reveal for settlement; throws if it does not open the commitment. */
export function reveal(plan: FlagPlan): FlagReveal {
  verifyReveal(plan, plan.commitment);
  return { salt: plan.salt, indices: [...plan.indices], commitment: plan.commitment };
}

export function verifyReveal(r: Omit<FlagReveal, 'commitment'>, commitment: string): void {
  const got = flagCommitment(r.salt, r.indices);
  if (got !== commitment) {
    throw new ProverError(
      'FLAGSTONE_ERR_FLAGS_INVALID',
      `reveal opens commitment ${got}, want ${commitment}`,
    );
  }
}

/** The deterministically perturbed state of a flagged entry (derived from salt and index). */
export function perturbState(
  tensors: readonly NamedTensor[],
  salt: string,
  index: number,
): NamedTensor[] {
  return tensors.map((t) => {
    if (t.dtype !== 'float32' || !t.name.startsWith('params/') || t.data.length === 0) return t;
    const h = sha256(
      fromHex(salt),
      new TextEncoder().encode(`flagstone:perturb:${index}:${t.name}`),
    );
    const element = new DataView(h.buffer).getUint32(0, true) % (t.data.length / 4);
    const data = t.data.slice();
    data[element * 4]! ^= 1; // flip the lowest mantissa bit (little-endian): ±1 ulp
    return { ...t, data };
  });
}

export type AuditVerdict = 'consistent' | 'flag-captured' | 'fraud';

/**
 * DESIGN §5.4: equal roots are consistent; a differing root is a captured flag exactly when the
 * index was committed as flagged and the verifier's root opens the entry's sealedRoot;
 * anything else is fraud.
 */
export function classifyAudit(
  entry: { readonly index: number; readonly stateRoot: string; readonly sealedRoot: string },
  computedRoot: string,
  revealed: FlagReveal,
): AuditVerdict {
  verifyReveal(revealed, revealed.commitment);
  if (computedRoot === entry.stateRoot) return 'consistent';
  if (
    revealed.indices.includes(entry.index) &&
    sealedRoot(revealed.salt, entry.index, computedRoot) === entry.sealedRoot
  ) {
    return 'flag-captured';
  }
  return 'fraud';
}
