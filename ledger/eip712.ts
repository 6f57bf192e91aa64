/**
 * EIP-712 typed data for Flagstone messages. The domain binds a signature to one chain and (once
 * configured) one ledger contract; the message binds it to one job, index and predecessor, so it
 * cannot be replayed on another job, log or chain (DESIGN §3).
 *
 * `entryDigest` hashes by hand with precomputed type hashes (≈20× faster than ethers'
 * TypedDataEncoder, which the tests use as the oracle) because it runs once per ingested entry.
 */
import { keccak_256 } from '@noble/hashes/sha3';
import type { TypedDataDomain, TypedDataField } from 'ethers';
import type { EntryFields } from './entry.ts';
import { fromHex } from './hex.ts';
import { concatBytes, uint256Word } from './bytes.ts';

export const DOMAIN_NAME = 'Flagstone';
export const DOMAIN_VERSION = '1';

export interface FlagstoneDomain {
  readonly chainId: number;
  /** The FlagstoneLedger contract, once the chain is configured. */
  readonly verifyingContract?: string;
}

export const ENTRY_TYPES: Record<string, TypedDataField[]> = {
  TrainingStateEntry: [
    { name: 'v', type: 'uint8' },
    { name: 'jobId', type: 'bytes32' },
    { name: 'index', type: 'uint64' },
    { name: 'step', type: 'uint64' },
    { name: 'stateRoot', type: 'bytes32' },
    { name: 'dataRoot', type: 'bytes32' },
    { name: 'batchRoot', type: 'bytes32' },
    { name: 'hparamsHash', type: 'bytes32' },
    { name: 'specHash', type: 'bytes32' },
    { name: 'envHash', type: 'bytes32' },
    { name: 'sealedRoot', type: 'bytes32' },
    { name: 'flops', type: 'uint256' },
    { name: 'wallMs', type: 'uint64' },
    { name: 'prevLeaf', type: 'bytes32' },
  ],
};

/** The client's signature opening a job: binds trainer and spec to the job id's preimage. */
export const JOB_TYPES: Record<string, TypedDataField[]> = {
  OpenJob: [
    { name: 'client', type: 'address' },
    { name: 'trainer', type: 'address' },
    { name: 'specHash', type: 'bytes32' },
    { name: 'nonce', type: 'bytes32' },
  ],
};

/** The trainer's signature on its flag commitment (DESIGN §5.1). */
export const FLAG_COMMITMENT_TYPES: Record<string, TypedDataField[]> = {
  FlagCommitment: [
    { name: 'jobId', type: 'bytes32' },
    { name: 'commitment', type: 'bytes32' },
  ],
};

export function typedDomain(d: FlagstoneDomain): TypedDataDomain {
  return {
    name: DOMAIN_NAME,
    version: DOMAIN_VERSION,
    chainId: d.chainId,
    ...(d.verifyingContract ? { verifyingContract: d.verifyingContract } : {}),
  };
}

/** Entry fields as the EIP-712 message (0x-prefixed bytes32, bigint-safe numbers). */
export function entryMessage(e: EntryFields): Record<string, unknown> {
  const b = (h: string) => `0x${h}`;
  return {
    v: e.v,
    jobId: b(e.jobId),
    index: e.index,
    step: e.step,
    stateRoot: b(e.stateRoot),
    dataRoot: b(e.dataRoot),
    batchRoot: b(e.batchRoot),
    hparamsHash: b(e.hparamsHash),
    specHash: b(e.specHash),
    envHash: b(e.envHash),
    sealedRoot: b(e.sealedRoot),
    flops: BigInt(e.flops),
    wallMs: e.wallMs,
    prevLeaf: b(e.prevLeaf),
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const ENTRY_TYPE_HASH = keccak_256(
  utf8(
    `TrainingStateEntry(${ENTRY_TYPES.TrainingStateEntry!.map((f) => `${f.type} ${f.name}`).join(',')})`,
  ),
);
const DOMAIN_TYPE_HASH_WITH_CONTRACT = keccak_256(
  utf8('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
);
const DOMAIN_TYPE_HASH = keccak_256(
  utf8('EIP712Domain(string name,string version,uint256 chainId)'),
);

/** EIP-712 domain separator. */
export function domainSeparator(d: FlagstoneDomain): Uint8Array {
  const words = [
    d.verifyingContract ? DOMAIN_TYPE_HASH_WITH_CONTRACT : DOMAIN_TYPE_HASH,
    keccak_256(utf8(DOMAIN_NAME)),
    keccak_256(utf8(DOMAIN_VERSION)),
    uint256Word(d.chainId),
  ];
  if (d.verifyingContract) {
    const addr = new Uint8Array(32);
    addr.set(fromHex(d.verifyingContract), 12);
    words.push(addr);
  }
  return keccak_256(concatBytes(words));
}

/** keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(entry)) — the digest the trainer signs. */
export function entryDigest(separator: Uint8Array, e: EntryFields): Uint8Array {
  const words = new Uint8Array(32 * 15);
  words.set(ENTRY_TYPE_HASH, 0);
  const put = (slot: number, w: Uint8Array) => words.set(w, 32 * slot);
  put(1, uint256Word(e.v));
  put(2, fromHex(e.jobId));
  put(3, uint256Word(e.index));
  put(4, uint256Word(e.step));
  put(5, fromHex(e.stateRoot));
  put(6, fromHex(e.dataRoot));
  put(7, fromHex(e.batchRoot));
  put(8, fromHex(e.hparamsHash));
  put(9, fromHex(e.specHash));
  put(10, fromHex(e.envHash));
  put(11, fromHex(e.sealedRoot));
  put(12, uint256Word(BigInt(e.flops)));
  put(13, uint256Word(e.wallMs));
  put(14, fromHex(e.prevLeaf));
  return keccak_256(concatBytes([Uint8Array.of(0x19, 0x01), separator, keccak_256(words)]));
}
