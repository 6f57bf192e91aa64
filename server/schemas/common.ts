/** Shared zod building blocks: every hash is 64 lowercase hex digits, addresses are 0x-hex. */
import { z } from 'zod';

export const hash32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');
export const signature65 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 0x-prefixed 65-byte hex signature');
export const uint = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Non-negative integer in a query string or path. */
export const uintParam = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a non-negative decimal integer')
  .transform(Number)
  .pipe(uint);

export const errorBody = z.object({ error: z.string(), message: z.string() });
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  415: errorBody,
  422: errorBody,
  500: errorBody,
  503: errorBody,
};

export const jobIdParams = z.strictObject({ jobId: hash32 });
