/**
 * The valuation log (DESIGN §7, issue 5 item 4): every utility evaluation of a valuation run is
 * a leaf of an append-only RFC 9162 tree, so the run can be audited (inclusion proofs against a
 * signed tree head) and replayed (each leaf names everything U(S) depended on). Pure: records
 * in, leaf bytes and hashes out; the service persists leaves and signs checkpoints.
 *
 * Leaf bytes: RFC 8785 canonical JSON of
 *   {v, valuationId, index, kind, coalition, dataRoots, modelSpecHash, seed, value}
 * (coalition = member owner ids sorted, dataRoots in the same order; value a finite double,
 * which RFC 8785 serialises as the shortest round-tripping decimal), leaf hash
 * SHA-256(0x00 ‖ bytes) (RFC 9162 §2.1.1). `valuationId` and `index` bind a leaf to its log and
 * position, as `jobId` and `index` do for training entries (DESIGN §3).
 */
import { z } from 'zod';
import {
  MemoryTree,
  canonicalJson,
  fromHex,
  hashLeaf,
  toHex,
  verifyInclusion,
} from '../ledger/index.ts';
import { InvalidInputError, UtilityNotFiniteError } from './errors.ts';
import type { EvaluationRecord, EvaluationSink } from './evaluation-log.ts';

/** One leaf of a valuation log. */
export interface ValuationLogEntry {
  readonly v: 1;
  readonly valuationId: string;
  readonly index: number;
  readonly kind: string;
  readonly coalition: readonly string[];
  readonly dataRoots: readonly string[];
  readonly modelSpecHash: string;
  readonly seed: string;
  readonly value: number;
}

const entrySchema = z.strictObject({
  v: z.literal(1),
  valuationId: z.string().min(1),
  index: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  kind: z.string().min(1),
  coalition: z.array(z.string().min(1)),
  dataRoots: z.array(z.string()),
  modelSpecHash: z.string(),
  seed: z.string(),
  value: z.number().finite(),
});

/** The log entry for the `index`-th evaluation of valuation `valuationId`. */
export function logEntry(
  valuationId: string,
  index: number,
  record: EvaluationRecord,
): ValuationLogEntry {
  if (!Number.isFinite(record.value))
    throw new UtilityNotFiniteError(record.coalition, record.value);
  return {
    v: 1,
    valuationId,
    index,
    kind: record.kind,
    coalition: [...record.coalition],
    dataRoots: [...record.dataRoots],
    modelSpecHash: record.modelSpecHash,
    seed: record.seed,
    value: record.value,
  };
}

/** Checks the shape of an entry (e.g. one read back from storage or a response). */
export function parseLogEntry(doc: unknown): ValuationLogEntry {
  const r = entrySchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InvalidInputError('malformed valuation log entry', {
      details: `${issue.path.join('.') || '(entry)'}: ${issue.message}`,
    });
  }
  if (r.data.coalition.length !== r.data.dataRoots.length) {
    throw new InvalidInputError('malformed valuation log entry', {
      details: `got ${r.data.dataRoots.length} data roots for ${r.data.coalition.length} members`,
    });
  }
  return r.data;
}

/** The exact leaf bytes of an entry (RFC 8785). */
export function encodeLogEntry(entry: ValuationLogEntry): Uint8Array {
  return canonicalJson(entry);
}

/** SHA-256(0x00 ‖ leaf bytes), 64-hex. */
export function logEntryLeafHash(entry: ValuationLogEntry): string {
  return toHex(hashLeaf(encodeLogEntry(entry)));
}

/** An inclusion proof as served: leaf `index` in the tree of `size` leaves. */
export interface LogInclusionProof {
  readonly index: number;
  readonly size: number;
  readonly path: readonly string[];
}

/**
 * Throws unless `entry` is leaf `proof.index` of the tree with root `rootHex` (RFC 9162
 * §2.1.3.2): recomputes the leaf hash from the entry, then the root from the path.
 */
export function verifyLogEntry(
  entry: ValuationLogEntry,
  proof: LogInclusionProof,
  rootHex: string,
): void {
  if (entry.index !== proof.index) {
    throw new InvalidInputError('entry and proof disagree on the index', {
      details: `got entry ${entry.index}, proof ${proof.index}`,
    });
  }
  verifyInclusion(
    proof.index,
    proof.size,
    hashLeaf(encodeLogEntry(entry)),
    proof.path.map(fromHex),
    fromHex(rootHex),
  );
}

/** A valuation log kept in memory while a valuation runs. */
export class ValuationLog {
  readonly valuationId: string;
  readonly #tree = new MemoryTree();
  readonly #entries: ValuationLogEntry[] = [];

  constructor(valuationId: string) {
    this.valuationId = valuationId;
  }

  get size(): number {
    return this.#tree.size;
  }

  get entries(): readonly ValuationLogEntry[] {
    return this.#entries;
  }

  /** Appends one evaluation; returns its index and leaf hash. */
  append(record: EvaluationRecord): { index: number; leafHash: string } {
    const entry = logEntry(this.valuationId, this.#tree.size, record);
    const leaf = hashLeaf(encodeLogEntry(entry));
    const index = this.#tree.append(leaf);
    this.#entries.push(entry);
    return { index, leafHash: toHex(leaf) };
  }

  /** The sink to pass to `withEvaluationLog`. */
  sink(): EvaluationSink {
    return (record) => {
      this.append(record);
    };
  }

  leafHash(index: number): string {
    return toHex(this.#tree.leafHash(index));
  }

  /** Root of the tree at `size` leaves (default: now), 64-hex. */
  rootHex(size = this.size): string {
    return toHex(this.#tree.root(size));
  }

  inclusionProof(index: number, size = this.size): LogInclusionProof {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new InvalidInputError('no such log entry', {
        details: `got index ${index}, want 0..${size - 1}`,
      });
    }
    return { index, size, path: this.#tree.inclusionProof(index, size).map(toHex) };
  }
}

/** Rebuilds a log's tree from its stored leaf hashes, in index order (the service's read path). */
export function treeFromLeafHashes(leafHashes: readonly string[]): MemoryTree {
  const tree = new MemoryTree();
  for (const h of leafHashes) tree.append(fromHex(h));
  return tree;
}
