/**
 * Committed data order. Each epoch is a Fisher–Yates permutation of the training examples drawn
 * from the committed RNG; a step takes the next `batchSize` positions (the tail of an epoch
 * shorter than a batch is dropped). The permutation, the cursor into it and the epoch counter
 * are tensors of the state, so a verifier resumes mid-epoch exactly.
 */
import type { Rng } from '../rng.ts';

export interface DataCursor {
  /** Current epoch's order (replaced, never mutated, when an epoch starts). */
  order: Uint32Array;
  cursor: number;
  epoch: number;
}

/** Before the first step: no epoch drawn yet (the first step draws one). */
export function initialCursor(count: number): DataCursor {
  return { order: Uint32Array.from({ length: count }, (_, i) => i), cursor: count, epoch: 0 };
}

/** Indices of the next batch; advances the cursor and, at an epoch boundary, the RNG. */
export function nextBatch(c: DataCursor, rng: Rng, batchSize: number): Uint32Array {
  const n = c.order.length;
  if (batchSize > n) throw new RangeError(`batch size ${batchSize} exceeds ${n} training examples`);
  if (c.cursor + batchSize > n) {
    c.order = rng.permutation(n);
    c.cursor = 0;
    c.epoch += 1;
  }
  const batch = c.order.slice(c.cursor, c.cursor + batchSize);
  c.cursor += batchSize;
  return batch;
}

/** Leaf data of one step in the entry's batchRoot: u32le(step) ‖ u32le(B) ‖ B × u32le(index). */
export function batchLeafData(step: number, indices: Uint32Array): Uint8Array {
  const out = new Uint8Array(8 + indices.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, step, true);
  view.setUint32(4, indices.length, true);
  indices.forEach((x, i) => view.setUint32(8 + 4 * i, x, true));
  return out;
}
