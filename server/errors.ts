/**
 * The one registry of coded service errors. Every error the API returns is `{error, message}`
 * where `error` is a code below and `message` the precise reason. 5xx details are never sent.
 */
export const ERROR_CODES = {
  FLAGSTONE_ERR_BAD_REQUEST: {
    status: 400,
    doc: 'The request is malformed (bad JSON, bad path or query parameter).',
  },
  FLAGSTONE_ERR_UNAUTHORIZED: {
    status: 401,
    doc: 'A signature is missing, malformed or not by the party the job names.',
  },
  FLAGSTONE_ERR_FORBIDDEN: {
    status: 403,
    doc: 'The caller is authenticated but may not access this resource.',
  },
  FLAGSTONE_ERR_NOT_FOUND: { status: 404, doc: 'No such job, entry, tree size or blob.' },
  FLAGSTONE_ERR_CONFLICT: {
    status: 409,
    doc: 'The write conflicts with the log: wrong index, wrong prevLeaf, or already done.',
  },
  FLAGSTONE_ERR_PAYLOAD_TOO_LARGE: { status: 413, doc: 'The body exceeds the configured limit.' },
  FLAGSTONE_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    doc: 'The Content-Type is not accepted by this route.',
  },
  FLAGSTONE_ERR_VALIDATION: {
    status: 422,
    doc: 'The body is well-formed JSON but violates the schema (field, type, format).',
  },
  FLAGSTONE_ERR_HASH_MISMATCH: {
    status: 422,
    doc: 'Uploaded bytes do not hash to the address they were put at.',
  },
  FLAGSTONE_ERR_RATE_LIMITED: { status: 429, doc: 'Too many requests.' },
  FLAGSTONE_ERR_INTERNAL: {
    status: 500,
    doc: 'An unexpected server fault; details are in the server log only.',
  },
  FLAGSTONE_ERR_UNAVAILABLE: {
    status: 503,
    doc: 'A dependency (database, chain) is unavailable; retry later.',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class FlagstoneError extends Error {
  override name = 'FlagstoneError';
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = ERROR_CODES[code].status;
  }
}

export const badRequest = (m: string) => new FlagstoneError('FLAGSTONE_ERR_BAD_REQUEST', m);
export const unauthorized = (m: string) => new FlagstoneError('FLAGSTONE_ERR_UNAUTHORIZED', m);
export const forbidden = (m: string) => new FlagstoneError('FLAGSTONE_ERR_FORBIDDEN', m);
export const notFound = (m: string) => new FlagstoneError('FLAGSTONE_ERR_NOT_FOUND', m);
export const conflict = (m: string) => new FlagstoneError('FLAGSTONE_ERR_CONFLICT', m);
export const invalid = (m: string) => new FlagstoneError('FLAGSTONE_ERR_VALIDATION', m);
