/**
 * A failed group commit must not leave a hole: entries of the failed batch and of every batch
 * behind it are rejected (503), nothing after the loss is written, tips return to the durable
 * state, and the trainer can resync and continue. Faults are injected in front of the real
 * SQLite store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signerFromSeed } from '../../ledger/index.ts';
import { openDatabase } from '../../server/persistence/database.ts';
import {
  SqliteAppendStore,
  type AppendBatch,
  type AppendStore,
} from '../../server/persistence/append-store.ts';
import { JobLog } from '../../server/services/job-log.ts';
import { JobService } from '../../server/services/jobs.ts';
import { FlagstoneError } from '../../server/errors.ts';
import { DOMAIN, EntryChain, openJobRequest, wallet } from '../helpers/actors.ts';

class FaultyStore implements AppendStore {
  failNext = false;
  constructor(private readonly inner: AppendStore) {}
  commit(batch: AppendBatch, epoch: number): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      // Let the real store see a batch it must refuse, so later batches of this epoch are refused too.
      return this.inner.commit(
        {
          ...batch,
          tips: [{ jobId: 'no-such-job', size: 1, lastLeaf: '0'.repeat(64), trainerPubKey: null }],
        },
        epoch,
      );
    }
    return this.inner.commit(batch, epoch);
  }
  close() {
    return this.inner.close();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'flagstone-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('group commit failure', () => {
  it('rejects the lost batch and everything behind it, then recovers from the durable tip', async () => {
    const file = path.join(dir, 'db.sqlite');
    const db = await openDatabase({ url: `file:${file}`, durableCommits: false });
    const store = new FaultyStore(new SqliteAppendStore(file, false));
    const log = new JobLog(db, store, signerFromSeed('t', new Uint8Array(32)), 't', DOMAIN);
    const jobs = new JobService(db, log);
    const trainer = wallet(0x72);
    const job = await jobs.open(await openJobRequest(wallet(0x71), trainer, { f: 1 }));
    const chain = new EntryChain(job.jobId, job.specHash, trainer);
    const all = Array.from({ length: 40 }, () => chain.next());

    for (const e of all.slice(0, 10)) await log.append(job.jobId, e.entry, e.signature);
    store.failNext = true;
    const outcomes = await Promise.allSettled(
      all.slice(10, 30).map((e) => log.append(job.jobId, e.entry, e.signature)),
    );
    const firstFailure = outcomes.findIndex((o) => o.status === 'rejected');
    expect(firstFailure).toBeGreaterThanOrEqual(0);
    // Nothing after the first lost entry may have been acknowledged.
    expect(outcomes.slice(firstFailure).every((o) => o.status === 'rejected')).toBe(true);
    for (const o of outcomes.slice(firstFailure)) {
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(FlagstoneError);
      expect((o as PromiseRejectedResult).reason.statusCode).toBe(503);
    }
    const durable = 10 + firstFailure;
    const rows = await db.entry.findMany({
      where: { jobId: job.jobId },
      orderBy: { index: 'asc' },
    });
    expect(rows.map((r) => Number(r.index))).toEqual(Array.from({ length: durable }, (_, i) => i));
    expect((await log.job(job.jobId)).tipSize).toBe(durable);

    // The trainer resyncs from the durable size and continues.
    for (const e of all.slice(durable)) await log.append(job.jobId, e.entry, e.signature);
    expect((await log.checkpoint(job.jobId)).size).toBe(40);
    await log.drain();
    await store.close();
    await db.$disconnect();
  });
});
