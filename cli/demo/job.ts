/**
 * Phase 3 — the job. The client opens it twice, with one id: on the service (a client-signed
 * EIP-712 OpenJob, prover/client) and on FlagstoneLedger (terms + escrow). The trainer accepts
 * on chain with its stake and the flag commitment C = H(salt ‖ sorted flagged indices)
 * (DESIGN §5.1), and posts the same C, signed, to the service before the first entry.
 * The number of audits is planned (DESIGN §5.5): q = ⌈ln(1 − confidence) / ln(1 − p)⌉ uniformly
 * drawn segments catch a trainer who faked a fraction p of them with that confidence.
 */
import { parseEther } from 'ethers';
import type { ChainConnection, JobTerms } from '../../chain/index.ts';
import type { FlagstoneDomain } from '../../ledger/index.ts';
import { commitFlags, openJobRequest } from '../../prover/client/index.ts';
import { planFlags, type FlagPlan } from '../../prover/flags.ts';
import { entrySteps, parseSpec, specHash, type JobSpec } from '../../prover/spec.ts';
import type { Cast } from './accounts.ts';
import { chainTime } from './chain.ts';
import type { Narrator } from './narrator.ts';
import { eth, percent, short } from './narrator.ts';
import type { ServicePhase } from './service.ts';

export interface JobOptions {
  readonly steps: number;
  readonly interval: number;
  readonly flags: number;
  /** Audit slots; undefined → planned from `auditFraction` and `auditConfidence`. */
  readonly audits?: number;
  readonly auditFraction: number;
  readonly auditConfidence: number;
}

export interface JobPhase {
  readonly spec: JobSpec;
  readonly jobId: string;
  readonly specHash: string;
  readonly domain: FlagstoneDomain;
  /** The trainer's secret until reveal (the demo plays every party, so it holds it). */
  readonly flags: FlagPlan;
  readonly terms: JobTerms;
  readonly escrow: bigint;
  readonly entryCount: number;
}

/** The committed training job: a small MLP on Palmer penguins, cpu backend (bit-exact replay). */
export function demoSpec(o: Pick<JobOptions, 'steps' | 'interval'>): JobSpec {
  return parseSpec({
    model: { kind: 'mlp', hidden: [32, 32] },
    optimizer: { kind: 'adam', learningRate: 0.01 },
    batchSize: 32,
    steps: o.steps,
    checkpointInterval: o.interval,
    seed: 7,
    backend: 'cpu',
    data: { dataset: 'penguins' },
    augment: { featureNoise: 0.05 },
  });
}

/** Smallest q with 1 − (1 − p)^q ≥ confidence, capped at the contract's MAX_AUDITS (64). */
export function plannedAudits(fraction: number, confidence: number): number {
  return Math.min(64, Math.max(1, Math.ceil(Math.log(1 - confidence) / Math.log(1 - fraction))));
}

export const AMOUNTS = {
  payment: parseEther('1'),
  trainerStake: parseEther('0.5'),
  verifierStake: parseEther('0.2'),
  verifierFee: parseEther('0.01'),
  flagBounty: parseEther('0.05'),
} as const;

/** Every audit phase window, in seconds (the demo moves the dev chain's clock across them). */
export const WINDOW_S = 3600;

export async function openJob(
  say: Narrator,
  o: JobOptions,
  chain: ChainConnection,
  svc: ServicePhase,
  cast: Cast,
): Promise<JobPhase> {
  say.phase(3, 'Job');
  const spec = demoSpec(o);
  const entryCount = entrySteps(spec).length;
  const audits = o.audits ?? plannedAudits(o.auditFraction, o.auditConfidence);
  say.line(
    `spec: mlp ${spec.model.kind === 'mlp' ? spec.model.hidden.join('×') : ''} on penguins (owners = islands), Adam lr ${spec.optimizer.learningRate}, batch ${spec.batchSize}, ${spec.steps} steps, k = ${spec.checkpointInterval}, seed ${spec.seed}, backend ${spec.backend}`,
  );
  say.line(
    `→ ${entryCount} entries (W0 + one every ${spec.checkpointInterval} steps), ${entryCount - 1} segments`,
  );

  // Client → service: signed OpenJob.
  const domain = await svc.api.domain();
  const request = openJobRequest(cast.client.signer, cast.trainer.address, spec, domain);
  const job = await svc.api.openJob(request);
  const hash = specHash(spec);
  if (job.specHash !== hash)
    throw new Error(`service computed spec hash ${job.specHash}, client ${hash}`);
  say.ok(
    `client ${short(cast.client.address)} opened job ${job.jobId} on the service (spec ${short(hash)})`,
  );

  // Client → chain: the same job id with real terms and escrow.
  const now = await chainTime(chain);
  const terms: JobTerms = {
    trainer: cast.trainer.address,
    operator: chain.signer.address,
    arbiter: cast.arbiter.address,
    specHash: hash,
    ...AMOUNTS,
    auditCount: audits,
    acceptBy: now + WINDOW_S,
    trainBy: now + 24 * WINDOW_S,
    commitWindow: WINDOW_S,
    revealWindow: WINDOW_S,
    flagRevealWindow: WINDOW_S,
    disputeWindow: WINDOW_S,
    arbiterWindow: WINDOW_S,
  };
  const clientLedger = chain.ledger.connect(cast.client.wallet);
  const escrow = await clientLedger.requiredEscrow(terms);
  const opened = await clientLedger.openJob(job.jobId, terms, escrow);
  say.ok(
    `client opened it on FlagstoneLedger, escrow ${eth(escrow)} = payment ${eth(terms.payment)} + ${audits} audits × (fee ${eth(terms.verifierFee)} + flag bounty ${eth(terms.flagBounty)})  [tx ${short(opened.txHash)}, block ${opened.blockNumber}]`,
  );
  say.line(
    `audits: q = ${audits}${o.audits === undefined ? ` slots, planned so that a trainer faking ${percent(o.auditFraction, 0)} of segments is caught with ≥ ${percent(o.auditConfidence, 0)} (1 − (1 − ${o.auditFraction})^${audits} = ${percent(1 - (1 - o.auditFraction) ** audits)})` : ' slots (--audits)'}`,
  );
  say.line(
    `stakes: trainer ${eth(terms.trainerStake)}, each verifier ${eth(terms.verifierStake)}; arbiter ${short(cast.arbiter.address)}; every window ${WINDOW_S / 3600} h`,
  );

  // Trainer: plant flags, commit C on chain (with the stake) and on the service.
  const flags = planFlags({ entryCount, count: o.flags });
  const accepted = await chain.ledger
    .connect(cast.trainer.wallet)
    .acceptJob(job.jobId, flags.commitment, terms.trainerStake);
  await commitFlags(svc.api, cast.trainer.signer, domain, job.jobId, flags);
  say.ok(
    `trainer ${short(cast.trainer.address)} accepted with stake ${eth(terms.trainerStake)} and flag commitment C = ${short(flags.commitment)}  [tx ${short(accepted.txHash)}]`,
  );
  say.line(
    `${flags.indices.length} entries will carry a flag (a perturbed stateRoot, true state sealed); which ones stays secret until the reveal`,
  );
  return { spec, jobId: job.jobId, specHash: hash, domain, flags, terms, escrow, entryCount };
}
