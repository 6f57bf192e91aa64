/**
 * A naive, recursive transcription of RFC 9162 §2.1 used only as a test oracle: MTH, PATH and
 * PROOF/SUBPROOF exactly as the RFC writes them, over the raw leaf data. O(n) per call.
 */
import { createHash } from 'node:crypto';

const h = (...parts: Uint8Array[]) => {
  const x = createHash('sha256');
  for (const p of parts) x.update(p);
  return new Uint8Array(x.digest());
};

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

export function refMTH(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return h();
  if (d.length === 1) return h(Uint8Array.of(0), d[0]!);
  const s = k(d.length);
  return h(Uint8Array.of(1), refMTH(d.slice(0, s)), refMTH(d.slice(s)));
}

export function refPATH(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s
    ? [...refPATH(m, d.slice(0, s)), refMTH(d.slice(s))]
    : [...refPATH(m - s, d.slice(s)), refMTH(d.slice(0, s))];
}

function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMTH(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), refMTH(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), refMTH(d.slice(0, s))];
}

export function refPROOF(m: number, d: Uint8Array[]): Uint8Array[] {
  if (m === 0 || m === d.length) return [];
  return subproof(m, d, true);
}

/** Deterministic leaf data: the bytes of "leaf-<i>". */
export function leafData(i: number): Uint8Array {
  return new TextEncoder().encode(`leaf-${i}`);
}
