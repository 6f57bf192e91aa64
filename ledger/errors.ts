/** Typed ledger errors: a malformed input is a ProofInputError; a well-formed proof that does not
 *  lead to the claimed root is a RootMismatchError carrying both roots (got/want). */
import { toHex } from './hex.ts';

export class LedgerError extends Error {
  override name = 'LedgerError';
}

/** The inputs break a documented precondition (index ≥ size, wrong path length, bad encoding). */
export class ProofInputError extends LedgerError {
  override name = 'ProofInputError';
}

/** A proof was well formed but recomputes a different root than the one claimed. */
export class RootMismatchError extends LedgerError {
  override name = 'RootMismatchError';
  constructor(
    readonly expected: Uint8Array,
    readonly calculated: Uint8Array,
    what = 'root',
  ) {
    super(`${what} mismatch: calculated ${toHex(calculated)}, want ${toHex(expected)}`);
  }
}
