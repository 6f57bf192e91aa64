/**
 * The demo's final summary: one table for people, one JSON document for machines (`--json`),
 * both built from the phases' results. Amounts in wei are decimal strings in the JSON.
 */
import type { AnchoringPhase } from './anchoring.ts';
import type { AuditPhase } from './audit.ts';
import type { ChainPhase } from './chain.ts';
import type { InvoicePhase } from './invoice.ts';
import type { JobPhase } from './job.ts';
import type { Narrator } from './narrator.ts';
import { eth, percent, seconds } from './narrator.ts';
import type { RoyaltiesPhase } from './royalties.ts';
import type { TrainingPhase } from './training.ts';

export interface DemoResults {
  readonly chain: ChainPhase;
  readonly job: JobPhase;
  readonly training: TrainingPhase;
  readonly anchoring: AnchoringPhase;
  readonly audit: AuditPhase;
  readonly invoice: InvoicePhase;
  readonly royalties: RoyaltiesPhase;
}

export function summaryJson(r: DemoResults, runtimeMs: number): Record<string, unknown> {
  const { chain, job, training, anchoring, audit, invoice, royalties } = r;
  return {
    ok: true,
    runtimeMs: Math.round(runtimeMs),
    chain: {
      chainId: chain.chain.chainId,
      ledger: chain.chain.ledger.address,
      splitter: chain.chain.splitter.address,
      local: chain.chain.localChain !== undefined,
      localNodePid: chain.chain.localChain?.pid ?? null,
    },
    job: {
      jobId: job.jobId,
      specHash: job.specHash,
      steps: job.spec.steps,
      checkpointInterval: job.spec.checkpointInterval,
      backend: job.spec.backend,
      escrow: job.escrow.toString(),
      auditCount: job.terms.auditCount,
      flags: job.flags.indices.length,
    },
    training: {
      entries: training.entries,
      finalLoss: training.finalLoss,
      heldOutAccuracy: training.heldOutAccuracy,
      heldOutLoss: training.heldOutLoss,
      wallMs: Math.round(training.wallMs),
    },
    anchoring: {
      anchors: anchoring.anchors.length,
      anchoredSize: anchoring.size,
      rootHex: anchoring.rootHex,
      headMatchesCheckpoint: anchoring.headMatchesCheckpoint,
      checkpointVerified: anchoring.checkpointVerified,
      inclusionVerified: anchoring.inclusionVerified,
      consistencyVerified: anchoring.consistencyVerified,
    },
    audit: {
      seed: audit.seedHex,
      slots: audit.slots.length,
      distinctSegments: audit.distinctSegments,
      segmentsReplayed: audit.replays.length,
      segmentsReproduced: audit.replays.filter((x) => x.matches).length,
      flaggedIndices: audit.flaggedIndices,
      flaggedSlots: audit.flaggedSlots,
      hitProbability: audit.hitProbability,
      consistent: audit.consistent,
      flagsCaptured: audit.captured,
      lazy: audit.lazy,
      fraud: audit.fraud,
      bountyPaid: audit.bountyPaid.toString(),
      lazySlashed: audit.lazySlashed,
      outcome: audit.outcome,
      verdicts: audit.slots.map((s) => ({
        slot: s.slot,
        index: s.index,
        verifier: s.verifier,
        flagged: s.flagged,
        state: s.state,
      })),
      balances: audit.balances.map((b) => ({
        party: b.party,
        address: b.address,
        deposited: b.deposited.toString(),
        credited: b.credited.toString(),
        net: (b.credited - b.deposited).toString(),
        withdrawn: b.withdrawn.toString(),
      })),
    },
    invoice: {
      flops: invoice.flops.toString(),
      flopsPerStep: invoice.flopsPerStep.toString(),
      entriesChecked: invoice.entriesChecked,
      replayFlopsPerSecond: invoice.replayFlopsPerSecond,
      estimatedHours: invoice.estimatedHours,
      maxPlausibleHours: invoice.maxPlausibleHours,
      claims: invoice.claims.map((c) => ({
        label: c.label,
        claimedHours: c.claimedHours,
        accepted: c.accepted,
      })),
      honestAccepted: invoice.claims[0]?.accepted ?? false,
      inflatedRejected: invoice.claims[1]?.accepted === false,
    },
    royalties: {
      source: royalties.source,
      valuationId: royalties.valuationId,
      evaluations: royalties.evaluations,
      evaluationsVerified: royalties.evaluationsVerified,
      utilities: royalties.utilities,
      owners: royalties.payouts.map((p) => ({
        owner: p.owner,
        address: p.address,
        value: p.value,
        share: p.share,
        amount: p.amount.toString(),
      })),
      pool: royalties.pool.toString(),
      payoutSum: royalties.payoutSum.toString(),
      payoutSumEqualsPool: royalties.payoutSum === royalties.pool,
      merkleRoot: royalties.merkleRoot,
      serviceRootMatches: royalties.serviceRootMatches,
      epochId: royalties.epochId,
      claimant: royalties.claimant,
      claimed: royalties.claimed.toString(),
      claimOk: royalties.claimOk,
      doubleClaimRefused: royalties.doubleClaimRefused,
      doubleClaimError: royalties.doubleClaimError,
    },
  };
}

export function printSummary(say: Narrator, r: DemoResults, runtimeMs: number): void {
  const { job, training, anchoring, audit, invoice, royalties } = r;
  const honest = invoice.claims[0]!;
  const inflated = invoice.claims[1]!;
  say.raw(`\n== Summary ${'='.repeat(62)}\n`);
  say.table([
    ['', 'result'],
    [
      'job',
      `${job.jobId.slice(0, 16)}…  mlp on penguins, ${job.spec.steps} steps, k = ${job.spec.checkpointInterval}, ${job.spec.backend}`,
    ],
    ['entries', `${training.entries} signed entries, ${job.flags.indices.length} flagged`],
    [
      'training',
      `loss ${training.finalLoss.toFixed(4)}, held-out accuracy ${percent(training.heldOutAccuracy)} (${training.data.heldOut.count} penguins)`,
    ],
    [
      'anchors',
      `${anchoring.anchors.length} on chain (sizes ${anchoring.anchors.map((a) => a.size).join(', ')}); head = checkpoint, note + inclusion + consistency verified`,
    ],
    [
      'audit',
      `${audit.slots.length} slots over ${audit.distinctSegments} segments; A replayed ${audit.replays.length}: ${audit.replays.filter((x) => x.matches).length} bit-exact, ${audit.replays.filter((x) => !x.matches).length} differing (${audit.fraud ? 'not all flags: fraud' : 'flags'})`,
    ],
    [
      'verdicts',
      `slots: ${audit.consistent} consistent, ${audit.captured} flag captures, ${audit.lazy} lazy, ${audit.fraud} fraud → ${audit.outcome}`,
    ],
    [
      'bounty / slash',
      `${eth(audit.bountyPaid)} bounty paid; lazy verifier ${audit.lazySlashed ? 'slashed' : audit.lazy ? 'not slashed' : 'not caught this round'}`,
    ],
    [
      'invoice',
      `${invoice.flops.toLocaleString('en-US')} FLOPs; honest claim ${honest.accepted ? 'accepted' : 'REJECTED'}, 10× claim ${inflated.accepted ? 'ACCEPTED' : 'rejected'} (bound ${seconds(invoice.maxPlausibleHours * 3_600_000)})`,
    ],
    ['royalties', royalties.payouts.map((p) => `${p.owner} ${eth(p.amount)}`).join(', ')],
    [
      'payout',
      `Σ = ${eth(royalties.payoutSum)} = pool; epoch ${royalties.epochId} funded; ${royalties.claimant} claimed; double claim ${royalties.doubleClaimRefused ? 'refused' : 'ACCEPTED'} (${royalties.source} valuation)`,
    ],
    ['runtime', seconds(runtimeMs)],
  ]);
}
