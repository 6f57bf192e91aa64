/**
 * Seeded pseudo-random numbers for estimators. Valuation math must be replayable (DESIGN §7:
 * a valuation is audited like training), so nothing here touches Math.random or the clock.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2021) — 128-bit state, period 2^128 − 1, passes BigCrush, and needs only 32-bit
 * integer arithmetic, which JavaScript does exactly with Math.imul and >>> 0.
 * Seeding: a numeric seed is expanded into the 4-word state with splitmix32 (so nearby seeds
 * give unrelated streams); a string seed is hashed with SHA-256 and its first 16 bytes are the
 * state. An all-zero state (the one fixed point) is replaced by a constant.
 */
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import { InvalidInputError } from './errors.ts';

/** A seed: a safe integer or any string (e.g. a beacon value or job id). */
export type Seed = number | string;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 step (Steele, Lea & Flood 2014, 32-bit variant): returns [output, nextState]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [(z ^ (z >>> 15)) >>> 0, next];
}

function stateFromSeed(seed: Seed): Uint32Array {
  const s = new Uint32Array(4);
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new InvalidInputError('seed must be a safe integer or a string', {
        details: `got ${seed}`,
      });
    }
    // Fold the high bits in so seeds above 2^32 still differ.
    let st = (seed ^ Math.floor(seed / 0x100000000)) | 0;
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix32(st);
      s[i] = out;
      st = next;
    }
  } else {
    const digest = sha256(utf8ToBytes(seed));
    const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
    for (let i = 0; i < 4; i++) s[i] = view.getUint32(4 * i, true);
  }
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 0x9e3779b9;
  return s;
}

/** A seeded xoshiro128** stream with the sampling helpers estimators need. */
export class Rng {
  readonly #s: Uint32Array;

  /** Creates a generator from a seed, or from an explicit 4-word state (tests, forks). */
  constructor(seed: Seed | Uint32Array = 0) {
    this.#s = seed instanceof Uint32Array ? Uint32Array.from(seed) : stateFromSeed(seed);
    if (this.#s.length !== 4) {
      throw new InvalidInputError('xoshiro128** state must have 4 words', {
        details: `got ${this.#s.length}`,
      });
    }
  }

  /** Next 32-bit unsigned integer (xoshiro128** 1.1 reference algorithm). */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n) without modulo bias (rejection on the 32-bit range). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) {
      throw new InvalidInputError('int(n) needs an integer 1 <= n <= 2^32', {
        details: `got ${n}`,
      });
    }
    if (n > 0x7fffffff) return Math.floor(this.float() * n);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i]!;
      a[i] = a[j]!;
      a[j] = tmp;
    }
    return a;
  }

  /** A uniformly random permutation of 0..n−1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** Standard normal deviate (Box–Muller; one of the pair is discarded for simplicity). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A copy of the internal state (for tests and for recording a stream position). */
  state(): Uint32Array {
    return Uint32Array.from(this.#s);
  }
}
