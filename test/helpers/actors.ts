/**
 * Test actors: a client and a trainer with real secp256k1 keys, helpers to sign job documents,
 * flag commitments and entries exactly as a real trainer would (EIP-712), and an entry factory
 * whose hashes are derived from the index so each entry is distinct.
 */
import { Wallet } from 'ethers';
import {
  ENTRY_VERSION,
  FLAG_COMMITMENT_TYPES,
  JOB_TYPES,
  ZERO_HASH,
  domainSeparator,
  fromHex,
  jsonHash,
  signEntry,
  signedEntryLeafHash,
  specHashOf,
  typedDomain,
  type EntryFields,
  type FlagstoneDomain,
} from '../../ledger/index.ts';

export const DOMAIN: FlagstoneDomain = { chainId: 31337 };

export function wallet(seedByte: number): Wallet {
  return new Wallet('0x' + seedByte.toString(16).padStart(2, '0').repeat(32));
}

export interface OpenJobRequest {
  client: string;
  trainer: string;
  nonce: string;
  spec: Record<string, unknown>;
  signature: string;
}

export async function openJobRequest(
  client: Wallet,
  trainer: Wallet,
  spec: Record<string, unknown>,
  nonce = '00'.repeat(32),
  domain = DOMAIN,
): Promise<OpenJobRequest> {
  const specHash = specHashOf(spec);
  const signature = await client.signTypedData(typedDomain(domain), JOB_TYPES, {
    client: client.address,
    trainer: trainer.address,
    specHash: `0x${specHash}`,
    nonce: `0x${nonce}`,
  });
  return { client: client.address, trainer: trainer.address, nonce, spec, signature };
}

export async function flagRequest(
  trainer: Wallet,
  jobId: string,
  commitment: string,
  domain = DOMAIN,
) {
  const signature = await trainer.signTypedData(typedDomain(domain), FLAG_COMMITMENT_TYPES, {
    jobId: `0x${jobId}`,
    commitment: `0x${commitment}`,
  });
  return { commitment, signature };
}

/** A trainer-side chain of signed entries for one job. */
export class EntryChain {
  private prevLeaf = ZERO_HASH;
  index = 0;
  private readonly separator: Uint8Array;
  private readonly key: Uint8Array;

  constructor(
    readonly jobId: string,
    readonly specHash: string,
    trainer: Wallet,
    domain = DOMAIN,
  ) {
    this.separator = domainSeparator(domain);
    this.key = fromHex(trainer.privateKey);
  }

  /** The next entry and its signature, without advancing. */
  peek(overrides: Partial<EntryFields> = {}): { entry: EntryFields; signature: string } {
    const i = this.index;
    const entry: EntryFields = {
      v: ENTRY_VERSION,
      jobId: this.jobId,
      index: i,
      step: (i + 1) * 10,
      stateRoot: jsonHash({ state: i }),
      dataRoot: jsonHash('data'),
      batchRoot: jsonHash({ batch: i }),
      hparamsHash: jsonHash({ lr: 0.1 }),
      specHash: this.specHash,
      envHash: jsonHash({ backend: 'cpu' }),
      sealedRoot: jsonHash({ sealed: i }),
      flops: String(1_000_000 * (i + 1)),
      wallMs: 100,
      prevLeaf: this.prevLeaf,
      ...overrides,
    };
    return { entry, signature: signEntry(entry, this.separator, this.key) };
  }

  /** Marks the peeked entry as accepted. */
  advance(e: { entry: EntryFields; signature: string }): string {
    this.prevLeaf = signedEntryLeafHash(e.entry, e.signature);
    this.index++;
    return this.prevLeaf;
  }

  next(): { entry: EntryFields; signature: string } {
    const e = this.peek();
    this.advance(e);
    return e;
  }
}
