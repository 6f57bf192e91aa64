/**
 * Access to private state blobs (DESIGN §5.6, issue 4 item 6). A request carries an EIP-191
 * personal-message signature by the job's trainer (put) or by its client or trainer (get):
 *   put: "flagstone:state:put:<jobId>:<index>:<sha256>:<expiresUnix>"
 *   get: "flagstone:state:get:<jobId>:<index>:<expiresUnix>"
 * in the headers x-flagstone-signer (the claimed 0x-address), x-flagstone-signature and
 * x-flagstone-expires (and x-flagstone-content-sha256 for put). The claimed signer lets the
 * service tell a tampered grant (401) from a valid grant by a non-party (403). The action and, for put, the content hash are bound so that a leaked read grant
 * cannot write and a write grant cannot store other bytes. Grants are short-lived: the service
 * accepts an expiry at most MAX_GRANT_SECONDS ahead.
 */
import { hashMessage } from 'ethers';
import { fromHex } from '../../ledger/index.ts';
import type { Signer } from '../signer.ts';

export const MAX_GRANT_SECONDS = 300;
export const SIGNER_HEADER = 'x-flagstone-signer';
export const SIGNATURE_HEADER = 'x-flagstone-signature';
export const EXPIRES_HEADER = 'x-flagstone-expires';
export const CONTENT_SHA256_HEADER = 'x-flagstone-content-sha256';

export type StateAction = { action: 'put'; sha256: string } | { action: 'get' };

export function stateGrantMessage(
  jobId: string,
  index: number,
  expires: number,
  a: StateAction,
): string {
  return a.action === 'put'
    ? `flagstone:state:put:${jobId}:${index}:${a.sha256}:${expires}`
    : `flagstone:state:get:${jobId}:${index}:${expires}`;
}

/** Headers granting `a` on state `index` of `jobId`, valid for `ttlSeconds`. */
export function stateGrantHeaders(
  signer: Signer,
  jobId: string,
  index: number,
  a: StateAction,
  ttlSeconds = 60,
  now = Date.now(),
): Record<string, string> {
  const expires = Math.floor(now / 1000) + Math.min(ttlSeconds, MAX_GRANT_SECONDS);
  const digest = fromHex(hashMessage(stateGrantMessage(jobId, index, expires, a)));
  return {
    [SIGNER_HEADER]: signer.address,
    [SIGNATURE_HEADER]: signer.sign(digest),
    [EXPIRES_HEADER]: String(expires),
    ...(a.action === 'put' ? { [CONTENT_SHA256_HEADER]: a.sha256 } : {}),
  };
}
