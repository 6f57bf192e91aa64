/** Flagstone ledger: pure RFC 9162 trees, proofs, checkpoints, entries and commitments. */
export * from './hex.ts';
export * from './bytes.ts';
export * from './errors.ts';
export * from './hasher.ts';
export * from './tree-math.ts';
export * from './tree.ts';
export * from './verify.ts';
export * from './checkpoint.ts';
export * from './entry.ts';
export * from './eip712.ts';
export * from './signature.ts';
export * from './state-root.ts';
export * from './flags.ts';
export * from './job.ts';
