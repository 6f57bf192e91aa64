import { z } from 'zod';
import { hash32, signature65, uint, uintParam } from './common.ts';

export const entryFields = z.strictObject({
  v: z.literal(1),
  jobId: hash32,
  index: uint,
  step: uint,
  stateRoot: hash32,
  dataRoot: hash32,
  batchRoot: hash32,
  hparamsHash: hash32,
  specHash: hash32,
  envHash: hash32,
  sealedRoot: hash32,
  flops: z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal uint256 string'),
  wallMs: uint,
  prevLeaf: hash32,
});

export const appendBody = z.strictObject({ entry: entryFields, signature: signature65 });
export const appendResponse = z.object({ index: uint, leafHash: hash32, size: uint });
export const entryParams = z.strictObject({ jobId: hash32, index: uintParam });
export const entryResponse = z.object({
  entry: entryFields,
  signature: z.string(),
  leafHash: hash32,
});
