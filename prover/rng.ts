/**
 * The committed pseudo-random generator: xoshiro128** (Blackman & Vigna), 4 × uint32 of state.
 * Its state is a tensor of the training state (`rng/state`), so data order and augmentation
 * noise are bound by every entry's stateRoot (DESIGN §6). Only integer arithmetic (Math.imul,
 * shifts) is used, so every JS engine produces the same stream bit for bit.
 */
import { sha256 } from '../ledger/index.ts';

export class Rng {
  private readonly s: Uint32Array;

  /** `state` must hold 4 words, not all zero (the generator's one fixed point). */
  constructor(state: Uint32Array) {
    if (state.length !== 4 || state.every((w) => w === 0))
      throw new RangeError('rng state must be 4 words, not all zero');
    this.s = Uint32Array.from(state);
  }

  /** A generator seeded from SHA-256 of a domain label and a seed (stream separation by label). */
  static fromSeed(label: string, seed: number): Rng {
    const h = sha256(new TextEncoder().encode(`flagstone:rng:${label}:${seed}`));
    const words = new Uint32Array(h.buffer.slice(h.byteOffset, h.byteOffset + 16));
    if (words.every((w) => w === 0)) words[0] = 1;
    return new Rng(words);
  }

  /** Copy of the 4-word state (little-endian when serialised). */
  get state(): Uint32Array {
    return Uint32Array.from(this.s);
  }

  /** Next uint32. */
  next(): number {
    const s = this.s;
    let s0 = s[0]!,
      s1 = s[1]!,
      s2 = s[2]!,
      s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  /** Uniform float in [0, 1) with 24 random bits: exactly representable in float32. */
  uniform(): number {
    return (this.next() >>> 8) / 16777216;
  }

  /** Unbiased integer in [0, n), by rejection. */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`bad bound ${n}`);
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }

  /** In-place Fisher–Yates shuffle of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
