/**
 * Anchoring: RFC 9162 consistency from the last anchored head (DESIGN §4), with real proofs
 * from `ledger/`; forked, rewritten and rolled-back heads are rejected.
 */
import { expect } from 'chai';
import type { Contract } from 'ethers';
import { loadFixture } from './helpers/network.cts';
import { TestLog } from './helpers/tree.cts';
import { type Actors, baseFixture, defaultTerms, escrowOf, id32 } from './helpers/ledger.cts';
import { MemoryTree, hashLeaf } from '../../ledger/index.ts';
import { hex0x } from './helpers/tree.cts';

async function openedFixture() {
  const { a, ledger } = await baseFixture();
  const jobs = [id32('job-a'), id32('job-b'), id32('job-c')];
  for (const jobId of jobs) {
    const terms = await defaultTerms(a);
    await (ledger.connect(a.client) as Contract).openJob(jobId, terms, { value: escrowOf(terms) });
  }
  return { a, ledger, jobs };
}

describe('FlagstoneLedger anchoring', () => {
  let a: Actors;
  let ledger: Contract;
  let jobs: string[];
  let op: Contract;
  beforeEach(async () => {
    ({ a, ledger, jobs } = await loadFixture(openedFixture));
    op = ledger.connect(a.operator) as Contract;
  });

  describe('anchor', () => {
    it('takes the first head without a proof and records it', async () => {
      const log = new TestLog().growTo(5);
      await expect(op.anchor(jobs[0], 5, log.root(), []))
        .to.emit(ledger, 'HeadAnchored')
        .withArgs(jobs[0], 5, log.root(), 0);
      const [size, root, operator] = await ledger.head(jobs[0]);
      expect([Number(size), root, operator]).to.deep.equal([5, log.root(), a.operator.address]);
    });

    it('rejects a proof on the first anchor', async () => {
      const log = new TestLog().growTo(5);
      await expect(op.anchor(jobs[0], 5, log.root(), [log.root()]))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidConsistencyProof')
        .withArgs(jobs[0], 0, 5);
    });

    it('follows a growing log with proofs from ledger/ at many sizes', async () => {
      const log = new TestLog();
      let prev = 0;
      for (const size of [
        1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 64, 100, 129, 255, 256, 1000,
      ]) {
        log.growTo(size);
        await expect(op.anchor(jobs[0], size, log.root(), log.proof(prev)))
          .to.emit(ledger, 'HeadAnchored')
          .withArgs(jobs[0], size, log.root(), prev);
        prev = size;
      }
      expect((await ledger.head(jobs[0]))[1]).to.equal(log.root());
    });

    it('rejects a forked head: a log that diverged before the anchored size', async () => {
      const honest = new TestLog('honest').growTo(10);
      await op.anchor(jobs[0], 10, honest.root(), []);
      // Same first 6 entries, different entries 6.. — a split view of the log.
      const fork = new MemoryTree();
      for (let i = 0; i < 20; i++) {
        const label = i < 6 ? `honest-${i}` : `fork-${i}`;
        fork.append(hashLeaf(new TextEncoder().encode(label)));
      }
      const forkProof = fork.consistencyProof(10, 20).map(hex0x);
      await expect(op.anchor(jobs[0], 20, hex0x(fork.root(20)), forkProof))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidConsistencyProof')
        .withArgs(jobs[0], 10, 20);
      // Nor does the honest log's proof carry the forked root.
      honest.growTo(20);
      await expect(op.anchor(jobs[0], 20, hex0x(fork.root(20)), honest.proof(10)))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidConsistencyProof')
        .withArgs(jobs[0], 10, 20);
      // The honest extension still anchors.
      await expect(op.anchor(jobs[0], 20, honest.root(), honest.proof(10))).to.emit(
        ledger,
        'HeadAnchored',
      );
    });

    it('rejects a rewritten entry even when every later hash is recomputed', async () => {
      const honest = new TestLog('h').growTo(33);
      await op.anchor(jobs[0], 33, honest.root(), []);
      const rewritten = new MemoryTree();
      for (let i = 0; i < 40; i++) {
        rewritten.append(hashLeaf(new TextEncoder().encode(i === 2 ? 'h-2-rewritten' : `h-${i}`)));
      }
      await expect(
        op.anchor(
          jobs[0],
          40,
          hex0x(rewritten.root(40)),
          rewritten.consistencyProof(33, 40).map(hex0x),
        ),
      ).to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidConsistencyProof');
    });

    it('rejects a rolled-back, repeated or same-size head as stale', async () => {
      const log = new TestLog().growTo(12);
      await op.anchor(jobs[0], 12, log.root(), []);
      await expect(op.anchor(jobs[0], 7, log.root(7), []))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerStaleHead')
        .withArgs(jobs[0], 12, 7);
      await expect(op.anchor(jobs[0], 12, log.root(), []))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerStaleHead')
        .withArgs(jobs[0], 12, 12);
      await expect(op.anchor(jobs[0], 12, id32('other'), []))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerStaleHead')
        .withArgs(jobs[0], 12, 12);
      await expect(op.anchor(jobs[0], 0, id32('zero'), []))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerStaleHead')
        .withArgs(jobs[0], 12, 0);
    });

    it('only lets the job operator anchor, and only known jobs', async () => {
      const log = new TestLog().growTo(2);
      await expect((ledger.connect(a.stranger) as Contract).anchor(jobs[0], 2, log.root(), []))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(jobs[0], a.stranger.address, a.operator.address);
      await expect(op.anchor(id32('nope'), 2, log.root(), []))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnknownJob')
        .withArgs(id32('nope'));
    });

    it('keeps anchoring after the job is cancelled (the log outlives the escrow)', async () => {
      await (ledger.connect(a.client) as Contract).cancelJob(jobs[0]);
      const log = new TestLog().growTo(3);
      await expect(op.anchor(jobs[0], 3, log.root(), [])).to.emit(ledger, 'HeadAnchored');
    });

    it('reports an empty head for unknown jobs', async () => {
      const [size, root, operator] = await ledger.head(id32('unknown'));
      expect([Number(size), root, operator]).to.deep.equal([
        0,
        `0x${'0'.repeat(64)}`,
        `0x${'0'.repeat(40)}`,
      ]);
    });
  });

  describe('anchorMany', () => {
    it('anchors several jobs in one transaction', async () => {
      const logs = jobs.map((j, k) => new TestLog(j).growTo(5 + k));
      const first = jobs.map((jobId, k) => ({
        jobId,
        size: logs[k]!.tree.size,
        root: logs[k]!.root(),
        proof: [],
      }));
      const tx = op.anchorMany(first);
      for (let k = 0; k < jobs.length; k++) {
        await expect(tx)
          .to.emit(ledger, 'HeadAnchored')
          .withArgs(jobs[k], 5 + k, logs[k]!.root(), 0);
      }
      const second = jobs.map((jobId, k) => {
        const from = logs[k]!.tree.size;
        logs[k]!.growTo(from * 3);
        return { jobId, size: from * 3, root: logs[k]!.root(), proof: logs[k]!.proof(from) };
      });
      await op.anchorMany(second);
      for (let k = 0; k < jobs.length; k++)
        expect((await ledger.head(jobs[k]))[1]).to.equal(logs[k]!.root());
    });

    it('applies repeated jobs in order within one batch', async () => {
      const log = new TestLog().growTo(9);
      await op.anchorMany([
        { jobId: jobs[0], size: 4, root: log.root(4), proof: [] },
        { jobId: jobs[0], size: 9, root: log.root(9), proof: log.proof(4, 9) },
      ]);
      expect(Number((await ledger.head(jobs[0]))[0])).to.equal(9);
    });

    it('is all or nothing', async () => {
      const good = new TestLog('good').growTo(4);
      const bad = new TestLog('bad').growTo(4);
      await op.anchor(jobs[1], 2, bad.root(2), []);
      await expect(
        op.anchorMany([
          { jobId: jobs[0], size: 4, root: good.root(), proof: [] },
          { jobId: jobs[1], size: 4, root: id32('forged'), proof: bad.proof(2, 4) },
        ]),
      )
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidConsistencyProof')
        .withArgs(jobs[1], 2, 4);
      expect(Number((await ledger.head(jobs[0]))[0])).to.equal(0);
    });

    it('rejects an empty batch and foreign jobs', async () => {
      await expect(op.anchorMany([]))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerEmptyBatch')
        .withArgs(0);
      const log = new TestLog().growTo(2);
      await expect(
        (ledger.connect(a.stranger) as Contract).anchorMany([
          { jobId: jobs[0], size: 2, root: log.root(), proof: [] },
        ]),
      ).to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized');
    });
  });
});
