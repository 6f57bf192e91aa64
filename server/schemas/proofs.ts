import { z } from 'zod';
import { hash32, uint, uintParam } from './common.ts';

export const checkpointResponse = z.object({ size: uint, rootHex: hash32, note: z.string() });
export const inclusionQuery = z.strictObject({ index: uintParam, size: uintParam });
export const inclusionResponse = z.object({
  index: uint,
  size: uint,
  leafHash: hash32,
  path: z.array(hash32),
});
export const consistencyQuery = z.strictObject({ from: uintParam, to: uintParam });
export const consistencyResponse = z.object({ from: uint, to: uint, path: z.array(hash32) });
export const publicKeyResponse = z.object({
  keyName: z.string(),
  publicKey: z.string().describe('raw Ed25519 public key, base64'),
  vkey: z.string().describe('C2SP verifier key: name+keyid+base64(0x01 ‖ key)'),
});
