/**
 * One training run with recording: W0 → entry 0, then k steps per entry (the last segment may
 * be shorter), every entry committed through the Recorder. The loop yields to the event loop
 * after every step so that uploads and hashing queued by the recorder make progress while the
 * next steps run.
 */
import type { FlagstoneDomain } from '../../ledger/index.ts';
import { loadData, type LoadedData } from '../data/index.ts';
import { envHash, useBackend, type EnvDescriptor } from '../env.ts';
import type { FlagPlan } from '../flags.ts';
import type { Signer } from '../signer.ts';
import { entrySteps, hparamsHash, specHash, type JobSpec } from '../spec.ts';
import { batchLeafData } from './batcher.ts';
import { Recorder, type EntrySink } from './recorder.ts';
import { Trainer } from './trainer.ts';

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** Loss of the latest step, read at entry boundaries only (a device read). */
  readonly loss?: number;
  readonly entriesAppended: number;
}

export interface TrainOptions {
  readonly spec: JobSpec;
  readonly jobId: string;
  readonly sink: EntrySink;
  readonly signer: Signer;
  readonly domain: FlagstoneDomain;
  readonly flags: FlagPlan;
  readonly data?: LoadedData;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Keep the trainer (for evaluation) instead of disposing it. */
  readonly keepTrainer?: boolean;
}

export interface TrainResult {
  readonly env: EnvDescriptor;
  readonly envHash: string;
  readonly dataRoot: string;
  readonly entries: number;
  readonly finalLoss: number;
  readonly wallMs: number;
  readonly trainer?: Trainer;
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export async function train(o: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const env = await useBackend(o.spec.backend);
  const data = o.data ?? loadData(o.spec.data, o.spec.model);
  const trainer = Trainer.init(o.spec, data);
  const recorder = new Recorder({
    jobId: o.jobId,
    specHash: specHash(o.spec),
    hparamsHash: hparamsHash(o.spec),
    envHash: envHash(env),
    dataRoot: data.dataRoot,
    domain: o.domain,
    signer: o.signer,
    flags: o.flags,
    sink: o.sink,
    flopsPerStep: trainer.flopsPerStep,
  });
  let finalLoss = Number.NaN;
  try {
    const boundaries = entrySteps(o.spec);
    await recorder.record(trainer.snapshot(), [], performance.now() - started);
    for (const end of boundaries.slice(1)) {
      const segmentStart = performance.now();
      const leaves: Uint8Array[] = [];
      while (trainer.step < end) {
        const { step, indices } = trainer.trainStep();
        leaves.push(batchLeafData(step, indices));
        await yieldToEventLoop();
      }
      await recorder.record(trainer.snapshot(), leaves, performance.now() - segmentStart);
      if (o.onProgress) {
        finalLoss = await trainer.loss();
        o.onProgress({
          step: trainer.step,
          steps: o.spec.steps,
          loss: finalLoss,
          entriesAppended: recorder.appended,
        });
      }
    }
    await recorder.flush();
    finalLoss = await trainer.loss();
    o.onProgress?.({
      step: trainer.step,
      steps: o.spec.steps,
      loss: finalLoss,
      entriesAppended: recorder.appended,
    });
  } catch (err) {
    trainer.dispose();
    throw err;
  }
  if (!o.keepTrainer) trainer.dispose();
  return {
    env,
    envHash: envHash(env),
    dataRoot: data.dataRoot,
    entries: recorder.appended,
    finalLoss,
    wallMs: performance.now() - started,
    ...(o.keepTrainer ? { trainer } : {}),
  };
}
