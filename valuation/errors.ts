/**
 * Typed errors of the valuation package. Every error carries a stable `code` (documented in
 * docs/valuation.md, mapped to HTTP statuses by the service), a one-line `shortMessage` and
 * optional `details` in "got X, want Y" form, following viem's BaseError pattern.
 */

/** Stable machine-readable codes; never renamed once released. */
export const VALUATION_ERROR_CODES = [
  'FLAGSTONE_ERR_VALUATION_INVALID_GAME',
  'FLAGSTONE_ERR_VALUATION_INVALID_INPUT',
  'FLAGSTONE_ERR_VALUATION_TOO_MANY_PLAYERS',
  'FLAGSTONE_ERR_VALUATION_BUDGET_TOO_SMALL',
  'FLAGSTONE_ERR_VALUATION_BUDGET_EXHAUSTED',
  'FLAGSTONE_ERR_VALUATION_UTILITY_NOT_FINITE',
  'FLAGSTONE_ERR_VALUATION_INVALID_TABLE',
  'FLAGSTONE_ERR_VALUATION_MISSING_COALITION',
  'FLAGSTONE_ERR_VALUATION_UNKNOWN_METHOD',
  'FLAGSTONE_ERR_VALUATION_SOLVER_FAILED',
  'FLAGSTONE_ERR_VALUATION_INVALID_DATA',
  'FLAGSTONE_ERR_VALUATION_NO_POSITIVE_VALUES',
  'FLAGSTONE_ERR_VALUATION_INVALID_PAYOUT',
  'FLAGSTONE_ERR_VALUATION_INVALID_ADDRESS',
] as const;

export type ValuationErrorCode = (typeof VALUATION_ERROR_CODES)[number];

export interface ValuationErrorOptions {
  /** Extra context, typically "got X, want Y". */
  readonly details?: string;
  readonly cause?: unknown;
}

/** Base class of every error thrown by `valuation/`. */
export class ValuationError extends Error {
  override name = 'ValuationError';
  readonly code: ValuationErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: ValuationErrorCode, shortMessage: string, options: ValuationErrorOptions = {}) {
    super(options.details ? `${shortMessage}: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/** A game is malformed (no players, duplicate names, …). */
export class InvalidGameError extends ValuationError {
  override name = 'InvalidGameError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_INVALID_GAME', shortMessage, options);
  }
}

/** A caller-supplied argument is out of range or inconsistent. */
export class InvalidInputError extends ValuationError {
  override name = 'InvalidInputError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_INVALID_INPUT', shortMessage, options);
  }
}

/** The method cannot handle this many players (exact enumeration, exact LP, bit masks). */
export class TooManyPlayersError extends ValuationError {
  override name = 'TooManyPlayersError';
  constructor(method: string, got: number, max: number) {
    super('FLAGSTONE_ERR_VALUATION_TOO_MANY_PLAYERS', `${method} supports at most ${max} players`, {
      details: `got ${got}, want <= ${max}`,
    });
  }
}

/** The evaluation budget does not cover the method's minimum number of evaluations. */
export class BudgetTooSmallError extends ValuationError {
  override name = 'BudgetTooSmallError';
  constructor(method: string, got: number, want: number) {
    super('FLAGSTONE_ERR_VALUATION_BUDGET_TOO_SMALL', `budget too small for ${method}`, {
      details: `got ${got} evaluations, want >= ${want}`,
    });
  }
}

/** An estimator asked for more evaluations than its budget (a bug guard; never expected). */
export class BudgetExhaustedError extends ValuationError {
  override name = 'BudgetExhaustedError';
  constructor(limit: number) {
    super('FLAGSTONE_ERR_VALUATION_BUDGET_EXHAUSTED', 'utility evaluation budget exhausted', {
      details: `limit ${limit}`,
    });
  }
}

/** The utility returned NaN or ±Infinity. */
export class UtilityNotFiniteError extends ValuationError {
  override name = 'UtilityNotFiniteError';
  constructor(coalition: readonly string[], got: number) {
    super('FLAGSTONE_ERR_VALUATION_UTILITY_NOT_FINITE', 'utility returned a non-finite value', {
      details: `got ${got} for coalition {${coalition.join(',')}}`,
    });
  }
}

/** A utility table (JSON game) is malformed. */
export class InvalidTableError extends ValuationError {
  override name = 'InvalidTableError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_INVALID_TABLE', shortMessage, options);
  }
}

/** A utility table lacks some coalitions. */
export class MissingCoalitionError extends ValuationError {
  override name = 'MissingCoalitionError';
  readonly missing: readonly string[];
  constructor(missing: readonly string[], total: number) {
    const shown = missing
      .slice(0, 5)
      .map((k) => JSON.stringify(k))
      .join(', ');
    super('FLAGSTONE_ERR_VALUATION_MISSING_COALITION', 'utility table is missing coalitions', {
      details: `got ${total - missing.length} of ${total} coalitions; missing ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
    });
    this.missing = missing;
  }
}

/** A method name does not exist. */
export class UnknownMethodError extends ValuationError {
  override name = 'UnknownMethodError';
  constructor(got: string, known: readonly string[]) {
    super('FLAGSTONE_ERR_VALUATION_UNKNOWN_METHOD', `unknown valuation method "${got}"`, {
      details: `want one of ${known.join(', ')}`,
    });
  }
}

/** The LP/QP solver did not reach an optimal solution. */
export class SolverError extends ValuationError {
  override name = 'SolverError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_SOLVER_FAILED', shortMessage, options);
  }
}

/** Training/test data (CSV, feature matrices) is malformed. */
export class InvalidDataError extends ValuationError {
  override name = 'InvalidDataError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_INVALID_DATA', shortMessage, options);
  }
}

/** Every remaining owner has a non-positive value, so the pool cannot be split by value. */
export class NoPositiveValuesError extends ValuationError {
  override name = 'NoPositiveValuesError';
  constructor(owners: number) {
    super('FLAGSTONE_ERR_VALUATION_NO_POSITIVE_VALUES', 'no owner has a positive value', {
      details: `got ${owners} eligible owners, all with value <= 0 after opt-out`,
    });
  }
}

/** Payout inputs are inconsistent (negative pool, unknown opt-out owner, …). */
export class InvalidPayoutError extends ValuationError {
  override name = 'InvalidPayoutError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_INVALID_PAYOUT', shortMessage, options);
  }
}

/** An owner's payout address is missing, malformed or shared with another owner. */
export class InvalidAddressError extends ValuationError {
  override name = 'InvalidAddressError';
  constructor(shortMessage: string, options?: ValuationErrorOptions) {
    super('FLAGSTONE_ERR_VALUATION_INVALID_ADDRESS', shortMessage, options);
  }
}
