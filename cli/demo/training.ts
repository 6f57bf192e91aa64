/**
 * Phase 4 — training: real TF.js training through the prover (`train` with the HTTP sink), so
 * every k steps the full state is committed, the true state stored privately on the service and
 * the trainer-signed entry appended. Then held-out quality of the final weights.
 *
 * The demo's model trains in about a second, faster than the anchoring worker's 1 s poll, so
 * the sink waits (at most a few seconds) for the worker to anchor each multiple of its
 * 8-entry cadence: the anchors then show the log growing on chain, each extension checked by
 * the contract with a consistency proof, as it would over a long run.
 */
import type { ChainConnection } from '../../chain/index.ts';
import { HttpSink } from '../../prover/client/index.ts';
import { loadData, type LoadedData } from '../../prover/data/index.ts';
import { evaluate } from '../../prover/train/evaluate.ts';
import type { EntrySink, RecordedEntry } from '../../prover/train/recorder.ts';
import { train } from '../../prover/train/session.ts';
import type { Cast } from './accounts.ts';
import type { JobPhase } from './job.ts';
import type { Narrator } from './narrator.ts';
import { percent, seconds } from './narrator.ts';
import type { ServicePhase } from './service.ts';

export interface TrainingPhase {
  readonly data: LoadedData;
  readonly entries: number;
  readonly finalLoss: number;
  readonly heldOutAccuracy: number;
  readonly heldOutLoss: number;
  readonly wallMs: number;
  readonly backend: string;
  readonly tfjs: string;
  readonly flopsPerStep: bigint;
}

/** Entries the anchoring worker waits for before anchoring (server/plugins/app/anchoring.ts). */
export const ANCHOR_EVERY_ENTRIES = 8;

/** Passes entries on; after every `every`-th one, waits until the chain anchors that size. */
class AnchorPacedSink implements EntrySink {
  constructor(
    private readonly inner: EntrySink,
    private readonly every: number,
    private readonly anchoredSize: () => Promise<number>,
    private readonly maxWaitMs = 5_000,
  ) {}

  async append(rec: RecordedEntry): Promise<void> {
    await this.inner.append(rec);
    const size = rec.entry.index + 1;
    if (size % this.every !== 0) return;
    const deadline = Date.now() + this.maxWaitMs;
    // If the worker is slow the demo goes on; the final flush anchors whatever is pending.
    while (Date.now() < deadline && (await this.anchoredSize()) < size)
      await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runTraining(
  say: Narrator,
  job: JobPhase,
  svc: ServicePhase,
  cast: Cast,
  chain: ChainConnection,
): Promise<TrainingPhase> {
  say.phase(4, 'Training');
  const { spec } = job;
  const data = loadData(spec.data, spec.model);
  say.line(
    `penguins.json (vega-datasets): ${data.train.count} training rows of ${data.allOwners.join(', ')}, ${data.heldOut.count} held out; data root ${data.dataRoot.slice(0, 16)}…`,
  );
  const every = Math.max(1, Math.round((job.entryCount - 1) / 5));
  const sink = new AnchorPacedSink(
    new HttpSink(svc.api, cast.trainer.signer),
    ANCHOR_EVERY_ENTRIES,
    async () => (await chain.ledger.head(job.jobId)).size,
  );
  const result = await train({
    spec,
    jobId: job.jobId,
    sink,
    signer: cast.trainer.signer,
    domain: job.domain,
    flags: job.flags,
    data,
    keepTrainer: true,
    onProgress: (p) => {
      const entry = Math.round(p.step / spec.checkpointInterval);
      // The last step reports twice (at its boundary, then after the recorder's flush): print the flushed one.
      if (p.step === spec.steps ? p.entriesAppended === job.entryCount : entry % every === 0) {
        say.line(
          `step ${String(p.step).padStart(4)}/${spec.steps}  batch loss ${p.loss?.toFixed(4) ?? '-'}  entries appended ${p.entriesAppended}`,
        );
      }
    },
  });
  const trainer = result.trainer!;
  let heldOutAccuracy: number;
  let heldOutLoss: number;
  try {
    const ev = await evaluate(trainer, data.heldOut);
    heldOutAccuracy = ev.accuracy ?? Number.NaN;
    heldOutLoss = ev.loss;
  } finally {
    trainer.dispose();
  }
  const size = (await svc.api.job(job.jobId)).size;
  if (size !== job.entryCount)
    throw new Error(`the log holds ${size} entries, want ${job.entryCount}`);
  say.ok(
    `trained ${spec.steps} steps on tfjs ${result.env.tfjs} / ${result.env.backend} in ${seconds(result.wallMs)} end to end (recording, uploads and waiting for the anchors included)`,
  );
  say.ok(
    `${result.entries} signed entries appended, each with its state blob stored privately (log size ${size})`,
  );
  say.ok(
    `final training loss ${result.finalLoss.toFixed(4)}; held-out: accuracy ${percent(heldOutAccuracy)} on ${data.heldOut.count} penguins, log-loss ${heldOutLoss.toFixed(4)} nats`,
  );
  return {
    data,
    entries: result.entries,
    finalLoss: result.finalLoss,
    heldOutAccuracy,
    heldOutLoss,
    wallMs: result.wallMs,
    backend: result.env.backend,
    tfjs: result.env.tfjs,
    flopsPerStep: trainer.flopsPerStep,
  };
}
