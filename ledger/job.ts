/**
 * Job identity. The spec hash commits to the whole training spec (model, hyper-parameters, data
 * commitment, steps, backend); the job id commits to who opened the job for whom:
 *   specHash = sha256(JCS(spec))
 *   jobId    = sha256(JCS({v, client, trainer, specHash, nonce}))
 * Addresses are lowercase 0x-hex; the client signs OpenJob{client, trainer, specHash, nonce}.
 */
import { sha256 } from './hasher.ts';
import { canonicalJson } from './entry.ts';
import { toHex } from './hex.ts';

export interface JobHeader {
  readonly v: 1;
  readonly client: string;
  readonly trainer: string;
  readonly specHash: string;
  readonly nonce: string;
}

export function specHashOf(spec: unknown): string {
  return toHex(sha256(canonicalJson(spec)));
}

export function jobIdOf(h: JobHeader): string {
  return toHex(
    sha256(
      canonicalJson({
        v: h.v,
        client: h.client,
        trainer: h.trainer,
        specHash: h.specHash,
        nonce: h.nonce,
      }),
    ),
  );
}

/** Any JSON value's canonical SHA-256 (hparams, env descriptors, …). */
export function jsonHash(value: unknown): string {
  return toHex(sha256(canonicalJson(value)));
}
