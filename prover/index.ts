/**
 * Flagstone prover: TF.js training with full-state commitments, committed data order, flag
 * planting and bit-exact replay (issue 4; DESIGN §3, §5, §6). See docs/prover.md.
 */
export * from './errors.ts';
export * from './spec.ts';
export * from './rng.ts';
export * from './env.ts';
export * from './signer.ts';
export * from './flags.ts';
export * from './replay.ts';
export * as data from './data/index.ts';
export * as models from './models/index.ts';
export { Trainer, materialize, stateLayout, type StateSnapshot } from './train/trainer.ts';
export {
  encodeStateBlob,
  decodeStateBlob,
  STATE_BLOB_VERSION,
  type StateCommitment,
} from './train/blob.ts';
export { Recorder, batchRoot, type EntrySink, type RecordedEntry } from './train/recorder.ts';
export { MemorySink, DirectorySink } from './train/sinks.ts';
export { train, type TrainOptions, type TrainResult, type TrainProgress } from './train/session.ts';
export { evaluate, type Evaluation } from './train/evaluate.ts';
export { batchLeafData } from './train/batcher.ts';
