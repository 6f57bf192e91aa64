/**
 * Anchoring worker (DESIGN §4): puts each job's newest tree head on chain every N entries or
 * T milliseconds, with the RFC 9162 §2.1.4 consistency proof from the head last anchored there.
 *
 * Guarantees, and why they hold:
 * - Never anchors twice: it anchors only a head larger than the chain's, the contract rejects
 *   any size that does not strictly grow (FlagstoneLedgerStaleHead), and after any failed or
 *   uncertain send it re-reads the head from chain before trying again.
 * - Never skips: every proof starts from the head read from chain, not from local memory, so a
 *   restart or an outage simply proves a longer extension (entries are never "lost").
 * - In order: per job, sizes on chain strictly grow; `onAnchored` is called once per anchor, in
 *   chain order, including anchors whose receipt was lost in an outage (found again through
 *   `HeadAnchored` events).
 * - Survives RPC outages: transport errors end the pass and the loop backs off exponentially
 *   (with jitter) up to `backoff.maxMs`, then resumes.
 */
import { verifyConsistency, fromHex } from '../ledger/index.ts';
import { ChainRevertError, ChainTransportError, toChainError } from './errors.ts';
import type { AnchorRequest, FlagstoneLedgerClient } from './ledger-client.ts';
import type { TxResult } from './tx.ts';

/** Where the worker reads tree heads (the service's log store; a MemoryTree in tests). */
export interface HeadSource {
  /** Jobs whose head may have grown since the previous call (over-reporting is fine). */
  jobsWithNewHeads(): Promise<string[]>;
  /** The newest head (ideally the newest signed checkpoint) of `jobId`. */
  latestHead(jobId: string): Promise<{ size: number; rootHex: string }>;
  /** RFC 9162 consistency proof between two sizes, as 64-hex strings. */
  consistencyProof(jobId: string, from: number, to: number): Promise<string[]>;
}

/** What the worker reports for each anchor (the `GET /v1/jobs/:jobId/anchors` item). */
export interface AnchoredHead {
  readonly size: number;
  readonly rootHex: string;
  readonly txHash: string;
  readonly blockNumber: number;
}

export interface AnchorWorkerOptions {
  /** Ledger client connected with the operator's signer. */
  readonly ledger: FlagstoneLedgerClient;
  /** The operator address (the signer's); anchoring for jobs of other operators is skipped. */
  readonly operator: string;
  readonly source: HeadSource;
  /** Called once per anchor, in order per job. Errors thrown here are reported, not retried. */
  readonly onAnchored?: (jobId: string, head: AnchoredHead) => void | Promise<void>;
  /** Called for every error; `jobId` undefined for pass-level (transport) errors. */
  readonly onError?: (jobId: string | undefined, err: Error) => void;
  /**
   * Called when a job with entries is not open on chain. Return true once it has been opened
   * (e.g. by the service with zero escrow); false leaves it for a later pass.
   */
  readonly onUnknownJob?: (jobId: string) => Promise<boolean>;
  /** Anchor when at least this many entries are unanchored (N, default 64). */
  readonly everyEntries?: number;
  /** …or when the oldest unanchored entry has waited this long (T, ms, default 30 000). */
  readonly everyMs?: number;
  /** Pause between passes (default 1 000 ms). */
  readonly pollMs?: number;
  /** Most jobs per `anchorMany` transaction (default 16). */
  readonly maxBatch?: number;
  /** Exponential backoff after a failed pass. */
  readonly backoff?: {
    readonly initialMs?: number;
    readonly maxMs?: number;
    readonly factor?: number;
  };
  /** Wait for a receipt at most this long before treating the send as uncertain (default 30 s). */
  readonly receiptTimeoutMs?: number;
  /** Clock, for tests (default Date.now). */
  readonly now?: () => number;
}

/** Counters for monitoring and tests. */
export interface AnchorWorkerStats {
  passes: number;
  failedPasses: number;
  consecutiveFailures: number;
  anchors: number;
  transactions: number;
  lastError?: Error;
}

interface JobTrack {
  /** Chain head as last read or written by us; undefined → read it again. */
  chain?: { size: number; rootHex: string };
  /** Largest size reported to onAnchored, and the block to search events from. */
  reportedSize: number;
  sinceBlock: number;
  /** When the worker first saw unanchored entries (ms). */
  pendingSince?: number;
  /** Set when the job cannot be anchored by us (wrong operator, diverged log). */
  blocked?: string;
  /** Unknown on chain: skip until this time (ms). */
  retryAt?: number;
}

interface DueAnchor extends AnchorRequest {
  readonly fromSize: number;
}

/** The anchoring loop; see the module comment. */
export class AnchorWorker {
  readonly stats: AnchorWorkerStats = {
    passes: 0,
    failedPasses: 0,
    consecutiveFailures: 0,
    anchors: 0,
    transactions: 0,
  };
  private readonly jobs = new Map<string, JobTrack>();
  private readonly o: Required<
    Omit<AnchorWorkerOptions, 'onAnchored' | 'onError' | 'onUnknownJob' | 'backoff'>
  > &
    Pick<AnchorWorkerOptions, 'onAnchored' | 'onError' | 'onUnknownJob'> & {
      backoff: { initialMs: number; maxMs: number; factor: number };
    };
  private loop: Promise<void> | undefined;
  private running = false;
  private wake: (() => void) | undefined;

  constructor(options: AnchorWorkerOptions) {
    this.o = {
      everyEntries: 64,
      everyMs: 30_000,
      pollMs: 1_000,
      maxBatch: 16,
      receiptTimeoutMs: 30_000,
      now: Date.now,
      ...options,
      backoff: { initialMs: 500, maxMs: 30_000, factor: 2, ...options.backoff },
    };
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the loop after the current pass. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** One pass; `force` anchors every pending head regardless of N and T. Throws on transport errors. */
  async tick(force = false): Promise<void> {
    for (const jobId of await this.o.source.jobsWithNewHeads()) this.track(jobId);
    const due: DueAnchor[] = [];
    for (const [jobId, job] of this.jobs) {
      const d = await this.plan(jobId, job, force);
      if (d) due.push(d);
    }
    for (let i = 0; i < due.length; i += this.o.maxBatch)
      await this.send(due.slice(i, i + this.o.maxBatch));
  }

  /** Anchors everything pending now (e.g. before shutdown), retrying transport errors with backoff. */
  async flush(maxAttempts = 10): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.tick(true);
        return;
      } catch (err) {
        if (attempt >= maxAttempts) throw err;
        await this.sleep(this.backoffMs(attempt));
      }
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.o.pollMs;
      try {
        await this.tick();
        this.stats.consecutiveFailures = 0;
      } catch (err) {
        const e = toChainError(err);
        this.stats.failedPasses++;
        this.stats.consecutiveFailures++;
        this.stats.lastError = e;
        this.o.onError?.(undefined, e);
        delay = this.backoffMs(this.stats.consecutiveFailures);
      }
      this.stats.passes++;
      if (this.running) await this.sleep(delay);
    }
  }

  /** Exponential backoff with ±20 % jitter so many workers do not retry in lockstep. */
  private backoffMs(failures: number): number {
    const { initialMs, maxMs, factor } = this.o.backoff;
    const base = Math.min(maxMs, initialMs * factor ** Math.max(0, failures - 1));
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private track(jobId: string): void {
    if (!this.jobs.has(jobId)) this.jobs.set(jobId, { reportedSize: -1, sinceBlock: -1 });
  }

  /** Reads what it needs and returns the anchor due for `jobId`, if any. */
  private async plan(jobId: string, job: JobTrack, force: boolean): Promise<DueAnchor | undefined> {
    const now = this.o.now();
    if (job.blocked || (job.retryAt !== undefined && now < job.retryAt)) return undefined;
    if (!job.chain && !(await this.reconcile(jobId, job))) return undefined;
    const chain = job.chain!;
    const latest = await this.o.source.latestHead(jobId);
    if (latest.size < chain.size)
      return this.block(
        jobId,
        job,
        `log has ${latest.size} entries, chain already anchors ${chain.size}`,
      );
    if (latest.size === chain.size) {
      if (latest.size > 0 && latest.rootHex !== chain.rootHex)
        return this.block(jobId, job, `root at size ${latest.size} differs from the anchored one`);
      this.jobs.delete(jobId); // nothing pending; the source reports it again when it grows
      return undefined;
    }
    job.pendingSince ??= now;
    const pending = latest.size - chain.size;
    if (!force && pending < this.o.everyEntries && now - job.pendingSince < this.o.everyMs)
      return undefined;
    const proofHex =
      chain.size === 0 ? [] : await this.o.source.consistencyProof(jobId, chain.size, latest.size);
    if (chain.size > 0 && !proves(chain, latest, proofHex)) {
      return this.block(
        jobId,
        job,
        `log at ${latest.size} is not an extension of the anchored head at ${chain.size}`,
      );
    }
    return { jobId, fromSize: chain.size, size: latest.size, rootHex: latest.rootHex, proofHex };
  }

  /**
   * Reads the job's head from chain. Reports anchors that landed without us seeing a receipt
   * (e.g. sent just before an outage). Returns false if the job cannot be anchored now.
   */
  private async reconcile(jobId: string, job: JobTrack): Promise<boolean> {
    const head = await this.o.ledger.head(jobId);
    if (head.operator === '0x0000000000000000000000000000000000000000') {
      const opened = (await this.o.onUnknownJob?.(jobId)) ?? false;
      if (!opened) {
        job.retryAt = this.o.now() + this.o.everyMs;
        return false;
      }
      // Opened just now: read the (empty) head and anchor in this same pass.
      const reopened = await this.o.ledger.head(jobId);
      if (reopened.operator === '0x0000000000000000000000000000000000000000') return false;
      return this.reconcile(jobId, job);
    }
    if (head.operator.toLowerCase() !== this.o.operator.toLowerCase()) {
      this.block(
        jobId,
        job,
        `operator on chain is ${head.operator}, this worker signs as ${this.o.operator}`,
      );
      return false;
    }
    if (job.reportedSize < 0) {
      // First contact: what is on chain now was reported by whoever anchored it.
      job.reportedSize = head.size;
      job.sinceBlock = await this.o.ledger.contract.runner!.provider!.getBlockNumber();
    } else if (head.size > job.reportedSize) {
      for (const a of await this.o.ledger.anchorsOf(jobId, job.sinceBlock)) {
        if (a.size > job.reportedSize) await this.report(jobId, job, a);
      }
    }
    job.chain = { size: head.size, rootHex: head.rootHex };
    return true;
  }

  private block(jobId: string, job: JobTrack, reason: string): undefined {
    job.blocked = reason;
    this.o.onError?.(jobId, new Error(`not anchoring job ${jobId}: ${reason}`));
    return undefined;
  }

  /** Sends one transaction for `batch`; on success reports each anchor. */
  private async send(batch: DueAnchor[]): Promise<void> {
    let tx: TxResult;
    try {
      tx =
        batch.length === 1
          ? await this.o.ledger.anchor(
              batch[0]!.jobId,
              batch[0]!.size,
              batch[0]!.rootHex,
              batch[0]!.proofHex,
              this.o.receiptTimeoutMs,
            )
          : await this.o.ledger.anchorMany(batch, this.o.receiptTimeoutMs);
    } catch (err) {
      // Outcome unknown or rejected: re-read these heads from chain before the next try.
      for (const d of batch) delete this.jobs.get(d.jobId)?.chain;
      const e = toChainError(err);
      if (e instanceof ChainRevertError) {
        const culprit = typeof e.args[0] === 'string' ? e.args[0].toLowerCase() : undefined;
        this.o.onError?.(batch.find((d) => `0x${d.jobId}`.toLowerCase() === culprit)?.jobId, e);
        return; // deterministic: the pass goes on; the other jobs retry next pass
      }
      throw e instanceof ChainTransportError
        ? e
        : new ChainTransportError('anchor failed', { cause: e });
    }
    this.stats.transactions++;
    for (const d of batch) {
      const job = this.jobs.get(d.jobId)!;
      job.chain = { size: d.size, rootHex: d.rootHex };
      job.pendingSince = undefined;
      await this.report(d.jobId, job, {
        size: d.size,
        rootHex: d.rootHex,
        txHash: tx.txHash,
        blockNumber: tx.blockNumber,
      });
    }
  }

  private async report(id: string, job: JobTrack, head: AnchoredHead): Promise<void> {
    job.reportedSize = head.size;
    this.stats.anchors++;
    try {
      await this.o.onAnchored?.(id, {
        size: head.size,
        rootHex: head.rootHex,
        txHash: head.txHash,
        blockNumber: head.blockNumber,
      });
    } catch (err) {
      this.o.onError?.(id, err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** Local RFC 9162 check before paying gas: a diverged log would only revert on chain. */
function proves(
  from: { size: number; rootHex: string },
  to: { size: number; rootHex: string },
  proofHex: readonly string[],
): boolean {
  try {
    verifyConsistency(
      from.size,
      to.size,
      fromHex(from.rootHex),
      fromHex(to.rootHex),
      proofHex.map(fromHex),
    );
    return true;
  } catch {
    return false;
  }
}
