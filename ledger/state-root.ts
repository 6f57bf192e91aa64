/**
 * Full-state commitments (DESIGN §3): one RFC 9162 leaf per named tensor of the training state
 * (weights, optimizer slots, step counter, RNG state, data cursor), leaves sorted by name, so one
 * tensor can be proven against an entry with an ordinary inclusion proof.
 *   tensor leaf data = u32le(len name) ‖ name ‖ u32le(len dtype) ‖ dtype ‖ u32le(rank) ‖
 *                      rank × u32le(dim) ‖ little-endian element bytes
 * Length prefixes make the encoding injective (DESIGN's `name ‖ dtype ‖ shape ‖ bytes`, made
 * unambiguous).
 */
import { hashLeaf } from './hasher.ts';
import { LedgerError } from './errors.ts';
import { MemoryTree } from './tree.ts';
import { concatBytes } from './bytes.ts';

export type DType = 'float32' | 'int32' | 'uint32' | 'uint8' | 'float64' | 'int64' | 'bool';

export interface NamedTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Element bytes in little-endian order (typed arrays on little-endian hosts already are). */
  readonly data: Uint8Array;
}

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  int32: 4,
  uint32: 4,
  uint8: 1,
  float64: 8,
  int64: 8,
  bool: 1,
};

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** Serialised tensor (the leaf data). */
export function encodeTensor(t: NamedTensor): Uint8Array {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new LedgerError(`tensor ${t.name}: bad shape`);
  if (count * DTYPE_BYTES[t.dtype] !== t.data.length) {
    throw new LedgerError(
      `tensor ${t.name}: ${t.data.length} bytes, want ${count * DTYPE_BYTES[t.dtype]}`,
    );
  }
  const name = new TextEncoder().encode(t.name);
  const dtype = new TextEncoder().encode(t.dtype);
  return concatBytes([
    u32(name.length),
    name,
    u32(dtype.length),
    dtype,
    u32(t.shape.length),
    ...t.shape.map(u32),
    t.data,
  ]);
}

export function tensorLeafHash(t: NamedTensor): Uint8Array {
  return hashLeaf(encodeTensor(t));
}

/** Sorts by name (UTF-16 code unit order, as JS sorts); rejects duplicates. */
export function sortTensors(tensors: readonly NamedTensor[]): NamedTensor[] {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.name === sorted[i - 1]!.name)
      throw new LedgerError(`duplicate tensor name ${sorted[i]!.name}`);
  }
  return sorted;
}

/** The state tree (leaves in name order); its root is an entry's stateRoot. */
export function stateTree(tensors: readonly NamedTensor[]): { tree: MemoryTree; names: string[] } {
  const tree = new MemoryTree();
  const sorted = sortTensors(tensors);
  for (const t of sorted) tree.append(tensorLeafHash(t));
  return { tree, names: sorted.map((t) => t.name) };
}

export function stateRoot(tensors: readonly NamedTensor[]): Uint8Array {
  return stateTree(tensors).tree.root();
}
