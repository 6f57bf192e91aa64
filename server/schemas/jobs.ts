import { z } from 'zod';
import { address, hash32, signature65, uint } from './common.ts';

export const openJobBody = z.strictObject({
  client: address,
  trainer: address,
  nonce: hash32.describe('64-hex nonce chosen by the client; part of the job id preimage'),
  spec: z
    .record(z.string(), z.unknown())
    .describe('the training spec (model, hyper-parameters, data, steps, backend)'),
  signature: signature65.describe(
    "client's EIP-712 OpenJob{client, trainer, specHash, nonce} signature",
  ),
});

export const jobView = z.object({
  jobId: hash32,
  client: z.string(),
  trainer: z.string(),
  specHash: hash32,
  spec: z.record(z.string(), z.unknown()),
  size: uint,
  flagCommitment: hash32.nullable(),
  origin: z.string(),
});

export const flagsBody = z.strictObject({
  commitment: hash32.describe('H(salt ‖ sorted flagged indices), DESIGN §5.1'),
  signature: signature65.describe("trainer's EIP-712 FlagCommitment{jobId, commitment} signature"),
});

export const flagsResponse = z.object({ jobId: hash32, commitment: hash32 });

export const domainView = z.object({
  name: z.string(),
  version: z.string(),
  chainId: z.number().int(),
  verifyingContract: z.string().optional(),
});
