/**
 * Opening jobs and accepting flag commitments. Both are signed EIP-712 messages: the client signs
 * OpenJob, the trainer signs FlagCommitment; verification recovers the signer once per request
 * (rare writes, so the ≈2 ms ethers path is fine here).
 */
import { verifyTypedData } from 'ethers';
import {
  FLAG_COMMITMENT_TYPES,
  JOB_TYPES,
  ZERO_HASH,
  canonicalText,
  jobIdOf,
  specHashOf,
  typedDomain,
  type FlagstoneDomain,
} from '../../ledger/index.ts';
import type { Db } from '../persistence/database.ts';
import { conflict, unauthorized } from '../errors.ts';
import type { JobLog } from './job-log.ts';

export interface OpenJobInput {
  readonly client: string;
  readonly trainer: string;
  readonly nonce: string;
  readonly spec: Record<string, unknown>;
  readonly signature: string;
}

export interface JobView {
  readonly jobId: string;
  readonly client: string;
  readonly trainer: string;
  readonly specHash: string;
  readonly spec: Record<string, unknown>;
  readonly size: number;
  readonly flagCommitment: string | null;
  readonly origin: string;
}

function recoverSigner(
  domain: FlagstoneDomain,
  types: typeof JOB_TYPES,
  message: Record<string, unknown>,
  signature: string,
): string {
  try {
    return verifyTypedData(typedDomain(domain), types, message, signature).toLowerCase();
  } catch (e) {
    throw unauthorized(`signature does not verify: ${(e as Error).message.split(' (')[0]}`);
  }
}

export class JobService {
  constructor(
    private readonly db: Db,
    private readonly log: JobLog,
  ) {}

  async open(input: OpenJobInput): Promise<JobView> {
    const client = input.client.toLowerCase();
    const trainer = input.trainer.toLowerCase();
    const specHash = specHashOf(input.spec);
    const header = { v: 1 as const, client, trainer, specHash, nonce: input.nonce };
    const signer = recoverSigner(
      this.log.domain,
      JOB_TYPES,
      { client, trainer, specHash: `0x${specHash}`, nonce: `0x${input.nonce}` },
      input.signature,
    );
    if (signer !== client)
      throw unauthorized(`job is signed by ${signer}, not by the client ${client}`);
    const jobId = jobIdOf(header);
    const exists = await this.db.job.findUnique({ where: { id: jobId }, select: { id: true } });
    if (exists) throw conflict(`job ${jobId} already exists`);
    await this.db.job.create({
      data: {
        id: jobId,
        client,
        trainer,
        specHash,
        document: canonicalText({ ...header, spec: input.spec }),
        clientSignature: input.signature.toLowerCase(),
        lastLeaf: ZERO_HASH,
      },
    });
    this.log.invalidate(jobId);
    return {
      jobId,
      client,
      trainer,
      specHash,
      spec: input.spec,
      size: 0,
      flagCommitment: null,
      origin: this.log.origin(jobId),
    };
  }

  async view(jobId: string): Promise<JobView> {
    const job = await this.log.job(jobId);
    const row = await this.db.job.findUniqueOrThrow({
      where: { id: jobId },
      select: { document: true },
    });
    const { spec } = JSON.parse(row.document) as { spec: Record<string, unknown> };
    return {
      jobId,
      client: job.client,
      trainer: job.trainer,
      specHash: job.specHash,
      spec,
      size: job.size,
      flagCommitment: job.flagCommitment,
      origin: this.log.origin(jobId),
    };
  }

  /** Accepts the trainer's flag commitment once, before the first entry (DESIGN §5.1). */
  async commitFlags(jobId: string, commitment: string, signature: string): Promise<void> {
    const job = await this.log.job(jobId);
    const signer = recoverSigner(
      this.log.domain,
      FLAG_COMMITMENT_TYPES,
      { jobId: `0x${jobId}`, commitment: `0x${commitment}` },
      signature,
    );
    if (signer !== job.trainer)
      throw unauthorized(
        `flag commitment is signed by ${signer}, not by the trainer ${job.trainer}`,
      );
    if (job.flagCommitment !== null) throw conflict(`job ${jobId} already has a flag commitment`);
    if (job.tipSize > 0)
      throw conflict(
        `flag commitment must come before the first entry; the log has ${job.tipSize}`,
      );
    job.flagCommitment = commitment; // claim synchronously so a concurrent commit gets 409
    try {
      await this.db.job.update({
        where: { id: jobId },
        data: { flagCommitment: commitment, flagSignature: signature.toLowerCase() },
      });
    } catch (e) {
      job.flagCommitment = null;
      throw e;
    }
  }
}
