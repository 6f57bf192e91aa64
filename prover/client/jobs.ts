/** Opening a job (client-signed OpenJob) and committing flags (trainer-signed FlagCommitment). */
import { randomBytes } from 'node:crypto';
import { TypedDataEncoder } from 'ethers';
import {
  FLAG_COMMITMENT_TYPES,
  fromHex,
  JOB_TYPES,
  jobIdOf,
  specHashOf,
  toHex,
  typedDomain,
  type FlagstoneDomain,
} from '../../ledger/index.ts';
import type { FlagPlan } from '../flags.ts';
import type { Signer } from '../signer.ts';
import type { JobSpec } from '../spec.ts';
import type { FlagstoneClient, OpenJobRequest } from './http.ts';

function signTyped(
  signer: Signer,
  domain: FlagstoneDomain,
  types: typeof JOB_TYPES,
  message: Record<string, unknown>,
): string {
  return signer.sign(fromHex(TypedDataEncoder.hash(typedDomain(domain), types, message)));
}

/** The client's signed request to open a job (nonce: fresh 32 random bytes unless given). */
export function openJobRequest(
  client: Signer,
  trainer: string,
  spec: JobSpec,
  domain: FlagstoneDomain,
  nonce = toHex(randomBytes(32)),
): OpenJobRequest {
  const specHash = specHashOf(spec);
  const t = trainer.toLowerCase();
  const signature = signTyped(client, domain, JOB_TYPES, {
    client: client.address,
    trainer: t,
    specHash: `0x${specHash}`,
    nonce: `0x${nonce}`,
  });
  return {
    client: client.address,
    trainer: t,
    nonce,
    spec: spec as unknown as Record<string, unknown>,
    signature,
  };
}

/** The job id the service will assign (DESIGN: jobId = sha256(JCS({v, client, trainer, specHash, nonce}))). */
export function jobIdFor(req: OpenJobRequest): string {
  return jobIdOf({
    v: 1,
    client: req.client.toLowerCase(),
    trainer: req.trainer.toLowerCase(),
    specHash: specHashOf(req.spec),
    nonce: req.nonce,
  });
}

export function flagCommitmentSignature(
  trainer: Signer,
  domain: FlagstoneDomain,
  jobId: string,
  commitment: string,
): string {
  return signTyped(trainer, domain, FLAG_COMMITMENT_TYPES, {
    jobId: `0x${jobId}`,
    commitment: `0x${commitment}`,
  });
}

export async function commitFlags(
  api: FlagstoneClient,
  trainer: Signer,
  domain: FlagstoneDomain,
  jobId: string,
  plan: FlagPlan,
): Promise<void> {
  await api.commitFlags(
    jobId,
    plan.commitment,
    flagCommitmentSignature(trainer, domain, jobId, plan.commitment),
  );
}
