/**
 * Capture-the-flag audits (DESIGN §5): audit seed, verifier stakes, committed verdicts, flag
 * reveal, classification, disputes, arbiter, and settlement payouts with exact amounts.
 */
import { expect } from 'chai';
import { ethers } from 'hardhat';
import type { Contract } from 'ethers';
import { latestBlock, loadFixture, mineAt, mineBlocks, setNextTime } from './helpers/network.cts';
import {
  type Actors,
  type Terms,
  SEED_DELAY,
  SimulatedRun,
  auditedIndices,
  baseFixture,
  defaultTerms,
  driveToAudit,
  escrowOf,
  id32,
  verdictFor,
} from './helpers/ledger.cts';

const JOB = id32('audit-job');
const SIZE = 16;
const ALL = Array.from({ length: SIZE - 1 }, (_, i) => i + 1);
type Behaviour = 'honest' | 'lazy' | 'wrong' | 'silent';

enum V {
  None,
  Committed,
  Revealed,
  Consistent,
  Captured,
  Lazy,
  FraudClaim,
  Disputed,
  Fraud,
  FalseClaim,
}
enum Outcome {
  None,
  Completed,
  Fraud,
  TrainerDefault,
  Cancelled,
}

describe('FlagstoneLedger audits', () => {
  let a: Actors;
  let ledger: Contract;
  let terms: Terms;
  const as = (s: { address: string }) => ledger.connect(s as never) as Contract;

  beforeEach(async () => {
    ({ a, ledger } = await loadFixture(baseFixture));
    terms = await defaultTerms(a);
  });

  const deadlines = async () => (await ledger.deadlines(JOB)).map(Number) as number[];
  const after = async (k: number) => mineAt((await deadlines())[k]! + 1);

  /** Verifier `v` registers, and commits to `slots`; returns what it will reveal per slot. */
  async function commit(
    run: SimulatedRun,
    plan: { v: number; slot: number; behaviour: Behaviour }[],
  ) {
    if ((await ledger.jobState(JOB)).auditSeed === ethers.ZeroHash)
      await ledger.recordAuditSeed(JOB);
    const idx = await auditedIndices(ledger, JOB, terms.auditCount);
    const registered = new Set<number>();
    const reveals: {
      v: number;
      slot: number;
      r: ReturnType<typeof verdictFor>;
      behaviour: Behaviour;
    }[] = [];
    for (const { v, slot, behaviour } of plan) {
      const signer = a.verifiers[v]!;
      if (!registered.has(v)) {
        await as(signer).registerVerifier(JOB, { value: terms.verifierStake });
        registered.add(v);
      }
      const r = verdictFor(run, idx[slot]!, behaviour === 'silent' ? 'honest' : behaviour);
      const c = await ledger.verdictCommitment(JOB, slot, signer.address, r.computedRoot, r.nonce);
      await as(signer).commitVerdict(JOB, slot, c);
      reveals.push({ v, slot, r, behaviour });
    }
    return { idx, reveals };
  }

  async function revealAll(reveals: Awaited<ReturnType<typeof commit>>['reveals']) {
    await after(0);
    for (const { v, slot, r, behaviour } of reveals) {
      if (behaviour === 'silent') continue;
      await as(a.verifiers[v]!).revealVerdict(
        JOB,
        slot,
        r.computedRoot,
        r.stateRoot,
        r.sealedRoot,
        r.nonce,
      );
    }
  }

  const revealFlags = (run: SimulatedRun) =>
    as(a.trainer).revealFlags(JOB, run.salt, run.sortedFlags);
  const owed = (addr: string) => ledger.withdrawable(addr) as Promise<bigint>;
  const state = async (slot: number) => Number((await ledger.verdict(JOB, slot)).state) as V;

  /** Every wei held is credited once the job is settled. */
  async function expectFullyCredited() {
    const everyone = [a.client, a.trainer, a.arbiter, a.operator, a.stranger, ...a.verifiers];
    let sum = 0n;
    for (const s of everyone) sum += await owed(s.address);
    expect(await ethers.provider.getBalance(await ledger.getAddress())).to.equal(sum);
  }

  describe('audit seed', () => {
    it('waits for the seed block, then records keccak256(blockhash ‖ finalRoot)', async () => {
      const run = new SimulatedRun(SIZE, []);
      const log = await driveToAudit(ledger, a, JOB, terms, run, { close: false });
      await as(a.trainer).closeTraining(JOB);
      const seedBlock = Number((await ledger.jobState(JOB)).seedBlock);
      expect(seedBlock).to.equal((await latestBlock()) + SEED_DELAY);
      expect(await ledger.auditSeed(JOB)).to.deep.equal([ethers.ZeroHash, false]);
      await expect(ledger.recordAuditSeed(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerSeedNotReady')
        .withArgs(JOB, seedBlock, seedBlock - SEED_DELAY + 1);
      await expect(ledger.auditedIndex(JOB, 0))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerSeedNotRecorded')
        .withArgs(JOB);
      await mineBlocks(SEED_DELAY);
      const block = await ethers.provider.getBlock(seedBlock);
      const want = ethers.solidityPackedKeccak256(
        ['bytes32', 'bytes32'],
        [block!.hash, log.root()],
      );
      expect(await ledger.auditSeed(JOB)).to.deep.equal([want, true]);
      await expect(ledger.recordAuditSeed(JOB))
        .to.emit(ledger, 'AuditSeedRecorded')
        .withArgs(JOB, want);
      expect(await ledger.auditSeed(JOB)).to.deep.equal([want, true]);
      await expect(ledger.recordAuditSeed(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerSeedAlreadyRecorded')
        .withArgs(JOB);
      for (let slot = 0; slot < terms.auditCount; slot++) {
        const h = BigInt(ethers.solidityPackedKeccak256(['bytes32', 'uint256'], [want, slot]));
        expect(await ledger.auditedIndex(JOB, slot)).to.equal(1n + (h % BigInt(SIZE - 1)));
      }
      await expect(ledger.auditedIndex(JOB, terms.auditCount))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidSlot')
        .withArgs(JOB, terms.auditCount, terms.auditCount);
    });

    it('re-arms to a future block when the seed block hash expired', async () => {
      await driveToAudit(ledger, a, JOB, terms, new SimulatedRun(SIZE, []), { recordSeed: false });
      await mineBlocks(300);
      expect(await ledger.auditSeed(JOB)).to.deep.equal([ethers.ZeroHash, false]);
      const next = (await latestBlock()) + 1 + SEED_DELAY;
      await expect(ledger.recordAuditSeed(JOB))
        .to.emit(ledger, 'AuditSeedRearmed')
        .withArgs(JOB, next);
      await mineBlocks(SEED_DELAY);
      await expect(ledger.recordAuditSeed(JOB)).to.emit(ledger, 'AuditSeedRecorded');
    });

    it('needs an audited job', async () => {
      await expect(ledger.recordAuditSeed(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnknownJob')
        .withArgs(JOB);
      expect(await ledger.auditSeed(JOB)).to.deep.equal([ethers.ZeroHash, false]);
    });
  });

  describe('verifiers and verdicts', () => {
    const run = new SimulatedRun(SIZE, []);
    beforeEach(async () => {
      await driveToAudit(ledger, a, JOB, terms, run, { recordSeed: false });
    });

    it('registers verifiers with their stake, within limits', async () => {
      const [v0] = a.verifiers;
      await expect(as(v0!).registerVerifier(JOB, { value: terms.verifierStake }))
        .to.emit(ledger, 'VerifierRegistered')
        .withArgs(JOB, v0!.address, terms.verifierStake);
      expect(await ledger.verifierStatus(JOB, v0!.address)).to.deep.equal([true, false]);
      expect(await ledger.verifiers(JOB)).to.deep.equal([v0!.address]);
      await expect(as(v0!).registerVerifier(JOB, { value: terms.verifierStake }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerAlreadyRegistered')
        .withArgs(JOB, v0!.address);
      await expect(as(a.trainer).registerVerifier(JOB, { value: terms.verifierStake }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTrainerCannotVerify')
        .withArgs(JOB, a.trainer.address);
      await expect(as(a.verifiers[1]!).registerVerifier(JOB, { value: 1n }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerIncorrectValue')
        .withArgs(terms.verifierStake, 1n);
      for (const v of a.verifiers.slice(1))
        await as(v).registerVerifier(JOB, { value: terms.verifierStake });
      await expect(as(a.client).registerVerifier(JOB, { value: terms.verifierStake }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerVerifierLimit')
        .withArgs(JOB, terms.auditCount);
    });

    it('closes registration and commits with the commit window', async () => {
      await as(a.verifiers[0]!).registerVerifier(JOB, { value: terms.verifierStake });
      const [commitEnd] = await deadlines();
      await setNextTime(commitEnd! + 1);
      await expect(as(a.verifiers[1]!).registerVerifier(JOB, { value: terms.verifierStake }))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, commitEnd, commitEnd! + 1);
      await expect(as(a.verifiers[0]!).commitVerdict(JOB, 0, id32('c')))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, commitEnd, (t: bigint) => t > BigInt(commitEnd!));
    });

    it('records the seed on the first commit and guards slots', async () => {
      const [v0, v1] = a.verifiers;
      await expect(as(v0!).commitVerdict(JOB, 0, id32('c')))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerNotRegistered')
        .withArgs(JOB, v0!.address);
      await as(v0!).registerVerifier(JOB, { value: terms.verifierStake });
      await as(v1!).registerVerifier(JOB, { value: terms.verifierStake });
      await expect(as(v0!).commitVerdict(JOB, 4, id32('c')))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerInvalidSlot')
        .withArgs(JOB, 4, 4);
      await expect(as(v0!).commitVerdict(JOB, 0, id32('c')))
        .to.emit(ledger, 'AuditSeedRecorded')
        .and.to.emit(ledger, 'VerdictCommitted')
        .withArgs(JOB, 0, v0!.address, id32('c'));
      await expect(as(v1!).commitVerdict(JOB, 0, id32('d')))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerSlotTaken')
        .withArgs(JOB, 0, v0!.address);
      const v = await ledger.verdict(JOB, 0);
      expect([v.verifier, Number(v.state), v.commitment]).to.deep.equal([
        v0!.address,
        V.Committed,
        id32('c'),
      ]);
    });

    it('refuses blind commits before the seed block', async () => {
      const JOB2 = id32('blind');
      await driveToAudit(ledger, a, JOB2, terms, run, { close: false });
      await as(a.trainer).closeTraining(JOB2);
      const seedBlock = Number((await ledger.jobState(JOB2)).seedBlock);
      await as(a.verifiers[0]!).registerVerifier(JOB2, { value: terms.verifierStake });
      await expect(as(a.verifiers[0]!).commitVerdict(JOB2, 0, id32('c')))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerSeedNotReady')
        .withArgs(JOB2, seedBlock, (b: bigint) => b <= BigInt(seedBlock));
    });

    it('refuses commits once the seed block hash has expired (record re-arms it)', async () => {
      await mineBlocks(300);
      await as(a.verifiers[0]!).registerVerifier(JOB, { value: terms.verifierStake });
      const seedBlock = Number((await ledger.jobState(JOB)).seedBlock);
      await expect(as(a.verifiers[0]!).commitVerdict(JOB, 0, id32('c')))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerSeedNotReady')
        .withArgs(JOB, seedBlock, (b: bigint) => b > BigInt(seedBlock + 256));
    });

    it('reveals only in the reveal window, by the committer, matching the commitment', async () => {
      const { reveals } = await commit(run, [{ v: 0, slot: 1, behaviour: 'honest' }]);
      const { r } = reveals[0]!;
      const v0 = as(a.verifiers[0]!);
      const [commitEnd, revealEnd] = await deadlines();
      await setNextTime(commitEnd!);
      await expect(v0.revealVerdict(JOB, 1, r.computedRoot, r.stateRoot, r.sealedRoot, r.nonce))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooEarly')
        .withArgs(JOB, commitEnd, commitEnd);
      await expect(
        as(a.verifiers[1]!).revealVerdict(
          JOB,
          1,
          r.computedRoot,
          r.stateRoot,
          r.sealedRoot,
          r.nonce,
        ),
      )
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.verifiers[1]!.address, a.verifiers[0]!.address);
      const committed = (await ledger.verdict(JOB, 1)).commitment;
      const forged = await ledger.verdictCommitment(
        JOB,
        1,
        a.verifiers[0]!.address,
        id32('other'),
        r.nonce,
      );
      await expect(v0.revealVerdict(JOB, 1, id32('other'), r.stateRoot, r.sealedRoot, r.nonce))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerVerdictMismatch')
        .withArgs(JOB, 1, committed, forged);
      await expect(v0.revealVerdict(JOB, 1, r.computedRoot, r.stateRoot, r.sealedRoot, r.nonce))
        .to.emit(ledger, 'VerdictRevealed')
        .withArgs(JOB, 1, a.verifiers[0]!.address, r.computedRoot, r.stateRoot, r.sealedRoot);
      await expect(v0.revealVerdict(JOB, 1, r.computedRoot, r.stateRoot, r.sealedRoot, r.nonce))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedVerdictState')
        .withArgs(JOB, 1, V.Revealed, V.Committed);
      await setNextTime(revealEnd! + 1);
      await expect(v0.revealVerdict(JOB, 1, r.computedRoot, r.stateRoot, r.sealedRoot, r.nonce))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, revealEnd, revealEnd! + 1);
    });
  });

  describe('flag reveal and disputes', () => {
    it('checks the window, the caller, the ordering and the commitment', async () => {
      const run = new SimulatedRun(SIZE, [2, 5, 9]);
      await driveToAudit(ledger, a, JOB, terms, run);
      const [, revealEnd, flagEnd] = await deadlines();
      const tr = as(a.trainer);
      await setNextTime(revealEnd!);
      await expect(revealFlags(run))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooEarly')
        .withArgs(JOB, revealEnd, revealEnd);
      await mineAt(revealEnd! + 1);
      await expect(as(a.client).revealFlags(JOB, run.salt, run.sortedFlags))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.client.address, a.trainer.address);
      await expect(tr.revealFlags(JOB, run.salt, [2, 9, 5]))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnsortedFlags')
        .withArgs(JOB, 2);
      await expect(tr.revealFlags(JOB, run.salt, [2, 2, 5]))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnsortedFlags')
        .withArgs(JOB, 1);
      const wrong = await ledger.flagCommitment(run.salt, [2, 5]);
      await expect(tr.revealFlags(JOB, run.salt, [2, 5]))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerFlagCommitmentMismatch')
        .withArgs(JOB, run.commitment(), wrong);
      await expect(tr.revealFlags(JOB, run.salt, run.sortedFlags))
        .to.emit(ledger, 'FlagsRevealed')
        .withArgs(JOB, run.salt, run.sortedFlags);
      const s = await ledger.jobState(JOB);
      expect([s.flagsRevealed, s.salt]).to.deep.equal([true, run.salt]);
      await expect(revealFlags(run))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerFlagsAlreadyRevealed')
        .withArgs(JOB);
      await setNextTime(flagEnd! + 1);
      await expect(revealFlags(run))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, flagEnd, flagEnd! + 1);
    });

    it('classifies each verdict against the revealed flags', async () => {
      // Even indices are flags, odd ones are faked: every outcome class can appear.
      const evens = ALL.filter((i) => i % 2 === 0);
      const run = new SimulatedRun(
        SIZE,
        evens,
        ALL.filter((i) => i % 2 === 1),
      );
      await driveToAudit(ledger, a, JOB, terms, run);
      const plan = [
        { v: 0, slot: 0, behaviour: 'honest' as const },
        { v: 1, slot: 1, behaviour: 'lazy' as const },
        { v: 2, slot: 2, behaviour: 'wrong' as const },
        { v: 3, slot: 3, behaviour: 'honest' as const },
      ];
      const { idx, reveals } = await commit(run, plan);
      await revealAll(reveals);
      await after(1);
      const tx = revealFlags(run);
      for (const { slot, behaviour } of plan) {
        const i = idx[slot]!;
        const flagged = i % 2 === 0;
        // A lazy verifier copies the logged root (R' = stateRoot): Lazy on a flag, Consistent
        // on a fake (it rubber-stamped the fraud). A replay differs from the logged root on
        // both: it opens the sealed root of a flag, and is a fraud claim on a fake.
        const expected =
          behaviour === 'lazy'
            ? flagged
              ? V.Lazy
              : V.Consistent
            : behaviour === 'wrong'
              ? V.FraudClaim
              : flagged
                ? V.Captured
                : V.FraudClaim;
        await expect(tx).to.emit(ledger, 'VerdictClassified').withArgs(JOB, slot, expected);
      }
    });

    it('lets the trainer dispute fraud claims and the arbiter resolve them, in time', async () => {
      const run = new SimulatedRun(SIZE, []);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [
        { v: 0, slot: 0, behaviour: 'wrong' },
        { v: 1, slot: 1, behaviour: 'wrong' },
        { v: 1, slot: 2, behaviour: 'honest' },
      ]);
      await revealAll(reveals);
      await expect(as(a.trainer).disputeVerdict(JOB, 0))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerFlagsNotRevealed')
        .withArgs(JOB);
      await after(1);
      await revealFlags(run);
      expect([await state(0), await state(1), await state(2)]).to.deep.equal([
        V.FraudClaim,
        V.FraudClaim,
        V.Consistent,
      ]);
      await expect(as(a.client).disputeVerdict(JOB, 0))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.client.address, a.trainer.address);
      await expect(as(a.trainer).disputeVerdict(JOB, 2))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedVerdictState')
        .withArgs(JOB, 2, V.Consistent, V.FraudClaim);
      await expect(as(a.trainer).disputeVerdict(JOB, 0))
        .to.emit(ledger, 'VerdictDisputed')
        .withArgs(JOB, 0);
      expect((await ledger.jobState(JOB)).pendingDisputes).to.equal(1n);
      await expect(as(a.trainer).resolveDispute(JOB, 0, false))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnauthorized')
        .withArgs(JOB, a.trainer.address, a.arbiter.address);
      await expect(as(a.arbiter).resolveDispute(JOB, 1, false))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedVerdictState')
        .withArgs(JOB, 1, V.FraudClaim, V.Disputed);
      await expect(as(a.arbiter).resolveDispute(JOB, 0, false))
        .to.emit(ledger, 'DisputeResolved')
        .withArgs(JOB, 0, false)
        .and.to.emit(ledger, 'VerdictClassified')
        .withArgs(JOB, 0, V.FalseClaim);
      expect((await ledger.jobState(JOB)).pendingDisputes).to.equal(0n);
      const [, , , disputeEnd, arbiterEnd] = await deadlines();
      await setNextTime(disputeEnd! + 1);
      await expect(as(a.trainer).disputeVerdict(JOB, 1))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, disputeEnd, disputeEnd! + 1);
      await setNextTime(arbiterEnd! + 1);
      await expect(as(a.arbiter).resolveDispute(JOB, 1, true))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerDeadlinePassed')
        .withArgs(JOB, arbiterEnd, arbiterEnd! + 1);
    });
  });

  describe('settle', () => {
    const fee = () => terms.verifierFee;
    const stake = () => terms.verifierStake;

    it('is due only after the last open phase, and only once', async () => {
      const run = new SimulatedRun(SIZE, []);
      await driveToAudit(ledger, a, JOB, terms, run);
      const [, , , disputeEnd] = await deadlines();
      await after(1);
      await revealFlags(run);
      await setNextTime(disputeEnd!);
      await expect(ledger.settle(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooEarly')
        .withArgs(JOB, disputeEnd, disputeEnd);
      await mineAt(disputeEnd! + 1);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'JobSettled')
        .withArgs(JOB, Outcome.Completed);
      await expect(ledger.settle(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerUnexpectedStatus')
        .withArgs(JOB, 4, 3);
      await expectFullyCredited();
    });

    it('completed: trainer paid, honest verifiers paid fees, budget rest to the client', async () => {
      const run = new SimulatedRun(SIZE, []);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [
        { v: 0, slot: 0, behaviour: 'honest' },
        { v: 0, slot: 1, behaviour: 'honest' },
        { v: 1, slot: 2, behaviour: 'honest' },
      ]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await after(3);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'JobSettled')
        .withArgs(JOB, Outcome.Completed);
      expect(await owed(a.trainer.address)).to.equal(terms.payment + terms.trainerStake);
      expect(await owed(a.verifiers[0]!.address)).to.equal(2n * fee() + stake());
      expect(await owed(a.verifiers[1]!.address)).to.equal(fee() + stake());
      expect(await owed(a.client.address)).to.equal(escrowOf(terms) - terms.payment - 3n * fee());
      await expectFullyCredited();
    });

    it('captured flags earn the bounty; a lazy verifier forfeits its stake and all fees', async () => {
      const run = new SimulatedRun(SIZE, ALL);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [
        { v: 0, slot: 0, behaviour: 'honest' },
        { v: 0, slot: 1, behaviour: 'honest' },
        { v: 1, slot: 2, behaviour: 'honest' },
        { v: 1, slot: 3, behaviour: 'lazy' },
      ]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      expect([await state(0), await state(2), await state(3)]).to.deep.equal([
        V.Captured,
        V.Captured,
        V.Lazy,
      ]);
      await after(3);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'StakeForfeited')
        .withArgs(JOB, a.verifiers[1]!.address, stake());
      expect(await owed(a.verifiers[0]!.address)).to.equal(
        2n * (fee() + terms.flagBounty) + stake(),
      );
      expect(await owed(a.verifiers[1]!.address)).to.equal(0n);
      expect(await ledger.verifierStatus(JOB, a.verifiers[1]!.address)).to.deep.equal([true, true]);
      expect(await owed(a.trainer.address)).to.equal(terms.payment + terms.trainerStake);
      const paid = 2n * (fee() + terms.flagBounty);
      expect(await owed(a.client.address)).to.equal(
        escrowOf(terms) - terms.payment - paid + stake(),
      );
      await expectFullyCredited();
    });

    it('undisputed fraud: trainer slashed, stake split among reporters, payment back to client', async () => {
      const run = new SimulatedRun(SIZE, [], ALL);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [
        { v: 0, slot: 0, behaviour: 'honest' },
        { v: 1, slot: 1, behaviour: 'honest' },
        { v: 2, slot: 2, behaviour: 'honest' },
      ]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await after(3);
      await expect(ledger.settle(JOB)).to.emit(ledger, 'JobSettled').withArgs(JOB, Outcome.Fraud);
      const share = terms.trainerStake / 3n;
      for (const v of a.verifiers.slice(0, 3))
        expect(await owed(v.address)).to.equal(fee() + stake() + share);
      expect(await owed(a.trainer.address)).to.equal(0n);
      const dust = terms.trainerStake - 3n * share;
      expect(await owed(a.client.address)).to.equal(escrowOf(terms) - 3n * fee() + dust);
      expect(Number((await ledger.jobState(JOB)).outcome)).to.equal(Outcome.Fraud);
      await expectFullyCredited();
    });

    it('arbiter upholds one claim and rejects another', async () => {
      const run = new SimulatedRun(SIZE, [], ALL);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [
        { v: 0, slot: 0, behaviour: 'honest' },
        { v: 1, slot: 1, behaviour: 'wrong' },
      ]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await as(a.trainer).disputeVerdict(JOB, 0);
      await as(a.trainer).disputeVerdict(JOB, 1);
      await as(a.arbiter).resolveDispute(JOB, 0, true);
      await as(a.arbiter).resolveDispute(JOB, 1, false);
      await after(3);
      await expect(ledger.settle(JOB)).to.emit(ledger, 'JobSettled').withArgs(JOB, Outcome.Fraud);
      expect(await owed(a.verifiers[0]!.address)).to.equal(fee() + stake() + terms.trainerStake);
      expect(await owed(a.verifiers[1]!.address)).to.equal(0n);
      expect(await owed(a.client.address)).to.equal(escrowOf(terms) - fee() + stake());
      await expectFullyCredited();
    });

    it('a rejected claim alone leaves the trainer paid', async () => {
      const run = new SimulatedRun(SIZE, []);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [{ v: 0, slot: 0, behaviour: 'wrong' }]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await as(a.trainer).disputeVerdict(JOB, 0);
      await as(a.arbiter).resolveDispute(JOB, 0, false);
      await after(3);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'JobSettled')
        .withArgs(JOB, Outcome.Completed);
      expect(await owed(a.trainer.address)).to.equal(terms.payment + terms.trainerStake);
      expect(await owed(a.verifiers[0]!.address)).to.equal(0n);
      await expectFullyCredited();
    });

    it('an unresolved dispute is void at the arbiter deadline: fee paid, nobody slashed', async () => {
      const run = new SimulatedRun(SIZE, []);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [{ v: 0, slot: 0, behaviour: 'wrong' }]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await as(a.trainer).disputeVerdict(JOB, 0);
      const [, , , , arbiterEnd] = await deadlines();
      await setNextTime(arbiterEnd!);
      await expect(ledger.settle(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooEarly')
        .withArgs(JOB, arbiterEnd, arbiterEnd);
      await mineAt(arbiterEnd! + 1);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'JobSettled')
        .withArgs(JOB, Outcome.Completed);
      expect(await state(0)).to.equal(V.Disputed);
      expect(await owed(a.verifiers[0]!.address)).to.equal(fee() + stake());
      expect(await owed(a.trainer.address)).to.equal(terms.payment + terms.trainerStake);
      await expectFullyCredited();
    });

    it('flags never revealed: trainer default; revealed verdicts paid, silent ones forfeited', async () => {
      const run = new SimulatedRun(SIZE, ALL);
      await driveToAudit(ledger, a, JOB, terms, run);
      const { reveals } = await commit(run, [
        { v: 0, slot: 0, behaviour: 'lazy' },
        { v: 1, slot: 1, behaviour: 'silent' },
      ]);
      await revealAll(reveals);
      const [, , flagEnd] = await deadlines();
      await setNextTime(flagEnd!);
      await expect(ledger.settle(JOB))
        .to.be.revertedWithCustomError(ledger, 'FlagstoneLedgerTooEarly')
        .withArgs(JOB, flagEnd, flagEnd);
      await mineAt(flagEnd! + 1);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'JobSettled')
        .withArgs(JOB, Outcome.TrainerDefault);
      // Without the salt nobody can tell lazy from honest, so verifier 0 keeps fee and stake.
      expect(await owed(a.verifiers[0]!.address)).to.equal(fee() + stake());
      expect(await owed(a.verifiers[1]!.address)).to.equal(0n);
      expect(await owed(a.trainer.address)).to.equal(0n);
      expect(await owed(a.client.address)).to.equal(
        escrowOf(terms) - fee() + terms.trainerStake + stake(),
      );
      await expectFullyCredited();
    });

    it('a fraud reporter that was lazy elsewhere gets no share: eligible reporters do', async () => {
      // Flags on even indices, fakes on odd ones; verifier 0 replays honestly on one slot and
      // is lazy on every other.
      const evens = ALL.filter((i) => i % 2 === 0);
      const run = new SimulatedRun(
        SIZE,
        evens,
        ALL.filter((i) => i % 2 === 1),
      );
      // 32 slots: the chance that the seed samples a single parity is below 1e-8.
      terms = await defaultTerms(a, { auditCount: 32 });
      await driveToAudit(ledger, a, JOB, terms, run);
      const idx = await auditedIndices(ledger, JOB, terms.auditCount);
      const oddSlot = idx.findIndex((i) => i % 2 === 1);
      const evenSlot = idx.findIndex((i) => i % 2 === 0);
      expect(oddSlot).to.be.at.least(0);
      expect(evenSlot).to.be.at.least(0);
      const otherOdd = idx.findIndex((i, slot) => i % 2 === 1 && slot !== oddSlot);
      expect(otherOdd).to.be.at.least(0);
      const { reveals } = await commit(run, [
        { v: 0, slot: oddSlot, behaviour: 'honest' },
        { v: 0, slot: evenSlot, behaviour: 'lazy' },
        { v: 1, slot: otherOdd, behaviour: 'honest' },
      ]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await after(3);
      await expect(ledger.settle(JOB)).to.emit(ledger, 'JobSettled').withArgs(JOB, Outcome.Fraud);
      // Verifier 0 forfeits everything; verifier 1, the only eligible reporter, takes the stake.
      expect(await owed(a.verifiers[0]!.address)).to.equal(0n);
      expect(await owed(a.verifiers[1]!.address)).to.equal(fee() + stake() + terms.trainerStake);
      expect(await owed(a.client.address)).to.equal(escrowOf(terms) - fee() + stake());
      await expectFullyCredited();
    });

    it('fraud with no eligible reporter: the trainer stake goes to the client', async () => {
      const evens = ALL.filter((i) => i % 2 === 0);
      const run = new SimulatedRun(
        SIZE,
        evens,
        ALL.filter((i) => i % 2 === 1),
      );
      terms = await defaultTerms(a, { auditCount: 32 });
      await driveToAudit(ledger, a, JOB, terms, run);
      const idx = await auditedIndices(ledger, JOB, terms.auditCount);
      const { reveals } = await commit(run, [
        { v: 0, slot: idx.findIndex((i) => i % 2 === 1), behaviour: 'honest' },
        { v: 0, slot: idx.findIndex((i) => i % 2 === 0), behaviour: 'lazy' },
      ]);
      await revealAll(reveals);
      await after(1);
      await revealFlags(run);
      await after(3);
      await expect(ledger.settle(JOB)).to.emit(ledger, 'JobSettled').withArgs(JOB, Outcome.Fraud);
      expect(await owed(a.verifiers[0]!.address)).to.equal(0n);
      expect(await owed(a.client.address)).to.equal(escrowOf(terms) + terms.trainerStake + stake());
      await expectFullyCredited();
    });

    it('a job without audits settles after its windows', async () => {
      const t = { ...terms, auditCount: 0 };
      terms = t;
      const run = new SimulatedRun(2, []);
      await driveToAudit(ledger, a, JOB, t, run);
      await after(1);
      await revealFlags(run);
      await after(3);
      await expect(ledger.settle(JOB))
        .to.emit(ledger, 'JobSettled')
        .withArgs(JOB, Outcome.Completed);
      expect(await owed(a.trainer.address)).to.equal(t.payment + t.trainerStake);
      await expectFullyCredited();
    });
  });
});
