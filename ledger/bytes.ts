/** Byte helpers shared by the ledger's encoders (EIP-712 words, flag commitments, state leaves). */

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A uint256 as a 32-byte big-endian word (Solidity's abi encoding of uint256). */
export function uint256Word(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << 256n) throw new RangeError(`uint256 out of range: ${value}`);
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
