/**
 * The service anchors its own heads: a real Hardhat node, the real app with its anchoring worker,
 * entries appended over the API; the chain ends up holding the service's checkpoint root, the
 * anchors route lists every anchor in order, and a restarted worker neither re-anchors nor skips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectChain,
  startLocalChain,
  type ChainConnection,
  type LocalChain,
} from '../../chain/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.ts';
import { buildTestApp } from '../helpers/app.ts';
import { EntryChain, openJobRequest, wallet } from '../helpers/actors.ts';

let node: LocalChain;
let chain: ChainConnection;

beforeAll(async () => {
  node = await startLocalChain({ port: 0 });
  chain = await connectChain({
    config: {
      rpcUrl: node.rpcUrl,
      privateKey: node.privateKey,
      ledgerAddress: node.addresses!.flagstoneLedger,
      splitterAddress: node.addresses!.royaltySplitter,
      localPort: 0,
      rpcTimeoutMs: 10_000,
    },
  });
}, 120_000);
afterAll(async () => {
  await chain?.close();
  await node?.stop();
});

describe('anchoring from the service', () => {
  it('anchors the signed heads of a job and lists them', async () => {
    const domain = {
      chainId: chain.chainId,
      verifyingContract: chain.ledger.address.toLowerCase(),
    };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'flagstone-anchor-'));
    const make = () =>
      buildApp({
        config: {
          dataDir,
          durableCommits: false,
          chainId: domain.chainId,
          verifyingContract: domain.verifyingContract,
        },
        anchoring: { chain, everyEntries: 5, everyMs: 100_000 },
      });
    let app = await make();

    const trainer = wallet(0x82);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: await openJobRequest(wallet(0x81), trainer, { a: 1 }, '00'.repeat(32), domain),
    });
    expect(res.statusCode).toBe(201);
    const { jobId, specHash } = res.json();
    const entries = new EntryChain(jobId, specHash, trainer, domain);
    const append = async (n: number) => {
      for (let i = 0; i < n; i++)
        expect(
          (
            await app.inject({
              method: 'POST',
              url: `/v1/jobs/${jobId}/entries`,
              payload: entries.next(),
            })
          ).statusCode,
        ).toBe(201);
    };

    await append(7);
    await app.anchoring.flush();
    let anchors = (await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/anchors` })).json();
    expect(anchors.map((a: { size: number }) => a.size)).toEqual([7]);
    const cp7 = (await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/checkpoint` })).json();
    expect(anchors[0].rootHex).toBe(cp7.rootHex);
    expect(anchors[0].txHash).toMatch(/^0x[0-9a-f]{64}$/);

    // A flush anchors whatever is pending, even below N.
    await append(2);
    await app.anchoring.flush();
    expect(
      (await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/anchors` })).json(),
    ).toHaveLength(2);

    // A restarted service reconciles with the chain: it anchors the rest once, never 7 or 9 again.
    await app.close();
    app = await make();
    await append(4);
    await app.anchoring.flush();
    anchors = (await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/anchors` })).json();
    expect(anchors.map((a: { size: number }) => a.size)).toEqual([7, 9, 13]);
    const head = await chain.ledger.head(jobId);
    expect(head.size).toBe(13);
    expect(head.rootHex).toBe(
      (await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/checkpoint` })).json().rootHex,
    );
    expect(
      (await app.inject({ method: 'GET', url: `/v1/jobs/${'0'.repeat(64)}/anchors` })).statusCode,
    ).toBe(404);
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('answers 503 on the anchors route when the service runs without a chain', async () => {
    const t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: `/v1/jobs/${'0'.repeat(64)}/anchors` });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toBe('FLAGSTONE_ERR_UNAVAILABLE');
    await t.close();
  });
});
