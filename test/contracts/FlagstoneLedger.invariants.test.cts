/**
 * Randomized protocol runs over several jobs and actors. After every step:
 *   contract balance = Σ escrow still held by open jobs + Σ credited, unwithdrawn balances
 * and, over the whole run, deposits = withdrawals + balance. Any revert must be one of the
 * contract's own custom errors (never a panic such as an arithmetic underflow).
 */
import { expect } from 'chai';
import { ethers } from 'hardhat';
import type { Contract } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { latestTime, loadFixture, mineAt, mineBlocks } from './helpers/network.cts';
import { rng } from './helpers/random.cts';
import { TestLog } from './helpers/tree.cts';
import {
  type Actors,
  type Terms,
  SimulatedRun,
  baseFixture,
  escrowOf,
  id32,
  verdictFor,
} from './helpers/ledger.cts';

interface SimJob {
  id: string;
  terms: Terms;
  run: SimulatedRun;
  log: TestLog;
  client: HardhatEthersSigner;
  anchored: number;
}

const STATUS = { None: 0, Open: 1, Active: 2, Auditing: 3, Settled: 4, Cancelled: 5 };

describe('FlagstoneLedger randomized invariants', () => {
  for (const seed of [11, 22, 33]) {
    it(`escrow conservation over random protocol runs (seed ${seed})`, async () => {
      const { a, ledger } = await loadFixture(baseFixture);
      const r = rng(seed);
      const ledgerAddr = await ledger.getAddress();
      const as = (s: HardhatEthersSigner) => ledger.connect(s) as Contract;
      const everyone = [a.client, a.stranger, a.trainer, a.operator, a.arbiter, ...a.verifiers];
      const jobs: SimJob[] = [];
      let deposited = 0n;
      let withdrawn = 0n;
      const counts = { ok: 0, reverted: 0, settled: 0 };

      /** Sends a transaction; returns false on a custom-error revert, throws on anything else. */
      async function send(
        f: () => Promise<{ wait: () => Promise<unknown> }>,
        value = 0n,
      ): Promise<boolean> {
        try {
          await (await f()).wait();
          deposited += value;
          counts.ok++;
          return true;
        } catch (err) {
          const msg = String(err);
          expect(msg, 'unexpected failure kind').to.match(
            /custom error 'FlagstoneLedger\w+|reverted with custom error/,
          );
          counts.reverted++;
          return false;
        }
      }

      async function openJob(): Promise<void> {
        const now = await latestTime();
        const size = 2 + r.int(30);
        const idx = Array.from({ length: size - 1 }, (_, i) => i + 1);
        const run = new SimulatedRun(
          size,
          idx.filter(() => r.chance(0.3)),
          idx.filter(() => r.chance(0.1)),
        );
        const win = () => 200 + r.int(800);
        const terms: Terms = {
          trainer: a.trainer.address,
          operator: a.operator.address,
          arbiter: a.arbiter.address,
          specHash: id32(`spec-${jobs.length}`),
          payment: BigInt(1 + r.int(1000)) * 10n ** 15n,
          trainerStake: BigInt(r.int(1000)) * 10n ** 15n,
          verifierStake: BigInt(r.int(100)) * 10n ** 15n,
          verifierFee: BigInt(r.int(50)) * 10n ** 15n + BigInt(r.int(7)),
          flagBounty: BigInt(r.int(50)) * 10n ** 15n,
          auditCount: r.int(7),
          acceptBy: now + 600 + r.int(600),
          trainBy: now + 3000 + r.int(3000),
          commitWindow: win(),
          revealWindow: win(),
          flagRevealWindow: win(),
          disputeWindow: win(),
          arbiterWindow: win(),
        };
        const client = r.pick([a.client, a.stranger]);
        const id = id32(`job-${seed}-${jobs.length}`);
        const value = escrowOf(terms);
        if (await send(() => as(client).openJob(id, terms, { value }), value)) {
          jobs.push({ id, terms, run, client, log: new TestLog(id), anchored: 0 });
        }
      }

      async function stepJob(j: SimJob): Promise<void> {
        const s = await ledger.jobState(j.id);
        const status = Number(s.status);
        const t = j.terms;
        if (status === STATUS.Open) {
          if (r.chance(0.8)) {
            await send(
              () => as(a.trainer).acceptJob(j.id, j.run.commitment(), { value: t.trainerStake }),
              t.trainerStake,
            );
          } else {
            await send(() => as(r.pick([j.client, a.stranger])).cancelJob(j.id));
          }
        } else if (status === STATUS.Active) {
          const choice = r.int(10);
          if (choice < 5 && j.anchored < j.run.size) {
            const to = Math.min(j.run.size, j.anchored + 1 + r.int(j.run.size));
            j.log.growTo(to);
            if (
              await send(() =>
                as(a.operator).anchor(j.id, to, j.log.root(to), j.log.proof(j.anchored, to)),
              )
            ) {
              j.anchored = to;
            }
          } else if (choice < 9) {
            await send(() => as(a.trainer).closeTraining(j.id));
          } else {
            await send(() => as(a.stranger).expireTraining(j.id));
          }
        } else if (status === STATUS.Auditing) {
          await stepAudit(j, s);
        }
      }

      async function stepAudit(
        j: SimJob,
        s: { auditSeed: string; flagsRevealed: boolean },
      ): Promise<void> {
        const t = j.terms;
        // Mostly act in the current phase, sometimes out of turn (those calls must revert).
        const now = await latestTime();
        const d = ((await ledger.deadlines(j.id)) as bigint[]).map(Number);
        let choice: number;
        if (r.chance(0.2)) choice = r.int(7);
        else if (now <= d[0]!) choice = r.pick([0, 1, 1, 1]);
        else if (now <= d[1]!) choice = 2;
        else if (now <= d[2]!) choice = s.flagsRevealed ? r.pick([4, 4, 5]) : 3;
        else if (now <= d[3]!) choice = r.pick([4, 5, 6]);
        else choice = r.pick([5, 6]);
        const v = r.pick(a.verifiers);
        const slot = r.int(Math.max(1, t.auditCount + 1));
        if (choice === 0) {
          await send(
            () => as(v).registerVerifier(j.id, { value: t.verifierStake }),
            t.verifierStake,
          );
        } else if (choice === 1) {
          const [registered] = (await ledger.verifierStatus(j.id, v.address)) as [boolean, boolean];
          if (!registered)
            await send(
              () => as(v).registerVerifier(j.id, { value: t.verifierStake }),
              t.verifierStake,
            );
          if (s.auditSeed === ethers.ZeroHash) await send(() => ledger.recordAuditSeed(j.id));
          const index =
            slot < t.auditCount && s.auditSeed !== ethers.ZeroHash
              ? Number(await ledger.auditedIndex(j.id, slot))
              : 1;
          const rv = verdictFor(j.run, index, r.pick(['honest', 'lazy', 'wrong'] as const));
          const c = await ledger.verdictCommitment(
            j.id,
            slot,
            v.address,
            rv.computedRoot,
            rv.nonce,
          );
          await send(() => as(v).commitVerdict(j.id, slot, c));
        } else if (choice === 2) {
          if (slot >= t.auditCount) return;
          const vd = await ledger.verdict(j.id, slot);
          if (vd.verifier === ethers.ZeroAddress || s.auditSeed === ethers.ZeroHash) return;
          const index = Number(await ledger.auditedIndex(j.id, slot));
          // Try each behaviour's reveal; only the committed one opens the commitment.
          for (const b of ['honest', 'lazy', 'wrong'] as const) {
            const rv = verdictFor(j.run, index, b);
            const signer = a.verifiers.find((x) => x.address === vd.verifier)!;
            if (
              await send(() =>
                as(signer).revealVerdict(
                  j.id,
                  slot,
                  rv.computedRoot,
                  rv.stateRoot,
                  rv.sealedRoot,
                  rv.nonce,
                ),
              )
            )
              break;
          }
        } else if (choice === 3) {
          const flags = r.chance(0.9) ? j.run.sortedFlags : [...j.run.sortedFlags, 10_000];
          await send(() => as(a.trainer).revealFlags(j.id, j.run.salt, flags));
        } else if (choice === 4) {
          await send(() => as(a.trainer).disputeVerdict(j.id, slot));
        } else if (choice === 5) {
          await send(() => as(a.arbiter).resolveDispute(j.id, slot, r.chance(0.5)));
        } else {
          if (await send(() => as(r.pick(everyone)).settle(j.id))) counts.settled++;
        }
      }

      /** Escrow a job still holds, from its public state (not from any contract counter). */
      async function held(j: SimJob): Promise<bigint> {
        const s = await ledger.jobState(j.id);
        const status = Number(s.status);
        const t = j.terms;
        if (status === STATUS.Settled || status === STATUS.Cancelled) return 0n;
        let sum = escrowOf(t);
        if (status >= STATUS.Active) sum += t.trainerStake;
        if (status === STATUS.Auditing) sum += BigInt(s.verifierCount) * t.verifierStake;
        return sum;
      }

      async function checkInvariant(step: number): Promise<void> {
        let owed = 0n;
        for (const j of jobs) owed += await held(j);
        for (const e of everyone) owed += (await ledger.withdrawable(e.address)) as bigint;
        const balance = await ethers.provider.getBalance(ledgerAddr);
        expect(balance, `step ${step}: balance vs owed`).to.equal(owed);
        expect(deposited, `step ${step}: deposits vs withdrawals + balance`).to.equal(
          withdrawn + balance,
        );
      }

      for (let step = 0; step < 200; step++) {
        const action = r.int(20);
        const live = [];
        for (const j of jobs)
          if (Number((await ledger.jobState(j.id)).status) <= STATUS.Auditing) live.push(j);
        if ((action < 2 && live.length < 4) || live.length === 0) {
          await openJob();
        } else if (action < 15) {
          await stepJob(r.chance(0.9) ? r.pick(live) : r.pick(jobs));
        } else if (action < 18) {
          await mineAt((await latestTime()) + 1 + r.int(r.chance(0.9) ? 300 : 3000));
        } else if (action === 18) {
          await mineBlocks(1 + r.int(5));
        } else {
          const who = r.pick(everyone);
          const amount = (await ledger.withdrawable(who.address)) as bigint;
          if (await send(() => as(who).withdraw())) withdrawn += amount;
        }
        await checkInvariant(step);
      }
      // Drive every job to the end: after all deadlines, everything is settleable.
      await mineAt((await latestTime()) + 100_000);
      for (const j of jobs) {
        const st = Number((await ledger.jobState(j.id)).status);
        if (st === STATUS.Open) await send(() => as(a.stranger).cancelJob(j.id));
        if (st === STATUS.Active) await send(() => as(a.stranger).expireTraining(j.id));
        if (st === STATUS.Auditing) await send(() => as(a.stranger).settle(j.id));
        expect([STATUS.Settled, STATUS.Cancelled]).to.include(
          Number((await ledger.jobState(j.id)).status),
        );
      }
      for (const e of everyone) {
        const amount = (await ledger.withdrawable(e.address)) as bigint;
        if (amount > 0n && (await send(() => as(e).withdraw()))) withdrawn += amount;
      }
      await checkInvariant(-1);
      expect(await ethers.provider.getBalance(ledgerAddr)).to.equal(0n);
      expect(counts.ok).to.be.greaterThan(50);
      expect(jobs.length).to.be.greaterThan(3);
      void (a satisfies Actors);
      if (process.env.DEBUG_INVARIANTS) {
        // Outcome mix of the run (audit seeds come from block hashes, so it varies per run).
        const outcomes: Record<number, number> = {};
        for (const j of jobs) {
          const o = Number((await ledger.jobState(j.id)).outcome);
          outcomes[o] = (outcomes[o] ?? 0) + 1;
        }
        console.log(`seed ${seed}`, counts, 'outcomes', outcomes);
      }
    });
  }
});
