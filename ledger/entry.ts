/**
 * Training-state entries (DESIGN §3). The leaf bytes are the RFC 8785 canonical JSON of the entry
 * fields plus the trainer's signature, so the log commits to who signed each step. Signatures must
 * be canonical (low-s), otherwise a third party could re-encode one and fork the prevLeaf chain.
 */
import canonicalizeModule from 'canonicalize';
import { hashLeaf } from './hasher.ts';
import { toHex } from './hex.ts';

// The package is CommonJS (`module.exports = fn`) but its typings declare an ES default export;
// normalise so both the Node ESM loader and bundlers get the function.
type Canonicalize = (value: unknown) => string | undefined;
const canonicalize: Canonicalize =
  (canonicalizeModule as unknown as { default?: Canonicalize }).default ??
  (canonicalizeModule as unknown as Canonicalize);

export const ENTRY_VERSION = 1;
export const ZERO_HASH = '0'.repeat(64);

/** Fields of a training-state entry, in the order of the EIP-712 type. Hashes are 64-hex. */
export interface EntryFields {
  readonly v: number;
  readonly jobId: string;
  readonly index: number;
  readonly step: number;
  readonly stateRoot: string;
  readonly dataRoot: string;
  readonly batchRoot: string;
  readonly hparamsHash: string;
  readonly specHash: string;
  readonly envHash: string;
  readonly sealedRoot: string;
  /** FLOPs of the k steps since the previous entry, as a decimal string (may exceed 2^53). */
  readonly flops: string;
  readonly wallMs: number;
  readonly prevLeaf: string;
}

export const ENTRY_FIELD_NAMES = [
  'v',
  'jobId',
  'index',
  'step',
  'stateRoot',
  'dataRoot',
  'batchRoot',
  'hparamsHash',
  'specHash',
  'envHash',
  'sealedRoot',
  'flops',
  'wallMs',
  'prevLeaf',
] as const satisfies readonly (keyof EntryFields)[];

/** RFC 8785 canonical JSON text. */
export function canonicalText(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/** RFC 8785 canonical JSON as UTF-8 bytes. */
export function canonicalJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalText(value));
}

/** The leaf text of a signed entry (the log stores it; its UTF-8 bytes are the leaf). */
export function signedEntryText(entry: EntryFields, signature: string): string {
  return canonicalText({ ...pickEntryFields(entry), signature: signature.toLowerCase() });
}

/** The exact leaf bytes of a signed entry. */
export function encodeSignedEntry(entry: EntryFields, signature: string): Uint8Array {
  return new TextEncoder().encode(signedEntryText(entry, signature));
}

/** RFC 9162 leaf hash of a signed entry, as 64-hex. */
export function signedEntryLeafHash(entry: EntryFields, signature: string): string {
  return toHex(hashLeaf(encodeSignedEntry(entry, signature)));
}

/** Copies exactly the entry fields (drops anything else a caller attached). */
export function pickEntryFields(e: EntryFields): EntryFields {
  const out: Record<string, unknown> = {};
  for (const k of ENTRY_FIELD_NAMES) out[k] = e[k];
  return out as unknown as EntryFields;
}
