/**
 * HTTP client for the Flagstone service API (any trainer or verifier process can use it).
 * JSON in and out; errors come back as `{error, message}` and are thrown as HttpError.
 */
import { createHash } from 'node:crypto';
import type { EntryFields, FlagstoneDomain } from '../../ledger/index.ts';
import { HttpError } from '../errors.ts';
import type { Signer } from '../signer.ts';
import { stateGrantHeaders } from './state-auth.ts';

export interface DomainView {
  readonly name: string;
  readonly version: string;
  readonly chainId: number;
  readonly verifyingContract?: string;
}

export interface JobView {
  readonly jobId: string;
  readonly client: string;
  readonly trainer: string;
  readonly specHash: string;
  readonly spec: Record<string, unknown>;
  readonly size: number;
  readonly flagCommitment: string | null;
  readonly origin?: string;
}

export interface OpenJobRequest {
  readonly client: string;
  readonly trainer: string;
  readonly nonce: string;
  readonly spec: Record<string, unknown>;
  readonly signature: string;
}

export interface StoredEntry {
  readonly entry: EntryFields;
  readonly signature: string;
  readonly leafHash: string;
}

export class FlagstoneClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async request(
    method: string,
    path: string,
    init: { json?: unknown; body?: Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | Uint8Array | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body) {
      headers['content-type'] = 'application/octet-stream';
      body = init.body;
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    if (!res.ok) {
      const text = await res.text();
      let parsed: { error?: string; message?: string } = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      throw new HttpError(
        res.status,
        parsed.error ?? 'FLAGSTONE_ERR_HTTP',
        parsed.message ?? text.slice(0, 200),
      );
    }
    return res;
  }

  private async json<T>(method: string, path: string, json?: unknown): Promise<T> {
    return (await (
      await this.request(method, path, json === undefined ? {} : { json })
    ).json()) as T;
  }

  async domain(): Promise<FlagstoneDomain> {
    const d = await this.json<DomainView>('GET', '/v1/domain');
    return {
      chainId: d.chainId,
      ...(d.verifyingContract ? { verifyingContract: d.verifyingContract } : {}),
    };
  }

  openJob(req: OpenJobRequest): Promise<JobView> {
    return this.json('POST', '/v1/jobs', req);
  }

  job(jobId: string): Promise<JobView> {
    return this.json('GET', `/v1/jobs/${jobId}`);
  }

  async commitFlags(jobId: string, commitment: string, signature: string): Promise<void> {
    await this.json('POST', `/v1/jobs/${jobId}/flags`, { commitment, signature });
  }

  appendEntry(
    jobId: string,
    entry: EntryFields,
    signature: string,
  ): Promise<{ index: number; leafHash: string; size: number }> {
    return this.json('POST', `/v1/jobs/${jobId}/entries`, { entry, signature });
  }

  entry(jobId: string, index: number): Promise<StoredEntry> {
    return this.json('GET', `/v1/jobs/${jobId}/entries/${index}`);
  }

  /** Public content-addressed blob; returns its address. */
  async putBlob(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.request('PUT', `/v1/blobs/${sha256}`, { body: bytes });
    return sha256;
  }

  async blob(sha256: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.request('GET', `/v1/blobs/${sha256}`)).arrayBuffer());
  }

  /** Stores the (private) true state of entry `index`; the trainer signs the grant. */
  async putState(
    jobId: string,
    index: number,
    bytes: Uint8Array,
    trainer: Signer,
  ): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const headers = stateGrantHeaders(trainer, jobId, index, { action: 'put', sha256 });
    await this.request('PUT', `/v1/jobs/${jobId}/states/${index}`, { body: bytes, headers });
    return sha256;
  }

  /** Reads the state of entry `index`; `reader` must be the job's client or trainer. */
  async state(jobId: string, index: number, reader: Signer): Promise<Uint8Array> {
    const headers = stateGrantHeaders(reader, jobId, index, { action: 'get' });
    const res = await this.request('GET', `/v1/jobs/${jobId}/states/${index}`, { headers });
    return new Uint8Array(await res.arrayBuffer());
  }
}
