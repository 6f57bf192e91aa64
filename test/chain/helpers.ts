/** Shared pieces of the chain integration tests: a log source over MemoryTrees, job setup. */
import { randomBytes } from 'node:crypto';
import { MemoryTree, hashLeaf, toHex } from '../../ledger/index.ts';
import type { HeadSource } from '../../chain/anchor-worker.ts';
import { type FlagstoneLedgerClient, anchorOnlyTerms } from '../../chain/ledger-client.ts';

/** A HeadSource over in-memory RFC 9162 trees, one per job. */
export class MemoryHeadSource implements HeadSource {
  readonly trees = new Map<string, MemoryTree>();
  private readonly reported = new Map<string, number>();
  /** Set to make every call fail (an unavailable log store). */
  failing = false;

  /** `label` goes into every entry, so two sources with different labels hold different logs. */
  constructor(readonly label = 'entry') {}

  tree(jobId: string): MemoryTree {
    let t = this.trees.get(jobId);
    if (!t) this.trees.set(jobId, (t = new MemoryTree()));
    return t;
  }

  /** Appends `count` entries to `jobId`'s log. */
  append(jobId: string, count = 1): void {
    const t = this.tree(jobId);
    for (let i = 0; i < count; i++)
      t.append(hashLeaf(new TextEncoder().encode(`${this.label}/${jobId}/${t.size}`)));
  }

  async jobsWithNewHeads(): Promise<string[]> {
    this.check();
    const out: string[] = [];
    for (const [jobId, t] of this.trees) {
      if (t.size !== this.reported.get(jobId)) out.push(jobId);
      this.reported.set(jobId, t.size);
    }
    return out;
  }

  async latestHead(jobId: string): Promise<{ size: number; rootHex: string }> {
    this.check();
    const t = this.tree(jobId);
    return { size: t.size, rootHex: toHex(t.root()) };
  }

  async consistencyProof(jobId: string, from: number, to: number): Promise<string[]> {
    this.check();
    return this.tree(jobId).consistencyProof(from, to).map(toHex);
  }

  private check(): void {
    if (this.failing) throw new Error('log store unavailable');
  }
}

/** A fresh 64-hex job id. */
export const newJobId = (): string => randomBytes(32).toString('hex');

/** Opens an anchor-only job whose operator is `operator`. */
export async function openAnchorJob(
  ledger: FlagstoneLedgerClient,
  jobId: string,
  operator: string,
): Promise<void> {
  const block = await ledger.contract.runner!.provider!.getBlock('latest');
  await ledger.openJob(jobId, anchorOnlyTerms(operator, jobId, block!.timestamp), 0n);
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  stepMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
