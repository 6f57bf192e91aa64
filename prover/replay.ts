/**
 * Segment replay (DESIGN §5.3, §6): start from entry i−1's true state, re-run its k steps on the
 * recorded backend and recompute entry i's state root and batch root. Equal bits or not equal —
 * there is no tolerance. When the claimed state of entry i is at hand (its blob or leaf
 * hashes), a mismatch names the first tensor, in leaf order, whose leaf differs.
 */
import type { EntryFields, NamedTensor } from '../ledger/index.ts';
import { toHex } from '../ledger/index.ts';
import { loadData, type LoadedData } from './data/index.ts';
import { envHash, useBackend } from './env.ts';
import { ProverError } from './errors.ts';
import { hparamsHash, specHash, type JobSpec } from './spec.ts';
import { batchLeafData } from './train/batcher.ts';
import { decodeStateBlob, encodeStateBlob, type StateCommitment } from './train/blob.ts';
import { batchRoot } from './train/recorder.ts';
import { Trainer } from './train/trainer.ts';

export interface ReplayInput {
  readonly spec: JobSpec;
  /** Entry i−1 and entry i of the log. */
  readonly start: EntryFields;
  readonly end: EntryFields;
  /** The state blob stored for entry i−1 (its true state). */
  readonly startState: Uint8Array;
  /** Optional claimed state of entry i (blob or decoded commitment), to name a differing tensor. */
  readonly claimed?: Uint8Array | StateCommitment;
  /** Reuse already loaded data (it is checked against the entries' dataRoot either way). */
  readonly data?: LoadedData;
}

export interface TensorDifference {
  readonly name: string;
  readonly computedLeaf: string;
  readonly claimedLeaf: string;
}

export interface ReplayResult {
  /** The state root the replay computed for entry i. */
  readonly root: string;
  readonly batchRoot: string;
  /** root === end.stateRoot */
  readonly matches: boolean;
  readonly batchMatches: boolean;
  /** The start blob's root equals entry i−1's stateRoot (false for a flagged i−1 or a false blob). */
  readonly startMatches: boolean;
  /** First tensor whose leaf differs from the claimed state's, in leaf (name) order. */
  readonly firstDifference?: TensorDifference;
  readonly steps: number;
  readonly ms: number;
  /** The computed state of entry i. */
  readonly state: NamedTensor[];
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new ProverError('FLAGSTONE_ERR_STATE_INVALID', what);
}

/** Compares two commitments leaf by leaf (both in name order). */
export function firstDifference(
  computed: StateCommitment,
  claimed: StateCommitment,
): TensorDifference | undefined {
  const names = [...new Set([...computed.names, ...claimed.names])].sort();
  for (const name of names) {
    const a = computed.names.indexOf(name);
    const b = claimed.names.indexOf(name);
    const ca = a < 0 ? '(absent)' : toHex(computed.leafHashes[a]!);
    const cb = b < 0 ? '(absent)' : toHex(claimed.leafHashes[b]!);
    if (ca !== cb) return { name, computedLeaf: ca, claimedLeaf: cb };
  }
  return undefined;
}

export async function replaySegment(input: ReplayInput): Promise<ReplayResult> {
  const { spec, start, end } = input;
  check(end.index === start.index + 1, `entries ${start.index} and ${end.index} are not adjacent`);
  check(start.jobId === end.jobId, 'entries of different jobs');
  check(end.specHash === specHash(spec), `spec hash ${specHash(spec)}, entry has ${end.specHash}`);
  check(end.hparamsHash === hparamsHash(spec), 'hparamsHash does not match the spec');
  const env = await useBackend(spec.backend);
  if (envHash(env) !== end.envHash) {
    throw new ProverError(
      'FLAGSTONE_ERR_ENV_MISMATCH',
      `env hash here ${envHash(env)} (${JSON.stringify(env)}), entry recorded ${end.envHash}`,
    );
  }
  const data = input.data ?? loadData(spec.data, spec.model);
  check(data.dataRoot === end.dataRoot, `data root ${data.dataRoot}, entry has ${end.dataRoot}`);

  const startBlob = decodeStateBlob(input.startState);
  const seg = await runSegment(spec, data, startBlob.tensors, start.step, end.step);
  const claimed =
    input.claimed instanceof Uint8Array ? decodeStateBlob(input.claimed) : input.claimed;
  const diff = claimed ? firstDifference(seg.commitment, claimed) : undefined;
  return {
    root: seg.commitment.root,
    batchRoot: seg.batchRoot,
    matches: seg.commitment.root === end.stateRoot,
    batchMatches: seg.batchRoot === end.batchRoot,
    startMatches: startBlob.root === start.stateRoot,
    ...(diff ? { firstDifference: diff } : {}),
    steps: end.step - start.step,
    ms: seg.ms,
    state: seg.state,
  };
}

export interface SegmentRun {
  readonly state: NamedTensor[];
  readonly commitment: StateCommitment;
  readonly batchRoot: string;
  readonly ms: number;
}

/**
 * Runs steps (fromStep, toStep] from a full state with the given spec on the active backend —
 * no hash checks. Replay uses it with the committed spec; tests use it to play a cheating
 * trainer (another learning rate, batch or architecture).
 */
export async function runSegment(
  spec: JobSpec,
  data: LoadedData,
  startState: readonly NamedTensor[],
  fromStep: number,
  toStep: number,
): Promise<SegmentRun> {
  const trainer = Trainer.restore(spec, data, startState);
  try {
    check(trainer.step === fromStep, `start state is at step ${trainer.step}, want ${fromStep}`);
    const began = performance.now();
    const leaves: Uint8Array[] = [];
    while (trainer.step < toStep) {
      const { step, indices } = trainer.trainStep();
      leaves.push(batchLeafData(step, indices));
    }
    const state = await trainer.state();
    const ms = performance.now() - began;
    const { bytes: _bytes, ...commitment } = encodeStateBlob(state);
    return { state, commitment, batchRoot: batchRoot(leaves), ms };
  } finally {
    trainer.dispose();
  }
}
