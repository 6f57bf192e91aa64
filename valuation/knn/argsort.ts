/**
 * Stable argsort of non-negative doubles (squared distances): the order of equal keys is the
 * index order, which is exactly the "ties broken by row order" rule of KNN-Shapley.
 * For large arrays a radix sort on the IEEE-754 bit pattern is used: for x ≥ 0 the bit pattern
 * read as an unsigned integer is monotone in x, so two stable 16-bit counting passes on the
 * high word order the keys to ~1e-6 relative precision in O(N), and the rare runs that share a
 * high word are finished by their low word. This matters because KNN-Shapley sorts the whole
 * training set once per test point.
 */
import { InvalidDataError } from '../errors.ts';

const RADIX_MIN = 2048;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Indices 0..n−1 sorted by key, ties by index. Keys must be finite and ≥ 0. */
export function argsortNonNegative(keys: Float64Array): Uint32Array {
  const n = keys.length;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (!(k >= 0) || k === Infinity) {
      throw new InvalidDataError('sort keys must be finite and non-negative', {
        details: `key ${i} is ${k}`,
      });
    }
  }
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return comparatorArgsort(keys);
  return radixArgsort(keys);
}

/** Reference implementation (also the small-n path). */
export function comparatorArgsort(keys: Float64Array): Uint32Array {
  const idx = Uint32Array.from({ length: keys.length }, (_, i) => i);
  return idx.sort((a, b) => keys[a]! - keys[b]! || a - b);
}

function radixArgsort(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n); // [lo, hi] per key
  // 1) Stable LSD radix sort on the high 32 bits (sign, exponent, 20 mantissa bits) in two
  //    16-bit passes. The high word travels with the index so each pass reads sequentially.
  let hi = new Uint32Array(n);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = words[2 * i + 1]!;
    idx[i] = i;
  }
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let shift = 0; shift <= 16; shift += 16) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(hi[i]! >>> shift) & 0xffff]!++;
    if (count[(hi[0]! >>> shift) & 0xffff] === n) continue; // one bucket: the pass is a no-op
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const d = count[(hi[i]! >>> shift) & 0xffff]!++;
      idx2[d] = idx[i]!;
      hi2[d] = hi[i]!;
    }
    [idx, idx2] = [idx2, idx];
    [hi, hi2] = [hi2, hi];
  }
  // 2) Runs with equal high words (relative gap < 1e-6, or exact ties) are ordered by the low
  //    word; stability of step 1 already put equal keys in index order, so a run whose low
  //    words are non-decreasing — the common case, including exact ties — is left as is.
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && hi[end] === hi[start]) end++;
    if (end - start > 1) sortRunByLowWord(idx, start, end, words);
    start = end;
  }
  return idx;
}

function sortRunByLowWord(idx: Uint32Array, start: number, end: number, words: Uint32Array): void {
  let sorted = true;
  for (let i = start + 1; i < end && sorted; i++)
    sorted = words[2 * idx[i - 1]!]! <= words[2 * idx[i]!]!;
  if (sorted) return;
  const run = idx.subarray(start, end);
  run.set(Uint32Array.from(run).sort((a, b) => words[2 * a]! - words[2 * b]! || a - b));
}
