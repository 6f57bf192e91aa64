/**
 * State blob: the full training state as one byte string (what the trainer uploads for every
 * entry and what replay starts from).
 *
 *   blob    = "FLST" ‖ u32le(version = 1) ‖ u32le(count) ‖ tensor_1 ‖ … ‖ tensor_count
 *   tensor  = u32le(len name) ‖ name ‖ u32le(len dtype) ‖ dtype ‖ u32le(rank) ‖ rank × u32le(dim)
 *             ‖ little-endian element bytes           (exactly ledger's encodeTensor)
 *
 * Tensors appear sorted by name and each `tensor` segment is the leaf data of the state tree,
 * so the stateRoot is computed straight from the blob (hashLeaf of each segment, RFC 9162 root)
 * without re-encoding, and any one tensor can be proven against an entry.
 */
import {
  encodeTensor,
  hashLeaf,
  MemoryTree,
  sortTensors,
  toHex,
  type DType,
  type NamedTensor,
  DTYPE_BYTES,
} from '../../ledger/index.ts';
import { ProverError } from '../errors.ts';

const MAGIC = [0x46, 0x4c, 0x53, 0x54]; // "FLST"
export const STATE_BLOB_VERSION = 1;
export interface StateCommitment {
  /** Tensor names in leaf order (sorted). */
  readonly names: readonly string[];
  readonly leafHashes: readonly Uint8Array[];
  /** 64-hex state root. */
  readonly root: string;
}

function rootOf(leafHashes: readonly Uint8Array[]): string {
  const tree = new MemoryTree();
  for (const h of leafHashes) tree.append(h);
  return toHex(tree.root());
}

/** The 12-byte blob header. */
export function blobHeader(count: number): Uint8Array {
  const header = new Uint8Array(12);
  header.set(MAGIC, 0);
  const view = new DataView(header.buffer);
  view.setUint32(4, STATE_BLOB_VERSION, true);
  view.setUint32(8, count, true);
  return header;
}

/**
 * A tensor's leaf data without its element bytes: encodeTensor(t) = tensorPrefix(t) ‖ t.data
 * (checked against ledger's encodeTensor in the tests). Validates the byte length like it.
 */
export function tensorPrefix(t: NamedTensor): Uint8Array {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (count * DTYPE_BYTES[t.dtype] !== t.data.length) {
    throw new ProverError(
      'FLAGSTONE_ERR_STATE_INVALID',
      `tensor ${t.name}: ${t.data.length} bytes, want ${count * DTYPE_BYTES[t.dtype]}`,
    );
  }
  const name = new TextEncoder().encode(t.name);
  const dtype = new TextEncoder().encode(t.dtype);
  const out = new Uint8Array(12 + name.length + dtype.length + 4 * t.shape.length);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const put = (b: Uint8Array) => {
    out.set(b, at);
    at += b.length;
  };
  u32(name.length);
  put(name);
  u32(dtype.length);
  put(dtype);
  u32(t.shape.length);
  t.shape.forEach(u32);
  return out;
}

/** Serialises a state and commits to it in the same pass. */
export function encodeStateBlob(
  tensors: readonly NamedTensor[],
): { bytes: Uint8Array } & StateCommitment {
  const sorted = sortTensors(tensors);
  const segments = sorted.map(encodeTensor);
  const bytes = new Uint8Array(12 + segments.reduce((n, s) => n + s.length, 0));
  bytes.set(blobHeader(sorted.length), 0);
  let at = 12;
  const leafHashes = segments.map((s) => {
    bytes.set(s, at);
    at += s.length;
    return hashLeaf(s);
  });
  return { bytes, names: sorted.map((t) => t.name), leafHashes, root: rootOf(leafHashes) };
}

/** Parses a blob; checks magic, version, sorted unique names and exact length. */
export function decodeStateBlob(bytes: Uint8Array): { tensors: NamedTensor[] } & StateCommitment {
  const fail = (why: string): never => {
    throw new ProverError('FLAGSTONE_ERR_STATE_BLOB_INVALID', `state blob: ${why}`);
  };
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== STATE_BLOB_VERSION) fail(`version ${version}, want ${STATE_BLOB_VERSION}`);
  const count = view.getUint32(8, true);
  let at = 12;
  const u32 = () => {
    if (at + 4 > bytes.length) fail('truncated');
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const text = (n: number) => {
    if (at + n > bytes.length) fail('truncated');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const tensors: NamedTensor[] = [];
  const leafHashes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = at;
    const name = text(u32());
    const dtype = text(u32()) as DType;
    if (!(dtype in DTYPE_BYTES)) fail(`tensor ${name}: unknown dtype ${dtype}`);
    const rank = u32();
    const shape = Array.from({ length: rank }, u32);
    const size = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
    if (at + size > bytes.length) fail(`tensor ${name}: truncated data`);
    const data = bytes.slice(at, at + size);
    at += size;
    if (i > 0 && !(tensors[i - 1]!.name < name))
      fail(`tensor ${name}: names not sorted and unique`);
    tensors.push({ name, dtype, shape, data });
    leafHashes.push(hashLeaf(bytes.subarray(start, at)));
  }
  if (at !== bytes.length) fail(`${bytes.length - at} trailing bytes`);
  return { tensors, names: tensors.map((t) => t.name), leafHashes, root: rootOf(leafHashes) };
}
