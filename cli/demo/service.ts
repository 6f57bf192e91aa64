/**
 * Phase 2 — the log service, in-process: `buildApp` with the anchoring worker on the demo's
 * chain (every 8 entries or 2 s), listening on a free loopback port. Everything after this talks
 * to it over HTTP, exactly as separate trainer, client and verifier processes would.
 */
import type { FastifyInstance } from 'fastify';
import type { ChainConnection } from '../../chain/index.ts';
import { FlagstoneClient } from '../../prover/client/index.ts';
import { buildApp } from '../../server/app.ts';
import { JsonHttp } from '../http.ts';
import { ANCHOR_EVERY_ENTRIES } from './training.ts';
import type { Narrator } from './narrator.ts';

export interface ServicePhase {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly api: FlagstoneClient;
  readonly http: JsonHttp;
  /** The log's C2SP verifier key (checks checkpoint notes offline). */
  readonly vkey: string;
}

export async function startService(
  say: Narrator,
  chain: ChainConnection,
  dataDir: string,
): Promise<ServicePhase> {
  say.phase(2, 'Log service');
  const app = await buildApp({
    config: { dataDir, chainId: chain.chainId, verifyingContract: chain.ledger.address },
    anchoring: { chain, everyEntries: ANCHOR_EVERY_ENTRIES, everyMs: 2000 },
  });
  let url: string;
  try {
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (e) {
    await app.close();
    throw e;
  }
  const http = new JsonHttp(url);
  const api = new FlagstoneClient(url);
  const key = await http.get<{ keyName: string; vkey: string }>('/v1/log/public-key');
  const domain = await api.domain();
  say.ok(`Flagstone service on ${url} (SQLite + blobs in ${dataDir})`);
  say.line(
    `EIP-712 domain: chain ${domain.chainId}, verifyingContract ${domain.verifyingContract}`,
  );
  say.line(`checkpoint key ${key.vkey}`);
  say.line(
    `anchoring worker: every ${ANCHOR_EVERY_ENTRIES} entries or 2 s, operator = account #0 (${chain.signer.address})`,
  );
  return { app, url, api, http, vkey: key.vkey };
}
