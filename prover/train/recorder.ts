/**
 * Turns state snapshots into signed entries (DESIGN §3, §5) and hands them to a sink. Work for
 * entry i (reading the snapshot, serialising and hashing the state, the flag perturbation,
 * signing, uploading) runs as a queued async job, so training proceeds with the next steps while
 * earlier entries are committed; only `maxInFlight` snapshots are held at once (back-pressure).
 */
import {
  domainSeparator,
  EMPTY_ROOT,
  ENTRY_VERSION,
  entryDigest,
  hashLeaf,
  MemoryTree,
  sealedRoot,
  signedEntryLeafHash,
  toHex,
  ZERO_HASH,
  type EntryFields,
  type FlagstoneDomain,
} from '../../ledger/index.ts';
import { perturbState, type FlagPlan } from '../flags.ts';
import type { Signer } from '../signer.ts';
import { workerHasher, type StateHasher } from './state-hasher.ts';
import { discardSnapshot, materialize, type StateSnapshot } from './trainer.ts';

export interface RecordedEntry {
  readonly entry: EntryFields;
  readonly signature: string;
  readonly leafHash: string;
  /** The true state (also for a flagged entry: the next segment starts from it). */
  readonly stateBlob: Uint8Array;
  readonly trueStateRoot: string;
  readonly flagged: boolean;
}

/** Where entries go: the service over HTTP, memory, or a directory. */
export interface EntrySink {
  append(rec: RecordedEntry): Promise<void>;
  close?(): Promise<void>;
}

export interface RecorderOptions {
  readonly jobId: string;
  readonly specHash: string;
  readonly hparamsHash: string;
  readonly envHash: string;
  readonly dataRoot: string;
  readonly domain: FlagstoneDomain;
  readonly signer: Signer;
  readonly flags: FlagPlan;
  readonly sink: EntrySink;
  readonly flopsPerStep: bigint;
  readonly maxInFlight?: number;
  /** Where state blobs are serialised and hashed (default: the shared worker thread). */
  readonly hasher?: StateHasher;
  /** Index and leaf of the last entry already in the log (resuming); default: empty log. */
  readonly resumeFrom?: {
    readonly index: number;
    readonly leafHash: string;
    readonly step: number;
  };
}

/** Root over one leaf per step of the segment (batchLeafData); the empty root for entry 0. */
export function batchRoot(leaves: readonly Uint8Array[]): string {
  if (leaves.length === 0) return toHex(EMPTY_ROOT);
  const tree = new MemoryTree();
  for (const l of leaves) tree.append(hashLeaf(l));
  return toHex(tree.root());
}

export class Recorder {
  private readonly separator: Uint8Array;
  private readonly flagged: ReadonlySet<number>;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failure: unknown;
  private nextIndex: number;
  private prevLeaf: string;
  private prevStep: number;
  private waiters: (() => void)[] = [];
  appended = 0;

  constructor(private readonly o: RecorderOptions) {
    this.separator = domainSeparator(o.domain);
    this.flagged = new Set(o.flags.indices);
    this.nextIndex = o.resumeFrom ? o.resumeFrom.index + 1 : 0;
    this.prevLeaf = o.resumeFrom?.leafHash ?? ZERO_HASH;
    this.prevStep = o.resumeFrom?.step ?? 0;
  }

  /** Queues entry `nextIndex` for the snapshot; resolves once there is room for another. */
  async record(
    snap: StateSnapshot,
    batchLeaves: readonly Uint8Array[],
    wallMs: number,
  ): Promise<void> {
    this.throwIfFailed();
    const index = this.nextIndex++;
    const steps = snap.step - this.prevStep;
    this.prevStep = snap.step;
    this.inFlight++;
    this.chain = this.chain.then(async () => {
      try {
        if (this.failure) return discardSnapshot(snap);
        await this.commit(index, snap, batchLeaves, steps, wallMs);
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.inFlight--;
        this.waiters.shift()?.();
      }
    });
    while (this.inFlight >= (this.o.maxInFlight ?? 2))
      await new Promise<void>((r) => this.waiters.push(r));
    this.throwIfFailed();
  }

  /** Waits for every queued entry; rethrows the first failure. */
  async flush(): Promise<void> {
    await this.chain;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private async commit(
    index: number,
    snap: StateSnapshot,
    leaves: readonly Uint8Array[],
    steps: number,
    wallMs: number,
  ) {
    const hasher = this.o.hasher ?? workerHasher();
    const tensors = await materialize(snap);
    const blob = await hasher.hash(tensors);
    const flagged = this.flagged.has(index);
    const shownRoot = flagged
      ? (await hasher.hash(perturbState(tensors, this.o.flags.salt, index))).root
      : blob.root;
    const entry: EntryFields = {
      v: ENTRY_VERSION,
      jobId: this.o.jobId,
      index,
      step: snap.step,
      stateRoot: shownRoot,
      dataRoot: this.o.dataRoot,
      batchRoot: batchRoot(leaves),
      hparamsHash: this.o.hparamsHash,
      specHash: this.o.specHash,
      envHash: this.o.envHash,
      sealedRoot: sealedRoot(this.o.flags.salt, index, blob.root),
      flops: (BigInt(steps) * this.o.flopsPerStep).toString(),
      wallMs: Math.max(0, Math.round(wallMs)),
      prevLeaf: this.prevLeaf,
    };
    const signature = this.o.signer.sign(entryDigest(this.separator, entry));
    const leafHash = signedEntryLeafHash(entry, signature);
    this.prevLeaf = leafHash;
    await this.o.sink.append({
      entry,
      signature,
      leafHash,
      stateBlob: blob.bytes,
      trueStateRoot: blob.root,
      flagged,
    });
    this.appended++;
  }
}
