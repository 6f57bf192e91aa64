/**
 * AnchorWorker against a real hardhat node: N/T thresholds, batching, restart without double
 * anchoring, reconciliation with anchors it did not send, unknown and diverged jobs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { toHex } from '../../ledger/index.ts';
import {
  type AnchoredHead,
  AnchorWorker,
  type AnchorWorkerOptions,
  FlagstoneLedgerClient,
  type LocalChain,
  createProvider,
  startLocalChain,
} from '../../chain/index.ts';
import { MemoryHeadSource, newJobId, openAnchorJob, waitFor } from './helpers.ts';

describe('AnchorWorker', () => {
  let chain: LocalChain;
  let ledger: FlagstoneLedgerClient;
  let operator: string;
  let source: MemoryHeadSource;
  let sink: { jobId: string; head: AnchoredHead }[];
  let errors: { jobId: string | undefined; err: Error }[];
  let clock: number;

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    const provider = await createProvider(chain.rpcUrl, { chainId: chain.chainId });
    const wallet = new Wallet(chain.privateKey, provider);
    operator = wallet.address;
    ledger = new FlagstoneLedgerClient(chain.addresses!.flagstoneLedger, wallet);
  });
  afterAll(async () => {
    await chain?.stop();
  });
  beforeEach(() => {
    source = new MemoryHeadSource();
    sink = [];
    errors = [];
    clock = 1_000_000;
  });

  const worker = (o: Partial<AnchorWorkerOptions> = {}) =>
    new AnchorWorker({
      ledger,
      operator,
      source,
      everyEntries: 5,
      everyMs: 10_000,
      now: () => clock,
      onAnchored: (jobId, head) => void sink.push({ jobId, head }),
      onError: (jobId, err) => void errors.push({ jobId, err }),
      ...o,
    });

  const sizesOf = (jobId: string) => sink.filter((s) => s.jobId === jobId).map((s) => s.head.size);

  it('anchors every N entries, or after T with fewer', async () => {
    const jobId = newJobId();
    await openAnchorJob(ledger, jobId, operator);
    const w = worker();
    source.append(jobId, 3);
    await w.tick();
    expect(sink).toEqual([]); // 3 < N and T not elapsed
    source.append(jobId, 9);
    await w.tick();
    expect(sizesOf(jobId)).toEqual([12]);
    source.append(jobId, 2);
    await w.tick();
    expect(sizesOf(jobId)).toEqual([12]);
    clock += 10_000;
    await w.tick();
    expect(sizesOf(jobId)).toEqual([12, 14]);
    const tree = source.tree(jobId);
    const onChain = await ledger.anchorsOf(jobId);
    expect(onChain.map((a) => [a.size, a.rootHex, a.txHash])).toEqual(
      sink.map((s) => [s.head.size, toHex(tree.root(s.head.size)), s.head.txHash]),
    );
    expect(errors).toEqual([]);
  });

  it('anchors several due jobs in one anchorMany transaction', async () => {
    const jobs = [newJobId(), newJobId(), newJobId()];
    for (const j of jobs) {
      await openAnchorJob(ledger, j, operator);
      source.append(j, 7);
    }
    const w = worker();
    await w.tick();
    expect(w.stats.transactions).toBe(1);
    expect(new Set(sink.map((s) => s.head.txHash)).size).toBe(1);
    for (const j of jobs) expect((await ledger.head(j)).size).toBe(7);
  });

  it('resumes after a restart from the chain: no double anchor, nothing skipped', async () => {
    const jobId = newJobId();
    await openAnchorJob(ledger, jobId, operator);
    source.append(jobId, 6);
    await worker().tick();
    source.append(jobId, 6);
    const restarted = worker(); // fresh memory, same log and chain
    await restarted.tick();
    await restarted.tick(true);
    expect(sizesOf(jobId)).toEqual([6, 12]);
    expect((await ledger.anchorsOf(jobId)).map((a) => a.size)).toEqual([6, 12]);
    expect(errors).toEqual([]);
  });

  it('reports anchors it did not see land, then continues from them', async () => {
    const jobId = newJobId();
    await openAnchorJob(ledger, jobId, operator);
    source.append(jobId, 5);
    const w = worker();
    await w.tick();
    // Someone with the operator key (e.g. a send whose receipt was lost) anchors 9.
    source.append(jobId, 4);
    const tree = source.tree(jobId);
    await ledger.anchor(jobId, 9, toHex(tree.root(9)), tree.consistencyProof(5, 9).map(toHex));
    source.append(jobId, 3);
    await w.tick(true); // proves 5 → 12 against a chain at 9: reverts, forgets the cached head
    expect(errors.map((e) => [e.jobId, (e.err as { errorName?: string }).errorName])).toEqual([
      [jobId, 'FlagstoneLedgerInvalidConsistencyProof'],
    ]);
    await w.tick(true); // re-reads: reports 9 from the event log, then anchors 12
    expect(sizesOf(jobId)).toEqual([5, 9, 12]);
    expect((await ledger.anchorsOf(jobId)).map((a) => a.size)).toEqual([5, 9, 12]);
  });

  it('asks the service to open unknown jobs, and waits otherwise', async () => {
    const jobId = newJobId();
    source.append(jobId, 5);
    let asked = 0;
    const w = worker({
      onUnknownJob: async (id) => {
        asked++;
        if (asked < 2) return false;
        await openAnchorJob(ledger, id, operator);
        return true;
      },
    });
    await w.tick();
    expect([asked, sink.length]).toEqual([1, 0]);
    await w.tick(); // retry is held back until T has passed
    expect(asked).toBe(1);
    clock += 10_000;
    await w.tick(); // opens it
    await w.tick();
    expect([asked, sizesOf(jobId)]).toEqual([2, [5]]);
  });

  it('refuses to anchor a log that diverged from its anchored head', async () => {
    const jobId = newJobId();
    await openAnchorJob(ledger, jobId, operator);
    source.append(jobId, 5);
    await worker().tick();
    const forked = new MemoryHeadSource('fork'); // same job, different entries
    forked.append(jobId, 20);
    const w = new AnchorWorker({
      ledger,
      operator,
      source: forked,
      everyEntries: 1,
      onError: (j, err) => void errors.push({ jobId: j, err }),
    });
    await w.tick();
    await w.tick(true);
    expect((await ledger.head(jobId)).size).toBe(5);
    expect(errors.map((e) => e.err.message)).toEqual([
      expect.stringMatching(/not an extension of the anchored head at 5/),
    ]);
    expect(w.stats.transactions).toBe(0);
  });

  it('leaves jobs of another operator alone', async () => {
    const jobId = newJobId();
    await openAnchorJob(ledger, jobId, Wallet.createRandom().address);
    source.append(jobId, 5);
    const w = worker();
    await w.tick();
    expect(errors[0]?.err.message).toMatch(/operator on chain is/);
    expect(w.stats.transactions).toBe(0);
  });

  it('runs as a loop and backs off while the head source fails', async () => {
    const jobId = newJobId();
    await openAnchorJob(ledger, jobId, operator);
    const w = worker({
      pollMs: 20,
      everyEntries: 1,
      backoff: { initialMs: 20, maxMs: 100 },
      now: Date.now,
    });
    source.failing = true;
    w.start();
    await waitFor(() => w.stats.consecutiveFailures >= 3, 5_000, 20);
    source.failing = false;
    source.append(jobId, 4);
    await waitFor(async () => (await ledger.head(jobId)).size === 4, 10_000);
    await w.stop();
    expect(w.stats.failedPasses).toBeGreaterThanOrEqual(3);
    expect(w.stats.consecutiveFailures).toBe(0);
    expect(sizesOf(jobId)).toEqual([4]);
  });
});
