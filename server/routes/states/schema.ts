/** Schemas of the private state-blob routes (kept beside them; owned by the prover). */
import { z } from 'zod';
import { hash32, uint, uintParam } from '../../schemas/common.ts';

export const stateParams = z.strictObject({ jobId: hash32, index: uintParam });
export const putStateResponse = z.object({
  jobId: hash32,
  index: uint,
  sha256: hash32,
  size: uint,
  created: z.boolean(),
});
