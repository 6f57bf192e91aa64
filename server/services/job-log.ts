/**
 * One RFC 9162 log per job. Appends are validated against the job's tip (index, prevLeaf,
 * trainer signature), then queued; queued appends of all jobs are written in one transaction
 * ("group commit") and acknowledged only after it commits, so throughput does not pay one fsync
 * per entry and no acknowledged entry is ever lost. Up to two batches are in flight (one
 * committing, one waiting) so request handling overlaps the commit; the store applies them in
 * order, and after a failed batch it refuses every later batch of the same epoch, so no entry is
 * ever written after a lost predecessor. Tree nodes are stored as perfect subtrees, so
 * appends and proofs cost O(log n) hashes and lookups.
 */
import {
  CompactRange,
  ENTRY_VERSION,
  domainSeparator,
  entryDigest,
  signedEntryText,
  fromHex,
  hashLeaf,
  hashRange,
  nodeKey,
  nodesFor,
  perfectNodes,
  planConsistency,
  planInclusion,
  parseSignature,
  recoverPublicKey,
  addressOfPublicKey,
  verifyDigest,
  signCheckpoint,
  toHex,
  type EntryFields,
  type FlagstoneDomain,
  type LeafRange,
  type NodeId,
  type NoteSigner,
  type StoredNode,
  type SignatureError,
} from '../../ledger/index.ts';
import type { Db } from '../persistence/database.ts';
import type { AppendStore } from '../persistence/append-store.ts';
import { conflict, invalid, notFound, unauthorized, FlagstoneError } from '../errors.ts';

/** Entries written per transaction at most; bounds commit latency under heavy load. */
const MAX_BATCH = 512;
/** Batches handed to the store and not yet acknowledged. */
const MAX_IN_FLIGHT = 2;

export interface JobState {
  readonly id: string;
  readonly client: string;
  readonly trainer: string;
  readonly specHash: string;
  flagCommitment: string | null;
  /** Durable tip: what checkpoints and proofs may show. */
  size: number;
  range: CompactRange;
  /** Accepted tip: durable plus queued appends. */
  tipSize: number;
  tipLeaf: string;
  tipRange: CompactRange;
  publicKey: Uint8Array | null;
  lastHeadSize: number;
}

interface QueuedAppend {
  readonly job: JobState;
  readonly index: number;
  readonly leafHash: string;
  readonly body: string;
  readonly signature: string;
  readonly nodes: StoredNode[];
  readonly newPublicKey: Uint8Array | null;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export interface AppendResult {
  readonly index: number;
  readonly leafHash: string;
  readonly size: number;
}

export interface Checkpoint {
  readonly size: number;
  readonly rootHex: string;
  readonly note: string;
}

export class JobLog {
  private readonly jobs = new Map<string, Promise<JobState | null>>();
  private readonly separator: Uint8Array;
  private queue: QueuedAppend[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Bumped on every failed commit; batches of an older epoch are refused by the store. */
  private epoch = 0;
  /** Jobs whose accepted tip is ahead of their durable tip. */
  private readonly dirty = new Set<JobState>();
  /** Jobs whose durable tree grew since the anchoring worker last asked (null: not asked yet). */
  private grown: Set<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: AppendStore,
    private readonly signer: NoteSigner,
    private readonly logName: string,
    readonly domain: FlagstoneDomain,
  ) {
    this.separator = domainSeparator(domain);
  }

  origin(jobId: string): string {
    return `${this.logName}/jobs/${jobId}`;
  }

  /** The cached state of a job, loaded once from the database; throws 404 if unknown. */
  async job(jobId: string): Promise<JobState> {
    let p = this.jobs.get(jobId);
    if (!p) {
      p = this.load(jobId);
      this.jobs.set(jobId, p);
      p.then(
        (j) => j ?? this.jobs.delete(jobId),
        () => this.jobs.delete(jobId),
      );
    }
    const job = await p;
    if (!job) throw notFound(`job ${jobId} not found`);
    return job;
  }

  /** Forgets a cached job (after it was created, so the next read loads it). */
  invalidate(jobId: string): void {
    this.jobs.delete(jobId);
  }

  private async load(jobId: string): Promise<JobState | null> {
    const row = await this.db.job.findUnique({ where: { id: jobId } });
    if (!row) return null;
    const size = Number(row.size);
    const ids = perfectNodes(0, size);
    const hashes = await this.lookupNodes(jobId, ids);
    const range = new CompactRange(
      size,
      ids.map((id) => hashes.get(nodeKey(id))!),
    );
    const lastHead = await this.db.treeHead.findFirst({
      where: { jobId },
      orderBy: { size: 'desc' },
    });
    return {
      id: row.id,
      client: row.client,
      trainer: row.trainer,
      specHash: row.specHash,
      flagCommitment: row.flagCommitment,
      size,
      range,
      tipSize: size,
      tipLeaf: row.lastLeaf,
      tipRange: range.clone(),
      publicKey: row.trainerPubKey ? fromHex(row.trainerPubKey) : null,
      lastHeadSize: lastHead ? Number(lastHead.size) : -1,
    };
  }

  /**
   * Validates and queues one entry; resolves once it is durable. Every check runs before the tip
   * moves, so a rejected entry changes nothing.
   */
  async append(jobId: string, entry: EntryFields, signature: string): Promise<AppendResult> {
    const job = await this.job(jobId);
    if (entry.jobId !== jobId)
      throw invalid(`entry.jobId ${entry.jobId} does not match the job ${jobId} in the path`);
    if (entry.v !== ENTRY_VERSION)
      throw invalid(`entry.v must be ${ENTRY_VERSION}, got ${entry.v}`);
    if (entry.specHash !== job.specHash)
      throw invalid(`entry.specHash ${entry.specHash} is not the job's spec hash ${job.specHash}`);
    if (BigInt(entry.flops) >= 1n << 256n) throw invalid('entry.flops does not fit in uint256');
    if (entry.index !== job.tipSize)
      throw conflict(`entry index ${entry.index} is not the next index ${job.tipSize}`);
    if (entry.prevLeaf !== job.tipLeaf)
      throw conflict(`entry prevLeaf ${entry.prevLeaf} is not the newest leaf ${job.tipLeaf}`);
    const newPublicKey = this.checkTrainerSignature(job, entry, signature);
    const sig = signature.toLowerCase();
    const body = signedEntryText(entry, sig);
    const bytes = new TextEncoder().encode(body);
    const leafHash = hashLeaf(bytes);
    const leafHex = toHex(leafHash);
    const nodes = job.tipRange.append(leafHash);
    job.tipSize++;
    job.tipLeaf = leafHex;
    if (newPublicKey) job.publicKey = newPublicKey;
    this.dirty.add(job);
    const index = entry.index;
    await new Promise<void>((resolve, reject) => {
      this.queue.push({
        job,
        index,
        leafHash: leafHex,
        body,
        signature: sig,
        nodes,
        newPublicKey,
        resolve,
        reject,
      });
      this.schedule();
    });
    return { index, leafHash: leafHex, size: index + 1 };
  }

  /** Returns the trainer's key if it was learned from this signature (first entry of the job). */
  private checkTrainerSignature(
    job: JobState,
    entry: EntryFields,
    signature: string,
  ): Uint8Array | null {
    let parsed;
    try {
      parsed = parseSignature(signature);
    } catch (e) {
      throw unauthorized((e as SignatureError).message);
    }
    const digest = entryDigest(this.separator, entry);
    if (job.publicKey) {
      if (!verifyDigest(digest, parsed, job.publicKey))
        throw unauthorized(`signature is not by the job's trainer ${job.trainer}`);
      return null;
    }
    let pub: Uint8Array;
    try {
      pub = recoverPublicKey(digest, parsed);
    } catch {
      throw unauthorized('signature does not recover to a key');
    }
    const signer = addressOfPublicKey(pub);
    if (signer !== job.trainer)
      throw unauthorized(`signature is by ${signer}, not by the job's trainer ${job.trainer}`);
    return pub;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
        this.inFlight++;
        void this.commit(this.queue.splice(0, MAX_BATCH), this.epoch).finally(() => {
          this.inFlight--;
          if (this.queue.length > 0) this.schedule();
        });
      }
    });
  }

  private async commit(batch: QueuedAppend[], epoch: number): Promise<void> {
    const tips = new Map<JobState, QueuedAppend>();
    for (const a of batch) tips.set(a.job, a);
    try {
      await this.store.commit(
        {
          entries: batch.map((a) => ({
            jobId: a.job.id,
            index: a.index,
            leafHash: a.leafHash,
            body: a.body,
            signature: a.signature,
          })),
          nodes: batch.flatMap((a) =>
            a.nodes.map((n) => ({
              jobId: a.job.id,
              level: n.level,
              index: n.index,
              hash: toHex(n.hash),
            })),
          ),
          tips: [...tips.values()].map((a) => ({
            jobId: a.job.id,
            size: a.index + 1,
            lastLeaf: a.leafHash,
            trainerPubKey: batch.some((b) => b.job === a.job && b.newPublicKey)
              ? toHex(a.job.publicKey!)
              : null,
          })),
        },
        epoch,
      );
    } catch (cause) {
      if (epoch === this.epoch) this.resetTips();
      const err = new FlagstoneError(
        'FLAGSTONE_ERR_UNAVAILABLE',
        'the log could not commit the entry; retry',
        { cause },
      );
      for (const a of batch) a.reject(err);
      return;
    }
    for (const a of batch) {
      a.job.range.append(fromHex(a.leafHash));
      a.job.size = a.index + 1;
      this.grown?.add(a.job.id);
      if (a.job.size === a.job.tipSize) this.dirty.delete(a.job);
      a.resolve();
    }
  }

  /**
   * After a failed commit every accepted-but-not-durable entry is lost: later in-flight batches
   * carry the old epoch and the store refuses them. Reject what is still queued and move every
   * job's tip back to its durable state (reloaded on next use).
   */
  private resetTips(): void {
    this.epoch++;
    const queued = this.queue;
    this.queue = [];
    for (const job of this.dirty) this.jobs.delete(job.id);
    this.dirty.clear();
    const err = new FlagstoneError(
      'FLAGSTONE_ERR_UNAVAILABLE',
      'an earlier entry could not be committed; resync and retry',
    );
    for (const a of queued) a.reject(err);
  }

  /**
   * Jobs whose durable tree grew since the previous call; the first call returns every job with
   * entries, so a restarted anchoring worker reconciles all of them with the chain.
   */
  async takeGrownJobs(): Promise<string[]> {
    if (this.grown === null) {
      this.grown = new Set();
      const rows = await this.db.job.findMany({
        where: { size: { gt: 0n } },
        select: { id: true },
      });
      return rows.map((r) => r.id);
    }
    const out = [...this.grown];
    this.grown.clear();
    return out;
  }

  /** Waits for every queued append to be committed or rejected. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0 || this.scheduled)
      await new Promise((r) => setTimeout(r, 1));
  }

  async entry(
    jobId: string,
    index: number,
  ): Promise<{ body: string; signature: string; leafHash: string }> {
    const job = await this.job(jobId);
    if (index >= job.size)
      throw notFound(`entry ${index} not found: the log of job ${jobId} has ${job.size} entries`);
    const row = await this.db.entry.findUnique({
      where: { jobId_index: { jobId, index: BigInt(index) } },
    });
    if (!row) throw notFound(`entry ${index} not found`);
    return { body: row.body, signature: row.signature, leafHash: row.leafHash };
  }

  /** A signed checkpoint of the durable tip; recorded so anchoring and audits can refer to it. */
  async checkpoint(jobId: string): Promise<Checkpoint> {
    const job = await this.job(jobId);
    const size = job.size;
    const root = job.range.root();
    const note = signCheckpoint({ origin: this.origin(jobId), size, root }, this.signer);
    const rootHex = toHex(root);
    if (size > job.lastHeadSize) {
      await this.db.treeHead.upsert({
        where: { jobId_size: { jobId, size: BigInt(size) } },
        create: { jobId, size: BigInt(size), rootHex, note },
        update: {},
      });
      job.lastHeadSize = Math.max(job.lastHeadSize, size);
    }
    return { size, rootHex, note };
  }

  async inclusionProof(
    jobId: string,
    index: number,
    size: number,
  ): Promise<{ leafHash: string; path: string[] }> {
    const job = await this.job(jobId);
    this.checkSize(job, size);
    if (index >= size) throw notFound(`index ${index} is not below tree size ${size}`);
    const ranges: LeafRange[] = [{ begin: index, end: index + 1 }, ...planInclusion(index, size)];
    const [leaf, ...path] = await this.hashRanges(jobId, ranges);
    return { leafHash: toHex(leaf!), path: path.map(toHex) };
  }

  async consistencyProof(jobId: string, from: number, to: number): Promise<string[]> {
    const job = await this.job(jobId);
    this.checkSize(job, to);
    if (from > to) throw notFound(`from ${from} is larger than to ${to}`);
    return (await this.hashRanges(jobId, planConsistency(from, to))).map(toHex);
  }

  private checkSize(job: JobState, size: number): void {
    if (size > job.size) throw notFound(`tree size ${size} is beyond the log's size ${job.size}`);
  }

  private async hashRanges(jobId: string, ranges: LeafRange[]): Promise<Uint8Array[]> {
    const nodes = await this.lookupNodes(jobId, nodesFor(ranges));
    return ranges.map((r) => hashRange(r, (id) => nodes.get(nodeKey(id))!));
  }

  private async lookupNodes(jobId: string, ids: NodeId[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    if (ids.length === 0) return out;
    const rows = await this.db.treeNode.findMany({
      where: { jobId, OR: ids.map((id) => ({ level: id.level, index: BigInt(id.index) })) },
    });
    for (const r of rows) out.set(`${r.level}:${r.index}`, fromHex(r.hash));
    const missing = ids.find((id) => !out.has(nodeKey(id)));
    if (missing)
      throw new Error(`tree node ${nodeKey(missing)} of job ${jobId} is missing from the database`);
    return out;
  }
}
