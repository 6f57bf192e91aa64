/**
 * Typed prover errors. Every error carries a stable code so the CLI and the service can map it
 * (FLAGSTONE_ERR_* registry) without parsing messages; messages say "got X, want Y".
 */
export type ProverErrorCode =
  | 'FLAGSTONE_ERR_SPEC_INVALID'
  | 'FLAGSTONE_ERR_DATA_ROOT_MISMATCH'
  | 'FLAGSTONE_ERR_STATE_INVALID'
  | 'FLAGSTONE_ERR_STATE_BLOB_INVALID'
  | 'FLAGSTONE_ERR_BACKEND_UNAVAILABLE'
  | 'FLAGSTONE_ERR_ENV_MISMATCH'
  | 'FLAGSTONE_ERR_FLAGS_INVALID'
  | 'FLAGSTONE_ERR_HTTP';

export class ProverError extends Error {
  override name = 'ProverError';
  constructor(
    readonly code: ProverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The service answered with an error body `{error, message}` or a non-2xx status. */
export class HttpError extends ProverError {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super('FLAGSTONE_ERR_HTTP', `HTTP ${status} ${errorCode}: ${message}`);
  }
}
