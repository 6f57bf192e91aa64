/**
 * Model-ready examples and their commitments. The data root is an RFC 9162 tree with one leaf
 * per training example, in the committed order, over the example's canonical bytes:
 *   tabular: float32le features ‖ int32le label
 *   text:    int32le tokens (context + 1 of them: BOS, characters, EOS, PAD…)
 * These are exactly the values the model consumes, so standardisation statistics and the
 * vocabulary are committed through the root (DESIGN §6).
 */
import { hashLeaf, MemoryTree, toHex } from '../../ledger/index.ts';

export interface TabularExamples {
  readonly kind: 'tabular';
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
  /** count × dim, row-major. */
  readonly features: Float32Array;
  readonly labels: Int32Array;
  /** Owner of each example (data owners are the players of DESIGN §7). */
  readonly owners: readonly string[];
}

export interface TextExamples {
  readonly kind: 'text';
  readonly count: number;
  /** Tokens per example: context + 1 (inputs are [0, context), targets [1, context]). */
  readonly seqLen: number;
  readonly vocabSize: number;
  /** count × seqLen, row-major. */
  readonly tokens: Int32Array;
  readonly owners: readonly string[];
}

export type Examples = TabularExamples | TextExamples;

/** Canonical bytes of example i (the data-root leaf data). */
export function exampleBytes(ex: Examples, i: number): Uint8Array {
  if (ex.kind === 'tabular') {
    const out = new Uint8Array(ex.dim * 4 + 4);
    const view = new DataView(out.buffer);
    for (let j = 0; j < ex.dim; j++) view.setFloat32(j * 4, ex.features[i * ex.dim + j]!, true);
    view.setInt32(ex.dim * 4, ex.labels[i]!, true);
    return out;
  }
  const out = new Uint8Array(ex.seqLen * 4);
  const view = new DataView(out.buffer);
  for (let j = 0; j < ex.seqLen; j++) view.setInt32(j * 4, ex.tokens[i * ex.seqLen + j]!, true);
  return out;
}

/** RFC 9162 root over the examples' leaves, 64-hex. */
export function dataRoot(ex: Examples): string {
  const tree = new MemoryTree();
  for (let i = 0; i < ex.count; i++) tree.append(hashLeaf(exampleBytes(ex, i)));
  return toHex(tree.root());
}

/** One root per owner over that owner's examples in committed order (valuation shards). */
export function ownerRoots(ex: Examples): Map<string, string> {
  const trees = new Map<string, MemoryTree>();
  for (let i = 0; i < ex.count; i++) {
    const owner = ex.owners[i]!;
    let t = trees.get(owner);
    if (!t) trees.set(owner, (t = new MemoryTree()));
    t.append(hashLeaf(exampleBytes(ex, i)));
  }
  return new Map([...trees].sort(([a], [b]) => (a < b ? -1 : 1)).map(([o, t]) => [o, toHex(t.root())]));
}

/** The examples at `indices` (in that order); used to split and to select owners. */
export function selectExamples<E extends Examples>(ex: E, indices: readonly number[]): E {
  const owners = indices.map((i) => ex.owners[i]!);
  if (ex.kind === 'tabular') {
    const features = new Float32Array(indices.length * ex.dim);
    indices.forEach((i, r) => features.set(ex.features.subarray(i * ex.dim, (i + 1) * ex.dim), r * ex.dim));
    const labels = Int32Array.from(indices, (i) => ex.labels[i]!);
    return { ...ex, count: indices.length, features, labels, owners } as E;
  }
  const tokens = new Int32Array(indices.length * ex.seqLen);
  indices.forEach((i, r) => tokens.set(ex.tokens.subarray(i * ex.seqLen, (i + 1) * ex.seqLen), r * ex.seqLen));
  return { ...ex, count: indices.length, tokens, owners } as E;
}
