/** Lowercase hex without a 0x prefix: the one textual form for hashes across Flagstone. */

const HEX_32 = /^[0-9a-f]{64}$/;

/** Encodes bytes as lowercase hex (no prefix). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes lowercase or uppercase hex (optionally 0x-prefixed); throws on odd length or bad digits. */
export function fromHex(hex: string): Uint8Array {
  const body = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) {
    throw new TypeError(`invalid hex: got ${JSON.stringify(hex.slice(0, 80))}`);
  }
  return new Uint8Array(Buffer.from(body, 'hex'));
}

/** True when `s` is a 32-byte hash in canonical form (64 lowercase hex digits, no prefix). */
export function isHash32(s: unknown): s is string {
  return typeof s === 'string' && HEX_32.test(s);
}

/** Compares two byte arrays in constant shape (not constant time: inputs are public hashes). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
