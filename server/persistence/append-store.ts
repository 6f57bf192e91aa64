/**
 * Where the log's group commits go. One batch = entries, new tree nodes and new job tips, written
 * in one transaction. The SQLite store drives better-sqlite3 directly with prepared statements, in
 * a worker thread: the append path is the service's hottest; Prisma's per-query compilation cost
 * ~40 % of its CPU (profiled) and a synchronous fsync on the main thread stalled request handling.
 * Everything else in the service goes through Prisma.
 */
import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

export interface EntryRow {
  readonly jobId: string;
  readonly index: number;
  readonly leafHash: string;
  readonly body: string;
  readonly signature: string;
}

export interface NodeRow {
  readonly jobId: string;
  readonly level: number;
  readonly index: number;
  readonly hash: string;
}

export interface TipRow {
  readonly jobId: string;
  readonly size: number;
  readonly lastLeaf: string;
  /** Set on the job's first entry, when the trainer's key was learned. */
  readonly trainerPubKey: string | null;
}

export interface AppendBatch {
  readonly entries: readonly EntryRow[];
  readonly nodes: readonly NodeRow[];
  readonly tips: readonly TipRow[];
}

export interface AppendStore {
  /**
   * Applies batches in call order. Resolves only once the whole batch is durable; rejects with
   * nothing written otherwise. After a failure, batches of the same or an older epoch are refused
   * (they may depend on the lost one).
   */
  commit(batch: AppendBatch, epoch: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * SQLite store: a worker thread owns a better-sqlite3 connection and runs each batch as one
 * transaction. With synchronous=FULL the WAL is fsynced before the worker answers.
 */
export class SqliteAppendStore implements AppendStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(file: string, durable: boolean) {
    this.worker = new Worker(new URL('./append-writer.worker.mjs', import.meta.url), {
      workerData: { file, durable },
    });
    this.worker.on('message', (m: { id: number; ok: boolean; message?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve();
      else p?.reject(new Error(`append commit failed: ${m.message}`));
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`append writer exited with code ${code}`)));
  }

  commit(batch: AppendBatch, epoch: number): Promise<void> {
    return this.send({ batch, epoch });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.send({ close: true });
    await this.worker.terminate();
  }

  private send(msg: object): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...msg });
    });
  }
}

/** Portable store through Prisma (any provider Prisma supports). */
export class PrismaAppendStore implements AppendStore {
  private tail: Promise<unknown> = Promise.resolve();
  private minEpoch = 0;

  constructor(private readonly db: Db) {}

  commit(b: AppendBatch, epoch: number): Promise<void> {
    const run = this.tail.then(async () => {
      if (epoch < this.minEpoch) throw new Error('batch superseded by an earlier failure');
      try {
        await this.write(b);
      } catch (e) {
        this.minEpoch = epoch + 1;
        throw e;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(b: AppendBatch): Promise<void> {
    await this.db.$transaction([
      this.db.entry.createMany({ data: b.entries.map((e) => ({ ...e, index: BigInt(e.index) })) }),
      this.db.treeNode.createMany({ data: b.nodes.map((n) => ({ ...n, index: BigInt(n.index) })) }),
      ...b.tips.map((t) =>
        this.db.job.update({
          where: { id: t.jobId },
          data: {
            size: BigInt(t.size),
            lastLeaf: t.lastLeaf,
            ...(t.trainerPubKey ? { trainerPubKey: t.trainerPubKey } : {}),
          },
        }),
      ),
    ]);
  }

  async close(): Promise<void> {}
}
