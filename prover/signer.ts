/** The trainer's (or client's) secp256k1 key, signing EIP-712 digests via ledger's signDigest. */
import { addressOfPublicKey, fromHex, publicKeyOf, signDigest } from '../ledger/index.ts';

export interface Signer {
  /** Lowercase 0x-address. */
  readonly address: string;
  /** 0x-hex 65-byte signature (r ‖ s ‖ v, low s) over a 32-byte digest. */
  sign(digest: Uint8Array): string;
}

export function signerFromKey(privateKeyHex: string): Signer {
  const key = fromHex(privateKeyHex);
  if (key.length !== 32) throw new TypeError(`private key has ${key.length} bytes, want 32`);
  const address = addressOfPublicKey(publicKeyOf(key));
  return { address, sign: (digest) => signDigest(digest, key) };
}
