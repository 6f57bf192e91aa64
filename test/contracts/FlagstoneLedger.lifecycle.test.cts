/**
 * Job lifecycle: open, accept, cancel, expire, close, withdraw, views and the pure encoders
 * shared with `ledger/` (DESIGN §5 byte layouts).
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { ethers } from 'hardhat';
import type { Contract } from 'ethers';
import { flagCommitment, sealedRoot } from '../../ledger/index.ts';
import { latestTime, loadFixture, mineAt, setNextTime } from './helpers/network.cts';
import { TestLog } from './helpers/tree.cts';
import {
  type Actors,
  type Terms,
  HOUR,
  SEED_DELAY,
  baseFixture,
  defaultTerms,
  escrowOf,
  id32,
  parseEther,
} from './helpers/ledger.cts';

const JOB = id32('job');
const C = id32('commitment');

describe('FlagstoneLedger lifecycle', () => {
  let a: Actors;
  let ledger: Contract;
  let terms: Terms;
  const as = (s: { address: string }) => ledger.connect(s as never) as Contract;

  beforeEach(async () => {
    ({ a, ledger } = await loadFixture(baseFixture));
    terms = await defaultTerms(a);
  });

  const open = (t: Terms = terms, value = escrowOf(t)) => as(a.client).openJob(JOB, t, { value });
  const accept = () => as(a.trainer).acceptJob(JOB, C, { value: terms.trainerStake });

  describe('openJob', () => {
    it('escrows payment plus budget and records terms and state', async () => {
      const escrow = escrowOf(terms);
      await expect(open())
        .to.emit(ledger, 'JobOpened')
        .withArgs(
          JOB,
          a.client.address,
          a.trainer.address,
          a.operator.address,
          a.arbiter.address,
          terms.specHash,
          escrow,
        );
      expect(await ethers.provider.getBalance(await ledger.getAddress())).to.equal(escrow);
      expect(await ledger.requiredEscrow(terms)).to.equal(escrow);
      const t = await ledger.jobTerms(JOB);
      expect(t.trainer).to.equal(a.trainer.address);
      expect(t.auditCount).to.equal(BigInt(terms.auditCount));
      const s = await ledger.jobState(JOB);
      expect([s.client, Number(s.status)]).to.deep.equal([a.client.address, 1]);
      expect(Object.values((await ledger.deadlines(JOB)).toObject())).to.deep.equal([
        0n,
        0n,
        0n,
        0n,
        0n,
      ]);
    });

    it('rejects a reused job id', async () => {
      await open();
      await expect(open())
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerJobExists')
        .withArgs(JOB);
    });

    it('rejects zero trainer, operator and arbiter', async () => {
      const zero = ethers.ZeroAddress;
      await expect(open({ ...terms, trainer: zero }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidTrainer')
        .withArgs(zero);
      await expect(open({ ...terms, operator: zero }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidOperator')
        .withArgs(zero);
      await expect(open({ ...terms, arbiter: zero }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidArbiter')
        .withArgs(zero);
    });

    it('rejects deadlines in the past or out of order', async () => {
      const now = await latestTime();
      await setNextTime(now + 10);
      await expect(open({ ...terms, acceptBy: now + 10 }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidDeadlines')
        .withArgs(now + 10, terms.trainBy, now + 10);
      await expect(open({ ...terms, trainBy: terms.acceptBy }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidDeadlines')
        .withArgs(terms.acceptBy, terms.acceptBy, (n: bigint) => n > 0n);
    });

    it('bounds the number of audit slots', async () => {
      const t = { ...terms, auditCount: 65 };
      await expect(open(t))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooManyAudits')
        .withArgs(65, 64);
    });

    it('requires exactly the escrow', async () => {
      const escrow = escrowOf(terms);
      await expect(open(terms, escrow - 1n))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerIncorrectValue')
        .withArgs(escrow, escrow - 1n);
    });
  });

  describe('acceptJob', () => {
    beforeEach(async () => {
      await open();
    });

    it('stakes and stores the flag commitment', async () => {
      await expect(accept())
        .to.emit(ledger, 'JobAccepted')
        .withArgs(JOB, a.trainer.address, C, terms.trainerStake);
      const s = await ledger.jobState(JOB);
      expect([Number(s.status), s.flagCommitment]).to.deep.equal([2, C]);
    });

    it('is for the named trainer only, once, before acceptBy, with the stake', async () => {
      await expect(as(a.stranger).acceptJob(JOB, C, { value: terms.trainerStake }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.stranger.address, a.trainer.address);
      await expect(as(a.trainer).acceptJob(JOB, C, { value: 1n }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerIncorrectValue')
        .withArgs(terms.trainerStake, 1n);
      await expect(as(a.trainer).acceptJob(id32('x'), C))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnknownJob')
        .withArgs(id32('x'));
      await setNextTime(terms.acceptBy + 1);
      await expect(accept())
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, terms.acceptBy, terms.acceptBy + 1);
    });

    it('cannot accept twice', async () => {
      await accept();
      await expect(accept())
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedStatus')
        .withArgs(JOB, 2, 1);
    });
  });

  describe('cancelJob', () => {
    beforeEach(async () => {
      await open();
    });

    it('lets the client cancel an unaccepted job and credits the escrow back', async () => {
      await expect(as(a.client).cancelJob(JOB))
        .to.emit(ledger, 'JobCancelled')
        .withArgs(JOB, a.client.address)
        .and.to.emit(ledger, 'Credited')
        .withArgs(JOB, a.client.address, escrowOf(terms));
      const s = await ledger.jobState(JOB);
      expect([Number(s.status), Number(s.outcome)]).to.deep.equal([5, 4]);
      expect(await ledger.withdrawable(a.client.address)).to.equal(escrowOf(terms));
    });

    it('lets anyone cancel only after acceptBy', async () => {
      await expect(as(a.stranger).cancelJob(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.stranger.address, a.client.address);
      await mineAt(terms.acceptBy + 1);
      await expect(as(a.stranger).cancelJob(JOB))
        .to.emit(ledger, 'JobCancelled')
        .withArgs(JOB, a.stranger.address);
    });

    it('cannot cancel an accepted job', async () => {
      await accept();
      await expect(as(a.client).cancelJob(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedStatus')
        .withArgs(JOB, 2, 1);
    });
  });

  describe('expireTraining', () => {
    beforeEach(async () => {
      await open();
      await accept();
    });

    it('is only possible after trainBy', async () => {
      await setNextTime(terms.trainBy);
      await expect(as(a.stranger).expireTraining(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooEarly')
        .withArgs(JOB, terms.trainBy, terms.trainBy);
    });

    it('credits payment, budget and the trainer stake to the client', async () => {
      await mineAt(terms.trainBy + 1);
      await expect(as(a.stranger).expireTraining(JOB))
        .to.emit(ledger, 'TrainingExpired')
        .withArgs(JOB)
        .and.to.emit(ledger, 'JobSettled')
        .withArgs(JOB, 3);
      expect(await ledger.withdrawable(a.client.address)).to.equal(
        escrowOf(terms) + terms.trainerStake,
      );
      await expect(as(a.stranger).expireTraining(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedStatus')
        .withArgs(JOB, 4, 2);
    });
  });

  describe('closeTraining', () => {
    const log = new TestLog('close').growTo(8);
    beforeEach(async () => {
      await open();
      await accept();
    });

    it('freezes the anchored head and fixes the seed block', async () => {
      await as(a.operator).anchor(JOB, 8, log.root(), []);
      const tx = await as(a.trainer).closeTraining(JOB);
      const rc = await tx.wait();
      const seedBlock = rc!.blockNumber + SEED_DELAY;
      await expect(tx).to.emit(ledger, 'TrainingClosed').withArgs(JOB, 8, log.root(), seedBlock);
      const s = await ledger.jobState(JOB);
      expect([
        Number(s.status),
        Number(s.finalSize),
        s.finalRoot,
        Number(s.seedBlock),
      ]).to.deep.equal([3, 8, log.root(), seedBlock]);
      const closedAt = Number(s.closedAt);
      const d = await ledger.deadlines(JOB);
      expect(d.map(Number)).to.deep.equal([1, 2, 3, 4, 5].map((k) => closedAt + k * HOUR));
    });

    it('needs two entries to audit, one without audits', async () => {
      await expect(as(a.trainer).closeTraining(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooFewEntries')
        .withArgs(JOB, 0, 2);
      await as(a.operator).anchor(JOB, 1, log.root(1), []);
      await expect(as(a.trainer).closeTraining(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooFewEntries')
        .withArgs(JOB, 1, 2);
    });

    it('closes a one-entry job that has no audits', async () => {
      const JOB2 = id32('no-audits');
      const t = { ...terms, auditCount: 0 };
      await as(a.client).openJob(JOB2, t, { value: escrowOf(t) });
      await as(a.trainer).acceptJob(JOB2, C, { value: t.trainerStake });
      await as(a.operator).anchor(JOB2, 1, log.root(1), []);
      await expect(as(a.trainer).closeTraining(JOB2)).to.emit(ledger, 'TrainingClosed');
    });

    it('is for the trainer, before trainBy, while active', async () => {
      await as(a.operator).anchor(JOB, 8, log.root(), []);
      await expect(as(a.client).closeTraining(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.client.address, a.trainer.address);
      await setNextTime(terms.trainBy + 1);
      await expect(as(a.trainer).closeTraining(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, terms.trainBy, terms.trainBy + 1);
    });
  });

  describe('withdraw', () => {
    it('pays out credits once', async () => {
      await open();
      await as(a.client).cancelJob(JOB);
      const escrow = escrowOf(terms);
      const tx = as(a.client).withdraw();
      await expect(tx).to.emit(ledger, 'Withdrawn').withArgs(a.client.address, escrow);
      await expect(tx).to.changeEtherBalances([a.client, ledger], [escrow, -escrow]);
      await expect(as(a.client).withdraw())
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerNothingToWithdraw')
        .withArgs(a.client.address);
    });

    it('defeats re-entrancy from a contract client', async () => {
      const attacker = await ethers.deployContract('ReentrantWithdrawer', [
        await ledger.getAddress(),
      ]);
      const data = ledger.interface.encodeFunctionData('openJob', [JOB, terms]);
      await attacker.call(data, { value: escrowOf(terms) });
      await attacker.call(ledger.interface.encodeFunctionData('cancelJob', [JOB]));
      const escrow = escrowOf(terms);
      // A second job credited to someone else must stay untouched.
      await as(a.client).openJob(id32('other'), terms, { value: escrow });
      await as(a.client).cancelJob(id32('other'));
      await expect(attacker.attack()).to.changeEtherBalance(attacker, escrow);
      expect(await attacker.reentryAttempts()).to.equal(1n);
      expect(await attacker.reentrySuccesses()).to.equal(0n);
      expect(await ledger.withdrawable(await attacker.getAddress())).to.equal(0n);
      expect(await ethers.provider.getBalance(await ledger.getAddress())).to.equal(escrow);
    });
  });

  describe('protocol encodings (shared with ledger/)', () => {
    const salt = id32('salt');
    it('flagCommitment = SHA-256(salt ‖ uint256 indices…)', async () => {
      for (const flags of [[], [1], [2, 5, 9], [0, 1000, 1 << 20]]) {
        expect(await ledger.flagCommitment(salt, flags)).to.equal(
          `0x${flagCommitment(salt.slice(2), flags)}`,
        );
      }
    });

    it('sealedRoot = SHA-256(salt ‖ uint256 index ‖ root)', async () => {
      const root = id32('root');
      for (const i of [0, 1, 77, 2 ** 40]) {
        expect(await ledger.sealedRoot(salt, i, root)).to.equal(
          `0x${sealedRoot(salt.slice(2), i, root.slice(2))}`,
        );
      }
    });

    it('verdictCommitment = SHA-256(abi.encode(jobId, slot, verifier, R′, nonce))', async () => {
      const enc = ethers.AbiCoder.defaultAbiCoder().encode(
        ['bytes32', 'uint256', 'address', 'bytes32', 'bytes32'],
        [JOB, 3, a.verifiers[0]!.address, id32('r'), id32('n')],
      );
      const want = `0x${createHash('sha256').update(ethers.getBytes(enc)).digest('hex')}`;
      expect(
        await ledger.verdictCommitment(JOB, 3, a.verifiers[0]!.address, id32('r'), id32('n')),
      ).to.equal(want);
    });

    it('seedDelay defaults to at least one block', async () => {
      const zero = await ethers.deployContract('FlagstoneLedger', [0]);
      expect(await zero.seedDelay()).to.equal(1n);
      expect(await ledger.seedDelay()).to.equal(BigInt(SEED_DELAY));
      expect(await ledger.MAX_AUDITS()).to.equal(64n);
      expect(parseEther('1')).to.equal(10n ** 18n);
    });
  });
});
