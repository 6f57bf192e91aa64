/**
 * Phase 7 — the invoice verdict (DESIGN §6), computed inline: there is no verifier/ invoice
 * module yet, so this is the rule written out in a few lines, from real data only.
 *
 *   - FLOPs are recounted from the committed architecture (prover/models: 2·m·n·p per matmul,
 *     ×3 for a training step) and checked against every entry's `flops` field; a mismatch
 *     fails the demo. Verified work F = Σ entry.flops.
 *   - The verifier measured its own replay throughput R (FLOP/s) on the segments it replayed in
 *     the audit, on the job's backend. F / R is what the work costs on the verifier's device.
 *   - A claim of H device-hours is plausible when H ≤ SLACK · F / R: the trainer's device may be
 *     slower than the verifier's and its loop pays for recording (state hashing, uploads);
 *     SLACK = 4 covers that here. Anything above is rejected, with the numbers.
 */
import { buildModel, stepFlops } from '../../prover/models/index.ts';
import { replaySegment } from '../../prover/replay.ts';
import type { Signer } from '../../prover/signer.ts';
import type { JobPhase } from './job.ts';
import type { AuditPhase } from './audit.ts';
import type { Narrator } from './narrator.ts';
import { seconds } from './narrator.ts';
import type { ServicePhase } from './service.ts';
import type { TrainingPhase } from './training.ts';

export const INVOICE_SLACK = 4;

export interface ClaimVerdict {
  readonly label: string;
  readonly claimedHours: number;
  readonly accepted: boolean;
}

export interface InvoicePhase {
  readonly flops: bigint;
  readonly flopsPerStep: bigint;
  readonly entriesChecked: number;
  /** Σ wallMs the trainer signed into its entries. */
  readonly trainerWallMs: number;
  /** Verifier's measured replay throughput, FLOP/s. */
  readonly replayFlopsPerSecond: number;
  /** F / R in hours, and the plausibility bound SLACK · F / R. */
  readonly estimatedHours: number;
  readonly maxPlausibleHours: number;
  readonly claims: readonly ClaimVerdict[];
}

const hours = (ms: number) => ms / 3_600_000;
const fmtHours = (h: number) => `${h.toExponential(3)} h (${seconds(h * 3_600_000)})`;

export async function checkInvoice(
  say: Narrator,
  job: JobPhase,
  svc: ServicePhase,
  training: TrainingPhase,
  audit: AuditPhase,
  /** Reads state blobs for a calibration replay (the job's client, as in the audit). */
  client: Signer,
): Promise<InvoicePhase> {
  say.phase(7, 'Invoice');
  const model = buildModel(job.spec.model, training.data.train);
  const flopsPerStep = stepFlops(model.forwardFlops(job.spec.batchSize));
  model.dispose();
  let flops = 0n;
  let trainerWallMs = 0;
  let prevStep = 0;
  for (let i = 1; i < job.entryCount; i++) {
    const { entry } = await svc.api.entry(job.jobId, i);
    const want = BigInt(entry.step - prevStep) * flopsPerStep;
    if (BigInt(entry.flops) !== want) {
      throw new Error(
        `entry ${i} claims ${entry.flops} FLOPs for ${entry.step - prevStep} steps; the architecture gives ${want}`,
      );
    }
    flops += want;
    trainerWallMs += entry.wallMs;
    prevStep = entry.step;
  }
  say.ok(
    `FLOPs recounted from the committed architecture: ${flopsPerStep.toLocaleString('en-US')} per step (batch ${job.spec.batchSize}); all ${job.entryCount - 1} entries agree → verified work F = ${flops.toLocaleString('en-US')} FLOPs`,
  );

  let replayed: readonly { steps: number; ms: number; flops: bigint }[] = audit.replays;
  if (replayed.length === 0) {
    // Every slot went to the lazy verifier (tiny --audits): A calibrates on segment 0→1 instead.
    const [start, end] = [
      (await svc.api.entry(job.jobId, 0)).entry,
      (await svc.api.entry(job.jobId, 1)).entry,
    ];
    const startState = await svc.api.state(job.jobId, 0, client);
    const r = await replaySegment({ spec: job.spec, start, end, startState, data: training.data });
    replayed = [{ steps: r.steps, ms: r.ms, flops: BigInt(end.flops) }];
    say.line('A replayed no audit slot, so it times a calibration replay of segment 0→1');
  }
  const replayMs = replayed.reduce((a, r) => a + r.ms, 0);
  const replayFlops = replayed.reduce((a, r) => a + r.flops, 0n);
  const rate = Number(replayFlops) / (replayMs / 1000);
  const estimatedHours = Number(flops) / rate / 3600;
  const maxPlausibleHours = INVOICE_SLACK * estimatedHours;
  say.line(
    `verifier A's measured replay speed: ${replayed.reduce((a, r) => a + r.steps, 0)} steps, ${replayFlops.toLocaleString('en-US')} FLOPs in ${replayMs.toFixed(0)} ms → R = ${(rate / 1e9).toFixed(3)} GFLOP/s (${training.backend})`,
  );
  say.line(
    `F / R = ${fmtHours(estimatedHours)}; plausible bill ≤ ${INVOICE_SLACK} × F / R = ${fmtHours(maxPlausibleHours)}`,
  );

  const honest = hours(trainerWallMs);
  const claims: ClaimVerdict[] = [
    {
      label: 'honest (Σ wallMs the trainer signed)',
      claimedHours: honest,
      accepted: honest <= maxPlausibleHours,
    },
    {
      label: 'inflated (10× that)',
      claimedHours: 10 * honest,
      accepted: 10 * honest <= maxPlausibleHours,
    },
  ];
  for (const c of claims) {
    const line = `claim ${c.label}: ${fmtHours(c.claimedHours)} → ${c.accepted ? 'ACCEPTED' : 'REJECTED'} (${(c.claimedHours / estimatedHours).toFixed(1)} × F / R, bound ${INVOICE_SLACK}×)`;
    if (c.accepted) say.ok(line);
    else say.note(line);
  }
  return {
    flops,
    flopsPerStep,
    entriesChecked: job.entryCount - 1,
    trainerWallMs,
    replayFlopsPerSecond: rate,
    estimatedHours,
    maxPlausibleHours,
    claims,
  };
}
