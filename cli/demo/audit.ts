/**
 * Phase 6 — the audit, capture-the-flag (DESIGN §5, docs/chain.md):
 *  1. the trainer closes training: the anchored head is frozen and the seed block fixed
 *     `seedDelay` blocks ahead; the demo mines those blocks (a dev chain does not wait);
 *  2. the seed keccak256(blockhash(seedBlock) ‖ finalRoot) is recorded on chain and recomputed
 *     here; slot s audits entry i = 1 + keccak256(seed ‖ s) mod (finalSize − 1), computed here
 *     exactly as the contract does and cross-checked with its `auditedIndex` view;
 *  3. two verifiers stake. Verifier A replays its segments bit-exactly (prover/replay.ts) from the
 *     start state; verifier B is lazy and copies the logged stateRoot. State blobs are private
 *     (docs/prover.md: readable by the job's client or trainer only, until an audit access rule
 *     exists), so the client, as audit coordinator, reads each slot's start blob with its grant
 *     and hands it to that slot's verifier only;
 *  4. verdicts are committed (hash of R′ and a nonce), revealed after the commit window, the
 *     trainer reveals salt + flags, the contract classifies every slot, anyone settles, and
 *     every party withdraws its credit.
 * The seed is never chosen: if it misses the flags, the demo says so. Knowing the flags (it plays
 * the trainer too), the demo uses them for one thing only: a flagged slot, if any, goes to the
 * lazy verifier, so the reader sees what laziness costs.
 */
import { randomBytes } from 'node:crypto';
import { solidityPackedKeccak256 } from 'ethers';
import {
  type ChainConnection,
  JobOutcome,
  VerdictState,
  verdictCommitment,
} from '../../chain/index.ts';
import { sealedRoot, toHex, type EntryFields } from '../../ledger/index.ts';
import { classifyAudit, reveal } from '../../prover/flags.ts';
import { replaySegment } from '../../prover/replay.ts';
import { decodeStateBlob } from '../../prover/train/blob.ts';
import type { Cast, Party } from './accounts.ts';
import type { AnchoringPhase } from './anchoring.ts';
import { advanceTo, mineBlocks } from './chain.ts';
import type { JobPhase } from './job.ts';
import type { Narrator } from './narrator.ts';
import { eth, percent, short, signedEth } from './narrator.ts';
import type { ServicePhase } from './service.ts';
import type { TrainingPhase } from './training.ts';

export interface SlotResult {
  readonly slot: number;
  readonly index: number;
  readonly verifier: 'A' | 'B';
  readonly flagged: boolean;
  readonly computedRoot: string;
  readonly state: keyof typeof VerdictState;
}

export interface ReplayRecord {
  readonly index: number;
  readonly steps: number;
  readonly ms: number;
  readonly flops: bigint;
  readonly matches: boolean;
  /** Root of the start blob served for the segment, and whether it is entry i−1's logged root. */
  readonly startRoot: string;
  readonly startMatches: boolean;
}

export interface BalanceRow {
  readonly party: string;
  readonly address: string;
  /** Wei the party put into the contract for this job (escrow or stake). */
  readonly deposited: bigint;
  readonly withdrawableBefore: bigint;
  readonly credited: bigint;
  /** Wallet balance change from the withdrawal, net of its gas (equals `credited`). */
  readonly withdrawn: bigint;
}

export interface AuditPhase {
  readonly seedHex: string;
  readonly seedBlock: number;
  readonly slots: readonly SlotResult[];
  readonly distinctSegments: number;
  readonly flaggedIndices: readonly number[];
  readonly flaggedSlots: number;
  readonly consistent: number;
  readonly captured: number;
  readonly lazy: number;
  readonly fraud: number;
  readonly outcome: keyof typeof JobOutcome;
  readonly bountyPaid: bigint;
  readonly lazySlashed: boolean;
  readonly replays: readonly ReplayRecord[];
  readonly balances: readonly BalanceRow[];
  /** Probability that q uniform slots hit at least one of the flags. */
  readonly hitProbability: number;
}

/** Slot → audited entry index, as FlagProtocol.auditedIndex computes it. */
export function auditedIndexOf(seedHex: string, slot: number, finalSize: number): number {
  const h = BigInt(solidityPackedKeccak256(['bytes32', 'uint256'], [`0x${seedHex}`, slot]));
  return 1 + Number(h % BigInt(finalSize - 1));
}

/**
 * Who takes which slot. The lazy verifier B takes one flagged slot if the seed produced any (it
 * never fetches a state blob). The replaying verifier A takes the rest, except that no two of
 * A's segments share an entry (DESIGN §5.6: the start blob of [i, i+1] is entry i's true state,
 * which answers [i−1, i] without a replay); a slot A cannot take goes to B. A takes the other
 * flagged slots first, then the rest in slot order.
 */
export function assignSlots(
  indices: readonly number[],
  flagged: ReadonlySet<number>,
): ('A' | 'B')[] {
  const flaggedSlots = indices.flatMap((i, s) => (flagged.has(i) ? [s] : []));
  const lazyFlag = flaggedSlots.at(-1);
  const who: ('A' | 'B')[] = indices.map(() => 'B');
  const mine = new Set<number>();
  const order = [
    ...flaggedSlots.filter((s) => s !== lazyFlag),
    ...indices.flatMap((i, s) => (flagged.has(i) ? [] : [s])),
  ];
  for (const s of order) {
    const i = indices[s]!;
    if (mine.has(i) || (!mine.has(i - 1) && !mine.has(i + 1))) {
      who[s] = 'A';
      mine.add(i);
    }
  }
  return who;
}

const nonce = () => toHex(randomBytes(32));

export async function runAudit(
  say: Narrator,
  job: JobPhase,
  svc: ServicePhase,
  chain: ChainConnection,
  cast: Cast,
  anchoring: AnchoringPhase,
  training: TrainingPhase,
): Promise<AuditPhase> {
  say.phase(6, 'Audit: capture the flag');
  const { jobId, terms } = job;
  const ledger = chain.ledger;
  const asTrainer = ledger.connect(cast.trainer.wallet);
  const asClient = ledger.connect(cast.client.wallet);
  const A = cast.honestVerifier;
  const B = cast.lazyVerifier;
  const parties: Party[] = [cast.client, cast.trainer, A, B];
  const withdrawableBefore = new Map<string, bigint>();
  for (const p of parties) withdrawableBefore.set(p.address, await ledger.withdrawable(p.address));

  // 1. Close training: the audited head is the anchored one.
  const closed = await asTrainer.closeTraining(jobId);
  let st = await ledger.jobState(jobId);
  if (st.finalSize !== anchoring.size || st.finalRoot !== anchoring.rootHex) {
    throw new Error(
      `closeTraining froze (${st.finalSize}, ${st.finalRoot}), the log's anchored head is (${anchoring.size}, ${anchoring.rootHex})`,
    );
  }
  say.ok(
    `trainer closed training at block ${closed.blockNumber}: audited head frozen at size ${st.finalSize}; seed block ${st.seedBlock}`,
  );

  // 2. Seed: mine past the seed block, record it, recompute it and the slots.
  const behind = st.seedBlock + 1 - (await chain.provider.getBlockNumber());
  await mineBlocks(chain, behind);
  if (behind > 0)
    say.line(`mined ${behind} blocks (hardhat_mine) so that block ${st.seedBlock}'s hash exists`);
  await asClient.recordAuditSeed(jobId);
  st = await ledger.jobState(jobId);
  const seedBlockHash = (await chain.provider.getBlock(st.seedBlock))?.hash;
  if (!seedBlockHash) throw new Error(`no block ${st.seedBlock}`);
  const seedHere = solidityPackedKeccak256(
    ['bytes32', 'bytes32'],
    [seedBlockHash, `0x${st.finalRoot}`],
  ).slice(2);
  if (seedHere !== st.auditSeed)
    throw new Error(`seed on chain ${st.auditSeed}, recomputed ${seedHere}`);
  say.ok(
    `audit seed ${short(st.auditSeed, 16)} = keccak256(blockhash(${st.seedBlock}) ‖ finalRoot), recomputed off chain`,
  );
  const q = terms.auditCount;
  const indices: number[] = [];
  for (let s = 0; s < q; s++) {
    const i = auditedIndexOf(st.auditSeed, s, st.finalSize);
    const onChain = await ledger.auditedIndex(jobId, s);
    if (onChain !== i)
      throw new Error(`slot ${s}: contract audits entry ${onChain}, computed ${i}`);
    indices.push(i);
  }
  const distinct = [...new Set(indices)].sort((a, b) => a - b);
  const flagged = new Set(job.flags.indices);
  const segments = st.finalSize - 1;
  const hitProbability = 1 - (1 - flagged.size / segments) ** q;
  say.ok(
    `${q} slots → segments ${distinct.map((i) => `${i - 1}→${i}`).join(', ')} (${distinct.length} distinct of ${segments}; contract's auditedIndex agrees)`,
  );

  const who = assignSlots(indices, flagged);
  const flaggedSlots = indices.filter((i) => flagged.has(i)).length;
  if (flaggedSlots === 0) {
    say.note(
      `the random audit missed all ${flagged.size} flags this time (it hits at least one with probability ${percent(hitProbability)}); the seed is not rigged`,
    );
  } else {
    say.line(
      `${flaggedSlots} slot(s) landed on flagged entries (P(≥ 1) was ${percent(hitProbability)}); the demo knows them because it also plays the trainer, and hands one to the lazy verifier`,
    );
  }

  // 3. Verifiers stake and work.
  // Only verifiers with a slot stake (the contract admits at most auditCount verifiers).
  const active = [A, B].filter((v) => who.includes(v === A ? 'A' : 'B'));
  for (const v of active)
    await ledger.connect(v.wallet).registerVerifier(jobId, terms.verifierStake);
  say.ok(
    `${active.map((v) => `${v.role} ${short(v.address)}`).join(' and ')} registered, ${eth(terms.verifierStake)} stake${active.length > 1 ? ' each' : ''}`,
  );
  say.line(
    `A takes ${who.filter((w) => w === 'A').length} slots, no two of its segments sharing an entry (a start blob must not answer another of its segments); B takes ${who.filter((w) => w === 'B').length}`,
  );
  say.line(
    "state blobs are private: the client, as audit coordinator, reads each start blob with its grant and hands it to that slot's verifier only",
  );

  const entries = new Map<number, EntryFields>();
  const entry = async (i: number) => {
    let e = entries.get(i);
    if (!e) entries.set(i, (e = (await svc.api.entry(jobId, i)).entry));
    return e;
  };
  const replays = new Map<number, ReplayRecord & { root: string }>();
  const replay = async (i: number) => {
    const done = replays.get(i);
    if (done) return done;
    const [start, end] = [await entry(i - 1), await entry(i)];
    // The coordinator (client) reads the start blob with its grant and gives it to verifier A only.
    const startState = await svc.api.state(jobId, i - 1, cast.client.signer);
    const r = await replaySegment({ spec: job.spec, start, end, startState, data: training.data });
    const rec = {
      index: i,
      steps: r.steps,
      ms: r.ms,
      flops: BigInt(end.flops),
      matches: r.matches,
      root: r.root,
      startRoot: decodeStateBlob(startState).root,
      startMatches: r.startMatches,
    };
    replays.set(i, rec);
    const startNote = r.startMatches
      ? ''
      : ` (start blob ≠ entry ${i - 1}'s logged root: a flag or a false start, checked after the reveal)`;
    say.line(
      `A replays ${String(i - 1).padStart(2)}→${String(i).padEnd(2)}: ${r.steps} steps in ${r.ms.toFixed(0).padStart(3)} ms, batches ${r.batchMatches ? 'match' : 'DIFFER'}; R′ ${r.matches ? '= logged stateRoot ✓' : `≠ logged stateRoot (R′ ${short(r.root)}): a flag or fraud, told apart after the reveal`}${startNote}`,
    );
    return rec;
  };

  const verdicts: {
    slot: number;
    index: number;
    v: Party;
    root: string;
    nonce: string;
    end: EntryFields;
  }[] = [];
  for (let s = 0; s < q; s++) {
    const i = indices[s]!;
    const v = who[s] === 'A' ? A : B;
    const end = await entry(i);
    const root = v === A ? (await replay(i)).root : end.stateRoot; // B copies the log: no replay
    verdicts.push({ slot: s, index: i, v, root, nonce: nonce(), end });
  }
  for (const d of verdicts) {
    await ledger
      .connect(d.v.wallet)
      .commitVerdict(jobId, d.slot, verdictCommitment(jobId, d.slot, d.v.address, d.root, d.nonce));
  }
  say.ok(
    `${q} verdict commitments SHA-256(job, slot, verifier, R′, nonce) on chain (B committed without replaying anything)`,
  );

  // 4. Reveal, flags, classification, settlement.
  let d = await ledger.deadlines(jobId);
  let skipped = await advanceTo(chain, d.commitEnd + 1);
  for (const x of verdicts) {
    await ledger.connect(x.v.wallet).revealVerdict(jobId, x.slot, {
      computedRoot: x.root,
      stateRoot: x.end.stateRoot,
      sealedRoot: x.end.sealedRoot,
      nonce: x.nonce,
    });
  }
  say.ok(`commit window closed (chain clock +${skipped} s); all ${q} verdicts revealed`);
  d = await ledger.deadlines(jobId);
  skipped = await advanceTo(chain, d.revealEnd + 1);
  const revealed = reveal(job.flags);
  await asTrainer.revealFlags(jobId, revealed.salt, revealed.indices);
  say.ok(
    `reveal window closed (+${skipped} s); trainer revealed salt ${short(revealed.salt)} and flags [${revealed.indices.join(', ')}], matching C`,
  );

  const slots: SlotResult[] = [];
  for (const x of verdicts) {
    const v = await ledger.verdict(jobId, x.slot);
    const state = VerdictState[v.state] as keyof typeof VerdictState;
    if (x.v === A) {
      // Off-chain classification (prover/flags.ts) must agree with the contract's.
      const local = classifyAudit(x.end, x.root, revealed);
      const want =
        local === 'consistent'
          ? 'Consistent'
          : local === 'flag-captured'
            ? 'Captured'
            : 'FraudClaim';
      if (want !== state)
        throw new Error(`slot ${x.slot}: contract says ${state}, prover/flags.ts says ${local}`);
    }
    slots.push({
      slot: x.slot,
      index: x.index,
      verifier: x.v === A ? 'A' : 'B',
      flagged: flagged.has(x.index),
      computedRoot: x.root,
      state,
    });
  }
  const count = (s: SlotResult['state']) => slots.filter((x) => x.state === s).length;
  const rows = new Map<string, { index: number; slots: number[]; x: SlotResult }>();
  for (const x of slots) {
    const key = `${x.index}:${x.verifier}:${x.state}`;
    const row = rows.get(key) ?? { index: x.index, slots: [], x };
    row.slots.push(x.slot);
    rows.set(key, row);
  }
  say.table([
    ['segment', 'slots', 'verifier', 'flagged', 'verdict'],
    ...[...rows.values()]
      .sort((a, b) => a.index - b.index || a.slots[0]! - b.slots[0]!)
      .map((r) => [
        `${r.index - 1}→${r.index}`,
        r.slots.join(','),
        r.x.verifier === 'A' ? 'A (replayed)' : 'B (copied the log)',
        r.x.flagged ? 'yes' : '',
        r.x.state,
      ]),
  ]);
  // DESIGN §5.6: a start blob whose root differs from its entry's stateRoot must be the sealed true state of a flag.
  for (const r of replays.values()) {
    if (r.startMatches) continue;
    const start = await entry(r.index - 1);
    const sealed =
      revealed.indices.includes(r.index - 1) &&
      sealedRoot(revealed.salt, r.index - 1, r.startRoot) === start.sealedRoot;
    if (!sealed)
      throw new Error(
        `the trainer served a false start blob for segment ${r.index - 1}→${r.index} (fraud)`,
      );
    say.ok(
      `the start blob of ${r.index - 1}→${r.index} differed from entry ${r.index - 1}'s logged root and is its sealed true state: entry ${r.index - 1} is a flag, not a false start`,
    );
  }

  d = await ledger.deadlines(jobId);
  skipped = await advanceTo(chain, d.disputeEnd + 1);
  await asClient.settle(jobId);
  st = await ledger.jobState(jobId);
  const outcome = JobOutcome[st.outcome] as keyof typeof JobOutcome;
  say.ok(
    `dispute window closed (+${skipped} s, no fraud claim to dispute); settled: outcome ${outcome}`,
  );

  const deposited = new Map<string, bigint>([
    [cast.client.address, job.escrow],
    [cast.trainer.address, terms.trainerStake],
    [A.address, active.includes(A) ? terms.verifierStake : 0n],
    [B.address, active.includes(B) ? terms.verifierStake : 0n],
  ]);
  const balances: BalanceRow[] = [];
  for (const p of parties) {
    const before = withdrawableBefore.get(p.address)!;
    const credit = await ledger.withdrawable(p.address);
    let withdrawn = 0n;
    if (credit > 0n) {
      const wallet0 = await chain.provider.getBalance(p.address);
      const tx = await ledger.connect(p.wallet).withdraw();
      const wallet1 = await chain.provider.getBalance(p.address);
      withdrawn = wallet1 - wallet0 + tx.receipt.fee;
      if (withdrawn !== credit)
        throw new Error(`${p.role} withdrew ${withdrawn} wei, was credited ${credit}`);
    }
    balances.push({
      party: p.role,
      address: p.address,
      deposited: deposited.get(p.address)!,
      withdrawableBefore: before,
      credited: credit - before,
      withdrawn,
    });
  }
  say.table([
    [
      'party',
      'put in',
      'withdrawable before',
      'credited at settle',
      'net',
      'withdrawn (gas aside)',
    ],
    ...balances.map((b) => [
      b.party,
      eth(b.deposited),
      eth(b.withdrawableBefore),
      eth(b.credited),
      signedEth(b.credited - b.deposited),
      eth(b.withdrawn),
    ]),
  ]);

  const captured = count('Captured');
  const lazy = count('Lazy');
  const fraud = count('FraudClaim') + count('Fraud') + count('Disputed');
  const lazySlashed = lazy > 0 && balances.find((b) => b.address === B.address)!.credited === 0n;
  const bountyPaid = BigInt(captured) * terms.flagBounty;
  if (captured > 0)
    say.ok(`verifier A captured ${captured} flag(s): ${eth(bountyPaid)} bounty on top of its fees`);
  else if (flaggedSlots > 0)
    say.note(
      `no flag left for A to capture this round: the flagged slot${flaggedSlots > 1 ? 's' : ''} went to the lazy verifier B (no bounty paid)`,
    );
  if (lazy > 0) {
    say.ok(
      `verifier B reported "consistent" on a flagged segment it never replayed: Lazy → its ${eth(terms.verifierStake)} stake and all its fees went to the client`,
    );
  } else {
    say.note(
      `verifier B's slots were all unflagged this time, so its laziness went unnoticed (each lazy answer is caught with probability ≈ ${percent(flagged.size / segments)})`,
    );
  }
  if (fraud > 0)
    say.note(
      `${fraud} slot(s) ended as fraud claims: a segment did not reproduce and was not a flag`,
    );
  else
    say.ok(
      `every replayed unflagged segment reproduced bit-exactly: no fraud; the trainer got payment + stake back`,
    );

  return {
    seedHex: st.auditSeed,
    seedBlock: st.seedBlock,
    slots,
    distinctSegments: distinct.length,
    flaggedIndices: revealed.indices,
    flaggedSlots,
    consistent: count('Consistent'),
    captured,
    lazy,
    fraud,
    outcome,
    bountyPaid,
    lazySlashed,
    replays: [...replays.values()].map(({ root: _root, ...r }) => r),
    balances,
    hitProbability,
  };
}
